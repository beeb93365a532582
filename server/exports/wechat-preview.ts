import type { PublishedItem } from '../publish/schema.ts';
import { escapeHtml } from '../feeds/text.ts';
import { formatDate, publishedDate } from '../publish/columns.ts';
import type { WechatPackage } from './schema.ts';

/** A standalone page that looks like the article in WeChat, placeholders swapped for the files. */
export function renderWechatPreview(pkg: WechatPackage, item: PublishedItem): string {
  const a = pkg.articles[0]!;
  let content = a.content;
  for (const img of a.images) content = content.split(img.placeholder).join(escapeHtml(img.file));
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(a.title)}</title>
<style>body{margin:0;background:#fff;font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif}.wrap{max-width:677px;margin:0 auto;padding:20px 16px}h1{font-size:22px;line-height:1.4;margin:0 0 14px;color:#222}.meta{font-size:15px;color:#888;margin-bottom:22px}.meta b{color:#576b95;font-weight:normal}.src{font-size:15px;margin-top:24px}.src a{color:#576b95;text-decoration:none}</style></head>
<body><div class="wrap"><h1>${escapeHtml(a.title)}</h1>
<div class="meta">${escapeHtml(a.author)} <b>连心</b> ${escapeHtml(formatDate(publishedDate(item)))}</div>
<div class="content">${content}</div>
<div class="src"><a href="${escapeHtml(a.content_source_url)}">阅读原文</a></div></div></body></html>
`;
}
