import type { PublishedItem } from '../publish/schema.ts';
import { verdicts } from '../publish/json-ld.ts';
import { escapeHtml } from '../feeds/text.ts';

// WeChat strips <style> and classes, so every element carries its look inline.
const S = {
  p: 'margin:0 0 16px;font-size:16px;line-height:1.75;color:#333;',
  h2: 'margin:24px 0 12px;font-size:18px;font-weight:bold;color:#c8102e;',
  h3: 'margin:20px 0 10px;font-size:17px;font-weight:bold;color:#333;',
  quote: 'margin:0 0 16px;padding:8px 12px;border-left:3px solid #ddd;color:#666;',
  list: 'margin:0 0 16px;padding-left:24px;font-size:16px;line-height:1.75;color:#333;',
  img: 'display:block;max-width:100%;height:auto;margin:0 auto 16px;',
  box: 'margin:0 0 16px;padding:12px;border:1px solid #eee;border-radius:6px;',
  note: 'margin:0 0 16px;padding:8px 12px;background:#fff8e1;border-left:3px solid #f0a500;font-size:15px;color:#333;',
  a: 'color:#576b95;text-decoration:none;',
  hr: 'border:0;border-top:1px solid #eee;margin:20px 0;',
  code: 'font-family:Menlo,monospace;background:#f6f7f9;padding:0 4px;',
  table: 'border-collapse:collapse;width:100%;margin:0 0 16px;font-size:15px;line-height:1.6;color:#333;',
  td: 'border:1px solid #ccc;padding:6px 8px;vertical-align:top;',
  th: 'border:1px solid #ccc;padding:6px 8px;vertical-align:top;background:#f6f7f9;font-weight:bold;',
  caption: 'margin:-8px 0 16px;font-size:14px;color:#888;text-align:center;',
};
const badge = (v: string) => `display:inline-block;padding:0 8px;border-radius:4px;color:#fff;font-weight:bold;background:${{ false: '#c8102e', misleading: '#d35400', unproven: '#6c757d', true: '#1e7e34' }[v] ?? '#6c757d'};`;

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
    const caption = typeof n.attrs?.title === 'string' && n.attrs.title.trim() ? `<p style="${S.caption}">${escapeHtml(n.attrs.title)}</p>` : '';
    return `<img src="${placeholder}"${alt} style="${S.img}"/>${caption}`;
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
      case 'table':
        return `<table style="${S.table}"><tbody>${(n.content ?? [])
          .map((row) => `<tr>${(row.content ?? []).map((cell) => {
            const tag = cell.type === 'tableHeader' ? 'th' : 'td';
            const span = ['colspan', 'rowspan'].map((k) => (Number(cell.attrs?.[k]) > 1 ? ` ${k}="${Number(cell.attrs?.[k])}"` : '')).join('');
            return `<${tag}${span} style="${tag === 'th' ? S.th : S.td}">${(cell.content ?? []).map((c) => (c.type === 'paragraph' ? inline(c.content) : block(c))).join('<br/>')}</${tag}>`;
          }).join('')}</tr>`)
          .join('')}</tbody></table>`;
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

/** The article's blocks in order: corrections, summary, claims (rumor guides), body, tips. */
export function renderWechatBlocks(item: PublishedItem, images: ImageRef[]): string[] {
  const blocks: string[] = [];
  for (const c of item.corrections) blocks.push(`<p style="${S.note}"><strong>更正(${escapeHtml(c.at.slice(0, 10))})</strong>:${escapeHtml(c.note)}</p>`);
  if (item.summary) blocks.push(`<p style="${S.p}"><strong>${escapeHtml(item.summary)}</strong></p>`);
  if (item.kind === 'rumor-guide') {
    for (const c of item.claims) {
      const sources = c.sources.map((s) => escapeHtml(s.name)).join('、');
      blocks.push(
        `<section style="${S.box}"><p style="${S.p}"><span style="${badge(c.verdict)}">${verdicts[c.verdict].label}</span></p>` +
          `<p style="${S.p}"><strong>网传：</strong>${escapeHtml(c.claim)}</p><p style="${S.p}"><strong>真相：</strong>${escapeHtml(c.evidence)}</p>` +
          (sources ? `<p style="${S.p}color:#888;font-size:14px;">来源：${sources}</p>` : '') +
          `</section>`,
      );
    }
  }
  blocks.push(...renderWechatBody(item.body, images));
  if (item.kind === 'rumor-guide' && item.tips.length) {
    blocks.push(`<h3 style="${S.h3}">识谣小贴士</h3><ol style="${S.list}">${item.tips.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ol>`);
  }
  return blocks;
}

export const wechatStyles = S;
