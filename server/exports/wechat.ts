import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishedItem } from '../publish/schema.ts';
import { ValidationError } from '../errors.ts';
import { cleanText } from '../feeds/text.ts';
import { renderWechatBlocks, wechatStyles, type ImageRef } from './wechat-html.ts';
import { prepareUploadImage } from './upload-image.ts';
import { forcedAspectCover, WECHAT_COVER } from '../media/crop.ts';
import { renderWechatPreview } from './wechat-preview.ts';
import { WechatPackageSchema, type WechatImage, type WechatPackage } from './schema.ts';

import { WECHAT_DIGEST_MAX, WECHAT_TITLE_MAX } from '../channels/rules.ts';
import { keyOf, mediaStorage } from '../media/storage.ts';

export { WECHAT_TITLE_MAX };
export const WECHAT_CONTENT_MAX = 20_000;

const chars = (s: string) => [...s].length;
const cut = (s: string, max: number) => (chars(s) <= max ? s : `${[...s].slice(0, max - 1).join('')}…`);

/** Title for WeChat: the wechat variant's short title, else the title; an error when neither fits. */
export function wechatTitle(item: PublishedItem): string {
  const title = cleanText(item.variants.wechat?.title?.trim() || item.title);
  if (chars(title) > WECHAT_TITLE_MAX) {
    throw ValidationError.field('variants.wechat.title', `微信标题最多 ${WECHAT_TITLE_MAX} 个字，当前 ${chars(title)} 个，请在“微信版本”中填写短标题`);
  }
  return title;
}

/** Joins blocks while the content stays under WeChat's limit; the rest is left to “阅读原文”. */
function fitContent(blocks: string[]): string {
  const more = `<p style="${wechatStyles.p}color:#888;">全文较长，请点击“阅读原文”查看。</p>`;
  let html = '';
  for (const [i, b] of blocks.entries()) {
    const rest = i === blocks.length - 1 ? '' : more;
    if (html.length + b.length + rest.length >= WECHAT_CONTENT_MAX) return html + more;
    html += b;
  }
  return html;
}

export interface WechatArgs {
  item: PublishedItem;
  siteUrl: string;
  dataDir: string;
  /** The item's share card (JPEG), the cover thumb when the item has no uploaded cover. */
  cardFile: string;
  /** Folder the images, package.json and preview.html are written to; served at `publicPath`. */
  outDir: string;
  publicPath: string;
}

/** Builds the WeChat draft/add package for one item and writes its upload-ready files. */
export async function buildWechatPackage({ item, siteUrl, dataDir, cardFile, outDir, publicPath }: WechatArgs): Promise<WechatPackage> {
  const title = wechatTitle(item);
  const refs: ImageRef[] = [];
  const blocks = renderWechatBlocks(item, refs);
  mkdirSync(outDir, { recursive: true });
  const publicUrl = (file: string) => new URL(`${publicPath}${file}`, siteUrl).href;
  const save = async (input: Buffer, name: string, field: string): Promise<WechatImage> => {
    const img = await prepareUploadImage(input, field);
    const file = `${name}.${img.type === 'image/png' ? 'png' : 'jpg'}`;
    writeFileSync(join(outDir, file), img.data);
    return { placeholder: `{{${name}}}`, url: publicUrl(file), file, type: img.type, bytes: img.data.length, width: img.width, height: img.height };
  };
  const images: WechatImage[] = [];
  let content = fitContent(blocks);
  for (const ref of refs) {
    const local = localMediaFile(dataDir, ref.src);
    if (local && content.includes(ref.placeholder)) images.push(await save(readFileSync(local), ref.placeholder.slice(2, -2), `images.${images.length}`));
    // WeChat shows no hot-linked images: one we cannot upload is left out rather than broken.
    else content = content.replace(new RegExp(`<img src="${ref.placeholder.replace(/[{}]/g, '\\$&')}"[^>]*/>`), '');
  }
  // the cover (its crop narrowed to 2.35:1 around the focal point) when one was uploaded, else the share card
  const coverSource = item.coverCrop?.source ?? item.cover;
  const cover = coverSource ? await forcedAspectCover(dataDir, coverSource, item.coverCrop, WECHAT_COVER) : undefined;
  const thumb = await save(cover ?? readFileSync(cardFile), 'thumb', 'thumb');
  const pkg = WechatPackageSchema.parse({
    articles: [
      {
        title,
        author: cut(cleanText(item.orgName), 16),
        digest: cut(cleanText(item.variants.wechat?.digest?.trim() || item.summary || item.title), WECHAT_DIGEST_MAX),
        content,
        content_source_url: new URL(item.url, siteUrl).href,
        thumb,
        images,
      },
    ],
  });
  writeFileSync(join(outDir, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(join(outDir, 'preview.html'), renderWechatPreview(pkg, item));
  return pkg;
}

/** `/media/ab/x.jpg` → the file in the media storage when it exists (a valid key cannot leave the media root). */
export function localMediaFile(dataDir: string, src: string): string | undefined {
  const key = src.startsWith('/') ? keyOf(src) : undefined;
  const file = key && mediaStorage(dataDir).localPath(key);
  return file && existsSync(file) ? file : undefined;
}
