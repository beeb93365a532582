import { sanitizeBodyHtml } from '../security/html.ts';
import { renderImage } from './pictures.ts';

const dimension = (v: string | undefined) => (v && /^\d{1,5}$/.test(v) && Number(v) > 0 ? Number(v) : undefined);

/**
 * Adjusts the snapshot's body HTML for the site pages (feeds and exports keep the snapshot's plain
 * <img>): the HTML is parsed (parse5) and re-built through the allow-list sanitizer, which also
 * covers snapshots written before it existed; every image goes through renderImage, so uploaded
 * media becomes a responsive <picture> sized from its stored manifest, and any other image a lazy
 * <img> with the editor's width/height when it gave both.
 */
export function prepareBodyHtml(html: string, dataDir: string): string {
  return sanitizeBodyHtml(html, {
    image: (a) => renderImage(dataDir, { src: a.src!, alt: a.alt, title: a.title, width: dimension(a.width), height: dimension(a.height) }),
  });
}

/** Site path of the share card of an item. */
export function cardPath(id: string): string {
  return `/cards/${id}.jpg`;
}
