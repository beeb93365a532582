import { parseFragment, type DefaultTreeAdapterTypes as T } from 'parse5';
import { isSafeUrl } from './url.ts';
import { stripXmlInvalid } from './text.ts';

/** Code-block languages the editor offers; anything else is refused at save and dropped here. */
export const CODE_LANGUAGES = ['plaintext', 'text', 'bash', 'shell', 'json', 'javascript', 'typescript', 'html', 'css', 'xml', 'yaml', 'markdown', 'python', 'sql', 'java', 'c', 'cpp', 'go', 'rust'] as const;
/** Link classes the editor may set (none today; the set is the place to add one). */
export const LINK_CLASSES: readonly string[] = [];
export const LINK_RELS = ['noopener noreferrer nofollow', 'noopener noreferrer', 'nofollow'] as const;
export const LIST_TYPES = ['1', 'a', 'A', 'i', 'I'] as const;

type AttrRule = (value: string) => string | undefined;
const text: AttrRule = (v) => stripXmlInvalid(v).slice(0, 500);
const url: AttrRule = (v) => (isSafeUrl(v) ? v : undefined);
const oneOf = (values: readonly string[]): AttrRule => (v) => (values.includes(v) ? v : undefined);
const int = (max: number): AttrRule => (v) => (/^\d{1,6}$/.test(v) && Number(v) <= max ? String(Number(v)) : undefined);

/** The elements the body may contain, with the attributes each keeps. Everything else is dropped. */
const ELEMENTS: Record<string, Record<string, AttrRule>> = {
  p: {},
  h1: {},
  h2: {},
  h3: {},
  h4: {},
  blockquote: {},
  ul: {},
  ol: { start: int(100_000), type: oneOf(LIST_TYPES) },
  li: {},
  pre: {},
  code: { class: oneOf(CODE_LANGUAGES.map((l) => `language-${l}`)) },
  br: {},
  hr: {},
  strong: {},
  em: {},
  s: {},
  u: {},
  a: { href: url, target: oneOf(['_blank']), rel: oneOf(LINK_RELS), class: oneOf(LINK_CLASSES), title: text },
  img: { src: url, alt: text, title: text, width: int(20_000), height: int(20_000) },
  // tables (pasted from Word/WPS or inserted in the editor) and image captions
  table: {},
  thead: {},
  tbody: {},
  tr: {},
  th: { colspan: int(100), rowspan: int(100) },
  td: { colspan: int(100), rowspan: int(100) },
  figure: {},
  figcaption: {},
};
const VOID = new Set(['br', 'hr', 'img']);
/** Dropped with everything inside them (the rest of the unknown elements are unwrapped, keeping their text). */
const DROP_WITH_CONTENT = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'noembed', 'noframes', 'xmp', 'svg', 'math', 'textarea', 'select', 'title', 'head', 'frameset', 'frame', 'applet', 'plaintext']);

const escapeText = (s: string) => s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
/**
 * Attribute values are always double-quoted, so `&` and `"` are what must be escaped (the HTML
 * serialization algorithm's rule); `<`/`>` inside a quoted value are text to every HTML parser,
 * which is why nothing downstream may find tags in this HTML with patterns.
 */
export const escapeAttr = (s: string) => s.replace(/[&"]/g, (c) => (c === '&' ? '&amp;' : '&quot;'));

export interface SanitizeOptions {
  /** Renders an allowed image (its attributes already checked) as trusted HTML, e.g. a responsive <picture>. */
  image?: (attrs: Record<string, string>) => string;
}

/**
 * Re-builds body HTML from a real HTML parse (parse5, the WHATWG algorithm browsers use): only
 * the allowed elements and attributes survive, URLs pass the URL rule, every text and attribute is
 * re-escaped on output. It never rewrites serialized HTML with patterns, so an attribute value that
 * looks like a tag stays text.
 */
export function sanitizeBodyHtml(html: string, options: SanitizeOptions = {}): string {
  const fragment = parseFragment(html);
  const out: string[] = [];
  const walk = (nodes: T.ChildNode[]) => {
    for (const node of nodes) {
      if (node.nodeName === '#text') out.push(escapeText(stripXmlInvalid((node as T.TextNode).value)));
      if (!('tagName' in node)) continue; // comments, doctypes
      const el = node as T.Element;
      const name = el.tagName.toLowerCase();
      if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml' || DROP_WITH_CONTENT.has(name)) continue;
      const rules = ELEMENTS[name];
      if (!rules) {
        walk(el.childNodes);
        continue;
      }
      const attrs: Record<string, string> = {};
      for (const a of el.attrs) {
        const rule = rules[a.name];
        const value = rule?.(a.value);
        if (value !== undefined && !(a.name in attrs)) attrs[a.name] = value;
      }
      if (name === 'img') {
        if (!attrs.src) continue;
        out.push(options.image ? options.image(attrs) : `<img${serializeAttrs(attrs)}>`);
        continue;
      }
      if (name === 'a' && attrs.target === '_blank' && !attrs.rel) attrs.rel = 'noopener noreferrer nofollow';
      out.push(`<${name}${serializeAttrs(attrs)}>`);
      if (VOID.has(name)) continue;
      walk(el.childNodes);
      out.push(`</${name}>`);
    }
  };
  walk(fragment.childNodes);
  return out.join('');
}

function serializeAttrs(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'div', 'pre', 'tr']);

/** Plain text of an HTML fragment from a real parse: attribute values never leak into it, entities are decoded. */
export function htmlToPlainText(html: string): string {
  const out: string[] = [];
  const walk = (nodes: T.ChildNode[]) => {
    for (const node of nodes) {
      if (node.nodeName === '#text') out.push((node as T.TextNode).value);
      if (!('tagName' in node)) continue;
      const name = node.tagName.toLowerCase();
      if (DROP_WITH_CONTENT.has(name)) continue;
      if (name === 'br') out.push('\n');
      walk(node.childNodes);
      if (BLOCKS.has(name)) out.push('\n');
    }
  };
  walk(parseFragment(html).childNodes);
  return out.join('').replace(/\n{2,}/g, '\n').trim();
}

/** `src` of every <img> in an HTML fragment, in order (from a real parse). */
export function imageSources(html: string): string[] {
  const found: string[] = [];
  const walk = (nodes: T.ChildNode[]) => {
    for (const node of nodes) {
      if (!('tagName' in node)) continue;
      if (node.tagName === 'img') {
        const src = node.attrs.find((a) => a.name === 'src')?.value;
        if (src) found.push(src);
      }
      walk(node.childNodes);
    }
  };
  walk(parseFragment(html).childNodes);
  return found;
}
