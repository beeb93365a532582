import { existsSync, readFileSync } from 'node:fs';
import { MediaImageSchema, type MediaImage } from '../media/schema.ts';
import { mediaStorage } from '../media/storage.ts';
import { escapeHtml } from '../feeds/text.ts';

/**
 * The site's column is 44rem wide with 1rem padding each side (src/styles/site.css `main`), so an
 * image is at most 42rem (672 CSS px) and on phones the viewport minus the padding.
 */
export const COLUMN_SIZES = '(min-width: 44rem) 42rem, calc(100vw - 2rem)';

/** `/media/<sha[0:2]>/<sha>[-w<width>].<ext>`: a file the media service stored (original or a variant). */
const MEDIA_PATH = /^\/media\/([a-f0-9]{2})\/([a-f0-9]{64})(?:-w\d+)?\.[a-z0-9]+$/;

const cache = new Map<string, MediaImage>();

/**
 * Manifest of the uploaded image behind a site path, or undefined for anything else (external
 * URLs, media the service did not store). Manifests are immutable by content hash, so hits are
 * cached for the process; misses are not (an upload may arrive later).
 */
export function readMediaImage(dataDir: string, src: string): MediaImage | undefined {
  const m = MEDIA_PATH.exec(src);
  if (!m || m[1] !== m[2]!.slice(0, 2)) return undefined;
  const key = `${dataDir}\0${m[2]}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // the page renderer is synchronous: it reads manifests where the media storage keeps files on disk
  const file = mediaStorage(dataDir).localPath(`${m[1]}/${m[2]}.json`);
  if (!file || !existsSync(file)) return undefined;
  try {
    const image = MediaImageSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    cache.set(key, image);
    return image;
  } catch {
    return undefined;
  }
}

/** Still variants exist for every format, but a GIF may be animated: it keeps its original file. */
const responsive = (image: MediaImage) => image.format !== 'gif' && image.variants.length > 0;

/** The variant to use where only one URL fits: the smallest at least `min` wide, else the largest. */
export function pickVariant(image: MediaImage, min: number) {
  const sorted = [...image.variants].sort((a, b) => a.width - b.width);
  return sorted.find((v) => v.width >= min) ?? sorted.at(-1);
}

export interface ImageArgs {
  src: string;
  alt?: string;
  title?: string;
  /** Known size of an external image (the editor's attrs); ignored for uploaded media. */
  width?: number;
  height?: number;
  className?: string;
  /** The first large image on screen (the cover): load it at once with high priority instead of lazily. */
  eager?: boolean;
}

/**
 * One image for the site. Uploaded media becomes a <picture>: WebP srcset over the stored widths,
 * JPEG srcset fallback, intrinsic size from the stored manifest (no layout shift). Anything else
 * stays a plain lazy <img>, with width/height only when known.
 */
export function renderImage(dataDir: string, args: ImageArgs): string {
  const image = readMediaImage(dataDir, args.src);
  const common = [
    args.alt !== undefined ? ` alt="${escapeHtml(args.alt)}"` : ' alt=""',
    args.title ? ` title="${escapeHtml(args.title)}"` : '',
    args.eager ? ' loading="eager" fetchpriority="high" decoding="async"' : ' loading="lazy" decoding="async"',
  ].join('');
  const cls = args.className ? ` class="${escapeHtml(args.className)}"` : '';
  if (!image) {
    const size = args.width && args.height ? ` width="${args.width}" height="${args.height}"` : '';
    return `<img${cls} src="${escapeHtml(args.src)}"${common}${size}>`;
  }
  const size = ` width="${image.width}" height="${image.height}"`;
  if (!responsive(image)) return `<img${cls} src="${escapeHtml(image.src)}"${common}${size}>`;
  const srcset = (kind: 'webp' | 'jpeg') => image.variants.map((v) => `${v[kind]} ${v.width}w`).join(', ');
  const fallback = pickVariant(image, 960)!;
  return (
    `<picture${cls}><source type="image/webp" srcset="${escapeHtml(srcset('webp'))}" sizes="${COLUMN_SIZES}">` +
    `<img src="${escapeHtml(fallback.jpeg)}" srcset="${escapeHtml(srcset('jpeg'))}" sizes="${COLUMN_SIZES}"${common}${size}></picture>`
  );
}

/** og:image for an item with an uploaded cover: a JPEG variant about 1200 wide (or the largest). */
export function coverOgImage(dataDir: string, cover: string | undefined): { path: string; width: number; height: number } | undefined {
  const image = cover ? readMediaImage(dataDir, cover) : undefined;
  const v = image && pickVariant(image, 1200);
  return v && { path: v.jpeg, width: v.width, height: v.height };
}

/** Every file of the uploaded images behind these site paths (`media/...`, relative to the data dir). */
export function mediaFiles(dataDir: string, srcs: string[]): string[] {
  const files: string[] = [];
  for (const src of srcs) {
    const image = readMediaImage(dataDir, src);
    if (image) files.push(...[image.src, ...image.variants.flatMap((v) => [v.webp, v.jpeg])].map((p) => p.slice(1)));
  }
  return files;
}
