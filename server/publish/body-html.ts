/**
 * Adjusts the core's sanitized body HTML for the site: images load lazily and decode off the main
 * thread. Width/height come from the tiptap image attrs the core renders; none are invented here.
 */
export function prepareBodyHtml(html: string): string {
  return html.replace(/<img\b(?![^>]*\bloading=)/g, '<img loading="lazy" decoding="async"');
}

/** Site path of the share card of an item. */
export function cardPath(id: string): string {
  return `/cards/${id}.jpg`;
}
