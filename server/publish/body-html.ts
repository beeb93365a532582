import { renderImage } from './pictures.ts';

/** An <img> tag; attribute values may contain `>` (tiptap leaves `<`/`>` unescaped in attributes). */
const IMG = /<img\b((?:[^>"']|"[^"]*"|'[^']*')*)\/?>/gi;
const ATTR = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeEntities(value: string): string {
  return value.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));/gi, (whole, dec?: string, hex?: string, name?: string) => {
    if (dec || hex) {
      const code = dec ? Number(dec) : parseInt(hex!, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name!.toLowerCase()] ?? whole;
  });
}

function parseAttrs(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

const escapeCaption = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const dimension = (v: string | undefined) => (v && /^\d{1,5}$/.test(v) && Number(v) > 0 ? Number(v) : undefined);

/**
 * Adjusts the snapshot's sanitized body HTML for the site pages (feeds and exports keep the
 * snapshot's plain <img>): every image goes through renderImage, so uploaded media becomes a
 * responsive <picture> sized from its stored manifest, and any other image a lazy <img> with the
 * editor's width/height when it gave both.
 */
export function prepareBodyHtml(html: string, dataDir: string): string {
  return html.replace(IMG, (_tag, inner: string) => {
    const a = parseAttrs(inner);
    const src = a.get('src');
    if (!src) return '';
    const picture = renderImage(dataDir, { src, alt: a.get('alt'), title: a.get('title'), width: dimension(a.get('width')), height: dimension(a.get('height')) });
    // the editor's image caption (stored as the title) shows under the picture
    const caption = a.get('title')?.trim();
    return caption ? `<figure>${picture}<figcaption>${escapeCaption(caption)}</figcaption></figure>` : picture;
  });
}

/** Site path of the share card of an item. */
export function cardPath(id: string): string {
  return `/cards/${id}.jpg`;
}
