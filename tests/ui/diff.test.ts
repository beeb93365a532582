import { describe, expect, test } from 'vitest';
import { diffDocs, diffStats, diffText, docBlocks } from '../../server/ui/review/diff.ts';
import { docFromParagraphs, type TiptapDoc } from '../../server/content/tiptap.ts';

const doc = (...content: object[]) => ({ type: 'doc', content }) as TiptapDoc;
const p = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });

describe('diffText', () => {
  test('marks inserted and deleted characters of Chinese text', () => {
    expect(diffText('新增 10 辆校车', '新增 12 辆校车')).toEqual([
      { op: 'equal', text: '新增 1' },
      { op: 'delete', text: '0' },
      { op: 'insert', text: '2' },
      { op: 'equal', text: ' 辆校车' },
    ]);
  });
});

describe('docBlocks', () => {
  test('flattens headings, list items, links and images into readable blocks', () => {
    const blocks = docBlocks(
      doc(
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '标题' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [p('第一项')] }] },
        { type: 'paragraph', content: [{ type: 'text', text: '官网', marks: [{ type: 'link', attrs: { href: 'https://a.cn/' } }] }] },
        { type: 'image', attrs: { src: '/media/ab/x.png', alt: '示意图' } },
      ),
    );
    expect(blocks).toEqual([
      { kind: '2 级标题', text: '标题' },
      { kind: '列表项', text: '• 第一项' },
      { kind: '段落', text: '官网〔https://a.cn/〕' },
      { kind: '图片', text: '［图片：示意图］' },
    ]);
  });
});

describe('diffDocs', () => {
  test('keeps unchanged blocks, marks new and removed ones, and shows an edited paragraph inline', () => {
    const before = docFromParagraphs('第一段不变。', 'K3 路自下周起调整站点。', '这一段会被删掉，内容完全不同。');
    const after = doc({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '调整内容' }] }, p('第一段不变。'), p('K3 路自 12 月 9 日起调整站点。'));
    const diff = diffDocs(before, after);
    expect(diff.map((d) => d.op)).toEqual(['insert', 'equal', 'change', 'delete']);
    const change = diff[2]!;
    expect(change.op === 'change' && change.segments.filter((s) => s.op === 'insert').map((s) => s.text).join('')).toContain('12 月 9 日');
    expect(diffStats(diff)).toEqual({ inserted: 1, deleted: 1, changed: 1 });
  });

  test('against no earlier version everything is new', () => {
    expect(diffDocs(undefined, docFromParagraphs('一', '二')).every((d) => d.op === 'insert')).toBe(true);
  });
});
