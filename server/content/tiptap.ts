import { createRequire } from 'node:module';
import type { Extensions } from '@tiptap/core';
import type * as TiptapHtml from '@tiptap/html/server';
import type ImageExtension from '@tiptap/extension-image';
import type StarterKitExtension from '@tiptap/starter-kit';
import type { Issue } from '../errors.ts';

const require = createRequire(import.meta.url);
let renderer: { generateHTML: typeof TiptapHtml.generateHTML; extensions: Extensions } | undefined;

/**
 * The server renderer: `@tiptap/html` (with happy-dom) and the editor's extensions — the same ones the
 * client editor uses, so preview and page agree. Loading them costs about a second, so they are required
 * (synchronously) on the first render instead of at start-up.
 */
function loadRenderer() {
  if (!renderer) {
    const { generateHTML } = require('@tiptap/html/server') as typeof TiptapHtml;
    const StarterKit = (require('@tiptap/starter-kit') as { default: typeof StarterKitExtension }).default;
    const Image = (require('@tiptap/extension-image') as { default: typeof ImageExtension }).default;
    renderer = { generateHTML, extensions: [StarterKit.configure({ link: { openOnClick: false, protocols: ['http', 'https'] } }), Image] };
  }
  return renderer;
}

export interface TiptapMark {
  type: string;
  attrs?: Record<string, unknown>;
}
export interface TiptapNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TiptapNode[];
  marks?: TiptapMark[];
  text?: string;
}
export interface TiptapDoc extends TiptapNode {
  type: 'doc';
}

/** Allowed node types → allowed attribute names. */
const NODES: Record<string, readonly string[]> = {
  doc: [],
  paragraph: ['textAlign'],
  text: [],
  heading: ['level', 'textAlign'],
  blockquote: [],
  bulletList: [],
  orderedList: ['start', 'type'],
  listItem: [],
  codeBlock: ['language'],
  hardBreak: [],
  horizontalRule: [],
  image: ['src', 'alt', 'title', 'width', 'height'],
};
const MARKS: Record<string, readonly string[]> = {
  bold: [],
  italic: [],
  strike: [],
  code: [],
  underline: [],
  link: ['href', 'target', 'rel', 'class', 'title'],
};

/** http(s) or a relative path; nothing that can run script (javascript:, data:, vbscript:). */
export function isSafeUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2000) return false;
  const trimmed = url.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return /^https?:\/\//i.test(trimmed);
  return !trimmed.startsWith('//') && !/[\u0000-\u001f]/.test(trimmed);
}

/** Deep check of a tiptap document against the allowed nodes, marks and URLs. Paths are dotted from `body`. */
export function validateDoc(doc: unknown, path = 'body'): Issue[] {
  const issues: Issue[] = [];
  let nodes = 0;
  const visit = (node: unknown, at: string, depth: number) => {
    if (++nodes > 20_000) return void (nodes === 20_001 && issues.push({ path: at, message: '正文节点过多' }));
    if (depth > 40) return void issues.push({ path: at, message: '正文嵌套过深' });
    if (!node || typeof node !== 'object' || Array.isArray(node)) return void issues.push({ path: at, message: '应为节点对象' });
    const n = node as TiptapNode;
    const allowed = NODES[n.type];
    if (!allowed) return void issues.push({ path: `${at}.type`, message: `不支持的节点类型 ${JSON.stringify(String(n.type)).slice(0, 40)}` });
    if (depth === 0 && n.type !== 'doc') issues.push({ path: `${at}.type`, message: '正文根节点应为 doc' });
    if (depth > 0 && n.type === 'doc') issues.push({ path: `${at}.type`, message: 'doc 只能是根节点' });
    for (const key of Object.keys(n.attrs ?? {})) {
      if (!allowed.includes(key)) issues.push({ path: `${at}.attrs.${key}`, message: `节点 ${n.type} 不支持属性 ${key}` });
    }
    if (n.type === 'text' && (typeof n.text !== 'string' || n.text.length === 0)) issues.push({ path: `${at}.text`, message: '文本节点不能为空' });
    if (n.type === 'heading' && ![1, 2, 3, 4].includes(Number(n.attrs?.level))) issues.push({ path: `${at}.attrs.level`, message: '标题级别应为 1–4' });
    if (n.type === 'image' && !isSafeUrl(n.attrs?.src)) issues.push({ path: `${at}.attrs.src`, message: '图片地址只允许 http(s) 或站内相对地址' });
    (n.marks ?? []).forEach((mark, i) => {
      const markAttrs = MARKS[mark?.type];
      if (!markAttrs) return void issues.push({ path: `${at}.marks.${i}.type`, message: `不支持的格式 ${JSON.stringify(String(mark?.type)).slice(0, 40)}` });
      for (const key of Object.keys(mark.attrs ?? {})) {
        if (!markAttrs.includes(key)) issues.push({ path: `${at}.marks.${i}.attrs.${key}`, message: `格式 ${mark.type} 不支持属性 ${key}` });
      }
      if (mark.type === 'link' && !isSafeUrl(mark.attrs?.href)) issues.push({ path: `${at}.marks.${i}.attrs.href`, message: '链接只允许 http(s) 或站内相对地址' });
    });
    if (n.content !== undefined) {
      if (!Array.isArray(n.content)) issues.push({ path: `${at}.content`, message: '应为数组' });
      else n.content.forEach((child, i) => visit(child, `${at}.content.${i}`, depth + 1));
    }
  };
  visit(doc, path, 0);
  return issues;
}

/** Safe HTML for a validated document: tiptap escapes text and attributes; validation already removed unsafe URLs. */
export function renderBodyHtml(doc: TiptapDoc): string {
  const { generateHTML, extensions } = loadRenderer();
  return generateHTML(doc, extensions);
}

/** Plain text of a document (search, digests, character counts). */
export function docText(node: TiptapNode | undefined): string {
  if (!node) return '';
  if (node.type === 'text') return node.text ?? '';
  const inner = (node.content ?? []).map(docText);
  const block = ['paragraph', 'heading', 'listItem', 'blockquote', 'codeBlock'].includes(node.type);
  return block ? `${inner.join('')}\n` : inner.join('');
}

/** Documents built in code (seed, digests): paragraphs from strings. */
export function docFromParagraphs(...paragraphs: string[]): TiptapDoc {
  return { type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', ...(text ? { content: [{ type: 'text', text }] } : {}) })) };
}
