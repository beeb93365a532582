import { createRequire } from 'node:module';
import type { Extensions } from '@tiptap/core';
import type * as TiptapHtml from '@tiptap/html/server';
import type ImageExtension from '@tiptap/extension-image';
import type StarterKitExtension from '@tiptap/starter-kit';
import type * as TableExtension from '@tiptap/extension-table';
import type { Issue } from '../errors.ts';
import { CODE_LANGUAGES, LINK_CLASSES, LINK_RELS, LIST_TYPES, sanitizeBodyHtml } from '../security/html.ts';
import { isSafeUrl, SAFE_URL_MESSAGE } from '../security/url.ts';
import { hasControlChars, hasXmlInvalid } from '../security/text.ts';

export { isSafeUrl };

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
    const { TableKit } = require('@tiptap/extension-table') as typeof TableExtension;
    renderer = { generateHTML, extensions: [StarterKit.configure({ link: { openOnClick: false, protocols: ['http', 'https'] } }), Image, TableKit.configure({ table: { resizable: false } })] };
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
  // tables (pasted from Word/WPS or inserted): cells hold paragraphs
  table: [],
  tableRow: [],
  tableHeader: ['colspan', 'rowspan', 'colwidth', 'align'],
  tableCell: ['colspan', 'rowspan', 'colwidth', 'align'],
};
const MARKS: Record<string, readonly string[]> = {
  bold: [],
  italic: [],
  strike: [],
  code: [],
  underline: [],
  link: ['href', 'target', 'rel', 'class', 'title'],
};

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
    else if (n.type === 'text' && hasXmlInvalid(n.text!)) issues.push({ path: `${at}.text`, message: '文本含有无法发布的控制字符或非字符（如 U+FFFF）' });
    for (const issue of checkNodeAttrs(n)) issues.push({ path: `${at}.attrs.${issue.path}`, message: issue.message });
    if (n.type === 'heading' && ![1, 2, 3, 4].includes(Number(n.attrs?.level))) issues.push({ path: `${at}.attrs.level`, message: '标题级别应为 1–4' });
    for (const key of ['colspan', 'rowspan'] as const) {
      const v = n.attrs?.[key];
      if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100)) issues.push({ path: `${at}.attrs.${key}`, message: '合并单元格数应为 1–100 的整数' });
    }
    if (n.attrs?.colwidth !== undefined && n.attrs.colwidth !== null && !(Array.isArray(n.attrs.colwidth) && n.attrs.colwidth.every((w) => Number.isInteger(w) && w > 0 && w < 5000))) issues.push({ path: `${at}.attrs.colwidth`, message: '列宽格式不对' });
    if (n.attrs?.align !== undefined && n.attrs.align !== null && !['left', 'center', 'right', 'justify'].includes(String(n.attrs.align))) issues.push({ path: `${at}.attrs.align`, message: '对齐方式只能是 left、center、right、justify' });
    if (n.type === 'image' && !isSafeUrl(n.attrs?.src)) issues.push({ path: `${at}.attrs.src`, message: `图片地址${SAFE_URL_MESSAGE}` });
    (n.marks ?? []).forEach((mark, i) => {
      const markAttrs = MARKS[mark?.type];
      if (!markAttrs) return void issues.push({ path: `${at}.marks.${i}.type`, message: `不支持的格式 ${JSON.stringify(String(mark?.type)).slice(0, 40)}` });
      for (const key of Object.keys(mark.attrs ?? {})) {
        if (!markAttrs.includes(key)) issues.push({ path: `${at}.marks.${i}.attrs.${key}`, message: `格式 ${mark.type} 不支持属性 ${key}` });
      }
      if (mark.type === 'link' && !isSafeUrl(mark.attrs?.href)) issues.push({ path: `${at}.marks.${i}.attrs.href`, message: `链接${SAFE_URL_MESSAGE}` });
      if (mark.type === 'link') for (const issue of checkLinkAttrs(mark.attrs ?? {})) issues.push({ path: `${at}.marks.${i}.attrs.${issue.path}`, message: issue.message });
    });
    if (n.content !== undefined) {
      if (!Array.isArray(n.content)) issues.push({ path: `${at}.content`, message: '应为数组' });
      else n.content.forEach((child, i) => visit(child, `${at}.content.${i}`, depth + 1));
    }
  };
  visit(doc, path, 0);
  return issues;
}

/**
 * Safe HTML for a validated document. tiptap's serializer leaves `<`/`>` unescaped inside attribute
 * values, so its output is re-built through the allow-list sanitizer (a real HTML parse) before
 * anyone stores or rewrites it.
 */
export function renderBodyHtml(doc: TiptapDoc): string {
  const { generateHTML, extensions } = loadRenderer();
  return sanitizeBodyHtml(generateHTML(doc, extensions));
}

const nullish = (v: unknown) => v === null || v === undefined;
const plainText = (v: unknown, max: number) => nullish(v) || (typeof v === 'string' && v.length <= max && !hasControlChars(v));
const intIn = (v: unknown, min: number, max: number) => nullish(v) || (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) || (typeof v === 'string' && /^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max);

/** Attribute values of a node, each from a fixed set, a bounded number or plain text. */
function checkNodeAttrs(n: TiptapNode): Issue[] {
  const a = n.attrs ?? {};
  const issues: Issue[] = [];
  const bad = (path: string, message: string) => issues.push({ path, message });
  if ('textAlign' in a && !(nullish(a.textAlign) || ['left', 'center', 'right', 'justify'].includes(a.textAlign as string))) bad('textAlign', '对齐方式只能是 left、center、right 或 justify');
  if (n.type === 'codeBlock' && !(nullish(a.language) || (CODE_LANGUAGES as readonly string[]).includes(a.language as string))) bad('language', `代码语言只能是 ${CODE_LANGUAGES.join('、')} 之一`);
  if (n.type === 'orderedList') {
    if (!intIn(a.start, 0, 100_000)) bad('start', '起始序号应为 0–100000 的整数');
    if (!(nullish(a.type) || (LIST_TYPES as readonly string[]).includes(a.type as string))) bad('type', `编号样式只能是 ${LIST_TYPES.join('、')}`);
  }
  if (n.type === 'image') {
    if (!plainText(a.alt, 500)) bad('alt', '图片说明应为不超过 500 字的纯文本');
    if (!plainText(a.title, 500)) bad('title', '图片标题应为不超过 500 字的纯文本');
    if (!intIn(a.width, 1, 20_000)) bad('width', '宽度应为 1–20000 的整数');
    if (!intIn(a.height, 1, 20_000)) bad('height', '高度应为 1–20000 的整数');
  }
  return issues;
}

function checkLinkAttrs(a: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  if (!(nullish(a.target) || a.target === '_blank')) issues.push({ path: 'target', message: '链接打开方式只能是 _blank' });
  if (!(nullish(a.rel) || (LINK_RELS as readonly string[]).includes(a.rel as string))) issues.push({ path: 'rel', message: `rel 只能是 ${LINK_RELS.join('、')}` });
  if (!(nullish(a.class) || LINK_CLASSES.includes(a.class as string))) issues.push({ path: 'class', message: '链接不支持自定义样式类' });
  if (!plainText(a.title, 500)) issues.push({ path: 'title', message: '链接标题应为不超过 500 字的纯文本' });
  return issues;
}

/** Plain text of a document (search, digests, character counts). */
export function docText(node: TiptapNode | undefined): string {
  if (!node) return '';
  if (node.type === 'text') return node.text ?? '';
  const inner = (node.content ?? []).map(docText);
  const block = ['paragraph', 'heading', 'listItem', 'blockquote', 'codeBlock', 'tableRow'].includes(node.type);
  return block ? `${inner.join('')}\n` : inner.join('');
}

/** Documents built in code (seed, digests): paragraphs from strings. */
export function docFromParagraphs(...paragraphs: string[]): TiptapDoc {
  return { type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', ...(text ? { content: [{ type: 'text', text }] } : {}) })) };
}
