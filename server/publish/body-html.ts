import { sanitizeBodyHtml } from '../security/html.ts';

const escapeCaption = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
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
    image: (a) => {
      const picture = renderImage(dataDir, { src: a.src!, alt: a.alt, title: a.title, width: dimension(a.width), height: dimension(a.height) });
      // the editor's image caption (stored as the title) shows under the picture
      const caption = a.title?.trim();
      return caption ? `<figure>${picture}<figcaption>${escapeCaption(caption)}</figcaption></figure>` : picture;
    },
  });
}

/** Site path of the share card of an item. */
export function cardPath(id: string): string {
  return `/cards/${id}.jpg`;
}
