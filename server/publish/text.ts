/** Date an item counts as published at (retracted items keep their original date). */
export function publishedDate(item: { publishedAt?: string | undefined; updatedAt: string }): string {
  return item.publishedAt ?? item.updatedAt;
}

/** Shortens to under `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length < max ? chars.join('') : `${chars.slice(0, max - 2).join('')}…`;
}

/** ISO 8601 duration (`PT1M2S`) from seconds. */
export function isoDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${rest || (!h && !m) ? `${rest}S` : ''}`;
}
