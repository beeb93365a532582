import type { TiptapDoc, TiptapNode } from '../../content/tiptap.ts';

/** One readable block of a document: a paragraph, heading, list item, quote line or image. */
export interface Block {
  kind: string;
  text: string;
}

export type Segment = { op: 'equal' | 'insert' | 'delete'; text: string };
export type BlockDiff =
  | { op: 'equal' | 'insert' | 'delete'; block: Block }
  | { op: 'change'; kind: string; segments: Segment[] };

const inlineText = (node: TiptapNode): string =>
  node.type === 'text' ? (node.text ?? '') : node.type === 'hardBreak' ? '\n' : node.type === 'image' ? `［图片：${String(node.attrs?.alt || node.attrs?.src || '')}］` : (node.content ?? []).map(inlineText).join('');

/** Flattens a document into blocks, marks links so a changed URL shows up in the diff. */
export function docBlocks(doc: TiptapDoc | undefined): Block[] {
  const out: Block[] = [];
  const visit = (node: TiptapNode, prefix: string, kindHint?: string) => {
    switch (node.type) {
      case 'doc':
        return (node.content ?? []).forEach((n) => visit(n, prefix));
      case 'heading':
        return void out.push({ kind: `${Number(node.attrs?.level ?? 2)} 级标题`, text: prefix + linkedText(node) });
      case 'paragraph':
        return void out.push({ kind: kindHint ?? '段落', text: prefix + linkedText(node) });
      case 'blockquote':
        return (node.content ?? []).forEach((n) => visit(n, `${prefix}> `, '引用'));
      case 'bulletList':
      case 'orderedList':
        return (node.content ?? []).forEach((li, i) => (li.content ?? []).forEach((n, j) => visit(n, j === 0 ? `${prefix}${node.type === 'bulletList' ? '• ' : `${i + 1}. `}` : `${prefix}   `, '列表项')));
      case 'codeBlock':
        return void out.push({ kind: '代码', text: prefix + inlineText(node) });
      case 'image':
        return void out.push({ kind: '图片', text: prefix + inlineText(node) });
      case 'table':
        return (node.content ?? []).forEach((row) => out.push({ kind: '表格行', text: prefix + (row.content ?? []).map((cell) => (cell.content ?? []).map(inlineText).join(' ')).join(' | ') }));
      case 'horizontalRule':
        return void out.push({ kind: '分隔线', text: '———' });
      default:
        return void out.push({ kind: node.type, text: prefix + inlineText(node) });
    }
  };
  if (doc) visit(doc, '');
  return out;
}

function linkedText(node: TiptapNode): string {
  return (node.content ?? [])
    .map((n) => {
      const link = n.marks?.find((m) => m.type === 'link');
      return link ? `${inlineText(n)}〔${String(link.attrs?.href ?? '')}〕` : inlineText(n);
    })
    .join('');
}

/** Longest-common-subsequence edit script of two sequences (fine for documents of a few hundred blocks). */
function lcsOps<T>(a: T[], b: T[], same: (x: T, y: T) => boolean): { op: 'equal' | 'insert' | 'delete'; a?: T; b?: T }[] {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) table[i]![j] = same(a[i]!, b[j]!) ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const ops: { op: 'equal' | 'insert' | 'delete'; a?: T; b?: T }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(a[i]!, b[j]!)) ops.push({ op: 'equal', a: a[i++]!, b: b[j++]! });
    else if (i < n && (j === m || table[i + 1]![j]! >= table[i]![j + 1]!)) ops.push({ op: 'delete', a: a[i++]! });
    else ops.push({ op: 'insert', b: b[j++]! });
  }
  return ops;
}

/** Character-level diff (Chinese has no spaces to split words on); whole-text replace past a size cap. */
export function diffText(before: string, after: string): Segment[] {
  const a = [...before];
  const b = [...after];
  if (a.length * b.length > 4_000_000) return [{ op: 'delete', text: before }, { op: 'insert', text: after }].filter((s) => s.text) as Segment[];
  const out: Segment[] = [];
  for (const { op, a: x, b: y } of lcsOps(a, b, (p, q) => p === q)) {
    const ch = (op === 'insert' ? y : x) ?? '';
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += ch;
    else out.push({ op, text: ch });
  }
  return out;
}

/** Two versions of a block count as one edited block when at least half of the shorter one survives. */
function similar(a: string, b: string): boolean {
  const shorter = Math.min([...a].length, [...b].length);
  if (shorter === 0) return true;
  const kept = diffText(a, b).filter((s) => s.op === 'equal').reduce((n, s) => n + [...s.text].length, 0);
  return kept / shorter >= 0.5;
}

/** Block diff of two documents; in a run of deleted blocks followed by inserted ones, pairs of the same kind become a `change` with an inline diff. */
export function diffDocs(before: TiptapDoc | undefined, after: TiptapDoc | undefined): BlockDiff[] {
  const ops = lcsOps(docBlocks(before), docBlocks(after), (x, y) => x.kind === y.kind && x.text === y.text);
  const out: BlockDiff[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.op === 'equal') {
      out.push({ op: 'equal', block: ops[k++]!.a! });
      continue;
    }
    const deleted: Block[] = [];
    const inserted: Block[] = [];
    while (k < ops.length && ops[k]!.op === 'delete') deleted.push(ops[k++]!.a!);
    while (k < ops.length && ops[k]!.op === 'insert') inserted.push(ops[k++]!.b!);
    // pair each deleted block with the next inserted block of the same kind that shares enough text
    const partner = new Map<number, number>();
    let from = 0;
    deleted.forEach((x, d) => {
      for (let i = from; i < inserted.length; i++) {
        if (inserted[i]!.kind === x.kind && similar(x.text, inserted[i]!.text)) {
          partner.set(i, d);
          from = i + 1;
          return;
        }
      }
    });
    const paired = new Set(partner.values());
    let d = 0;
    inserted.forEach((y, i) => {
      const p = partner.get(i);
      if (p === undefined) return void out.push({ op: 'insert', block: y });
      for (; d < p; d++) if (!paired.has(d)) out.push({ op: 'delete', block: deleted[d]! });
      out.push({ op: 'change', kind: y.kind, segments: diffText(deleted[p]!.text, y.text) });
      d = p + 1;
    });
    for (; d < deleted.length; d++) if (!paired.has(d)) out.push({ op: 'delete', block: deleted[d]! });
  }
  return out;
}

/** Counts for the diff summary line. */
export function diffStats(diff: BlockDiff[]): { inserted: number; deleted: number; changed: number } {
  return {
    inserted: diff.filter((d) => d.op === 'insert').length,
    deleted: diff.filter((d) => d.op === 'delete').length,
    changed: diff.filter((d) => d.op === 'change').length,
  };
}
