import type { PublishedItem } from '../publish/schema.ts';
import { kindHtml } from '../kinds/registry.ts';
import { escapeHtml } from '../feeds/text.ts';

import { S } from './wechat-styles.ts';

interface Node {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  content?: Node[];
}

export interface ImageRef {
  src: string;
  placeholder: string;
}

/** Renders the tiptap doc into WeChat-safe HTML; images become placeholders collected in `images`. */
export function renderWechatBody(doc: unknown, images: ImageRef[]): string[] {
  const blocks: string[] = [];
  const inline = (nodes: Node[] = []): string => nodes.map(renderInline).join('');
  const renderInline = (n: Node): string => {
    if (n.type === 'hardBreak') return '<br/>';
    if (n.type === 'image') return renderImage(n);
    if (n.type !== 'text') return inline(n.content);
    let html = escapeHtml(n.text ?? '');
    for (const m of n.marks ?? []) {
      if (m.type === 'bold') html = `<strong>${html}</strong>`;
      else if (m.type === 'italic') html = `<em>${html}</em>`;
      else if (m.type === 'strike') html = `<s>${html}</s>`;
      else if (m.type === 'code') html = `<code style="${S.code}">${html}</code>`;
      else if (m.type === 'link' && typeof m.attrs?.href === 'string' && /^https?:\/\//.test(m.attrs.href)) html = `<a href="${escapeHtml(m.attrs.href)}" style="${S.a}">${html}</a>`;
    }
    return html;
  };
  const renderImage = (n: Node): string => {
    const src = typeof n.attrs?.src === 'string' ? n.attrs.src : '';
    if (!src) return '';
    const placeholder = `{{image${images.length + 1}}}`;
    images.push({ src, placeholder });
    const alt = typeof n.attrs?.alt === 'string' ? ` alt="${escapeHtml(n.attrs.alt)}"` : '';
    return `<img src="${placeholder}"${alt} style="${S.img}"/>`;
  };
  const block = (n: Node): string => {
    switch (n.type) {
      case 'paragraph':
        return n.content?.length ? `<p style="${S.p}">${inline(n.content)}</p>` : '';
      case 'heading':
        return Number(n.attrs?.level) <= 2 ? `<h2 style="${S.h2}">${inline(n.content)}</h2>` : `<h3 style="${S.h3}">${inline(n.content)}</h3>`;
      case 'blockquote':
        return `<blockquote style="${S.quote}">${(n.content ?? []).map(block).join('')}</blockquote>`;
      case 'bulletList':
      case 'orderedList': {
        const tag = n.type === 'bulletList' ? 'ul' : 'ol';
        return `<${tag} style="${S.list}">${(n.content ?? []).map((li) => `<li>${(li.content ?? []).map((c) => (c.type === 'paragraph' ? inline(c.content) : block(c))).join('')}</li>`).join('')}</${tag}>`;
      }
      case 'horizontalRule':
        return `<hr style="${S.hr}"/>`;
      case 'image':
        return renderImage(n);
      case 'codeBlock':
        return `<p style="${S.p}${S.code}">${inline(n.content)}</p>`;
      default:
        return n.content ? `<p style="${S.p}">${inline(n.content)}</p>` : '';
    }
  };
  for (const n of ((doc as Node | undefined)?.content ?? [])) {
    const html = block(n);
    if (html) blocks.push(html);
  }
  return blocks;
}

/** The article's blocks in order: corrections, summary, the kind's blocks (claims), body, the kind's closing blocks (tips). */
export function renderWechatBlocks(item: PublishedItem, images: ImageRef[]): string[] {
  const blocks: string[] = [];
  for (const c of item.corrections) blocks.push(`<p style="${S.note}"><strong>更正(${escapeHtml(c.at.slice(0, 10))})</strong>:${escapeHtml(c.note)}</p>`);
  if (item.summary) blocks.push(`<p style="${S.p}"><strong>${escapeHtml(item.summary)}</strong></p>`);
  const own = kindHtml(item, 'wechat');
  blocks.push(...own.before, ...renderWechatBody(item.body, images), ...own.after);
  return blocks;
}

export { wechatStyles } from './wechat-styles.ts';
