import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PublishedItem } from './schema.ts';
import { columns, columnName, columnOf, formatDate, pagePath, PAGE_SIZE, publishedDate, tagPath } from './columns.ts';
import { cardPath } from './body-html.ts';
import { mediaFiles } from './pictures.ts';
import { ensureShareCard } from '../media/share-card.ts';
import { keyOf, mediaStorage } from '../media/storage.ts';
import { escapeHtml } from '../feeds/text.ts';
import { kindRegistry } from '../kinds/registry.ts';

/** Writes `body` at site path `path` under outDir (atomic enough for a static server: whole-file writes). */
export function writeSiteFile(outDir: string, path: string, body: string | Buffer): void {
  const file = join(outDir, decodeURIComponent(path));
  mkdirSync(dirname(file), { recursive: true });
  // temp + rename: a reader polling the file (live updates) never sees half of it
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, body);
  renameSync(temp, file);
}

/** Places `src` at `dest`, hard-linked when possible (cards and media are immutable by name). */
export function placeFile(src: string, dest: string): void {
  mkdirSync(dirname(dest), { recursive: true });
  rmSync(dest, { force: true });
  try {
    linkSync(src, dest);
  } catch {
    copyFileSync(src, dest);
  }
}

/** sitemap.xml of every page a reader can reach. */
export function renderSitemap({ items, listed, siteUrl, extra = [] }: { items: PublishedItem[]; listed: PublishedItem[]; siteUrl: string; extra?: string[] }): string {
  const urls: Array<[string, string | undefined]> = [['/', listed[0] && publishedDate(listed[0])], ['/about/', undefined]];
  for (const c of columns) {
    const n = listed.filter((i) => columnOf(i) === c.key).length;
    for (let p = 1; p <= Math.max(1, Math.ceil(n / PAGE_SIZE)); p++) urls.push([pagePath(`/${c.key}/`, p), undefined]);
  }
  for (const tag of new Set(listed.flatMap((i) => i.tags))) urls.push([tagPath(tag), undefined]);
  for (const i of items) urls.push([i.url, i.updatedAt]);
  for (const p of extra) urls.push([p, undefined]);
  const body = urls
    .map(([p, mod]) => `<url><loc>${escapeHtml(new URL(p, siteUrl).href)}</loc>${mod ? `<lastmod>${mod}</lastmod>` : ''}</url>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`;
}

export function renderRobots(siteUrl: string): string {
  return `User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /exports/\n\nSitemap: ${new URL('/sitemap.xml', siteUrl).href}\n`;
}

/** Share card text of an item. */
export function cardText(item: PublishedItem) {
  return { title: item.title, column: columnName(columnOf(item)), org: item.orgName, date: formatDate(publishedDate(item)) };
}

/** Renders (or reuses) the item's share card and places it at /cards/<id>.jpg; returns the cache file. */
export async function placeShareCard({ dataDir, outDir, item }: { dataDir: string; outDir: string; item: PublishedItem }): Promise<string> {
  const file = await ensureShareCard({ dataDir, text: cardText(item) });
  placeFile(file, join(outDir, cardPath(item.id)));
  return file;
}

/**
 * Media files the item's page links to (`media/...` paths relative to the data dir): body images
 * and the cover (`/media/...` from an upload), with every responsive variant of uploaded images.
 */
export function referencedMedia(item: PublishedItem, dataDir?: string): string[] {
  const srcs = [...item.bodyHtml.matchAll(/\bsrc="(\/media\/[^"]+)"/g)].map((m) => m[1]!);
  if (item.cover?.startsWith('/media/')) srcs.push(item.cover);
  const paths = srcs.map((s) => s.slice(1));
  if (item.cover?.startsWith('media/')) paths.push(item.cover);
  if (dataDir) paths.push(...mediaFiles(dataDir, srcs));
  paths.push(...(kindRegistry.find(item.kind)?.media(item) ?? []));
  return [...new Set(paths)].filter((p) => !p.includes('..'));
}

/** Links the item's media into the site so the output also works as a standalone static site. */
export function placeMedia({ dataDir, outDir, item }: { dataDir: string; outDir: string; item: PublishedItem }): void {
  const storage = mediaStorage(dataDir);
  for (const p of referencedMedia(item, dataDir)) {
    const key = keyOf(p);
    const src = key && storage.localPath(key);
    if (src && existsSync(src)) placeFile(src, join(outDir, p));
  }
}
