import { describe, expect, test } from 'vitest';
import { fitText, measureText } from '../../server/video/layout.ts';
import { NO_LINE_END, NO_LINE_START, wrapText } from '../../server/video/line-break.ts';
import { fonts } from '../../server/media/fonts.ts';

const texts = [
  '校车每天早上七点从学校出发，请家长提前十分钟到站等候。如遇恶劣天气（暴雨、冰雹），以学校短信通知为准！',
  '我们说：「安全第一」！下午3:30放学，低年级先上车；高年级随后。',
  '《校车安全管理条例》第十条规定：校车应当配备随车照管人员。',
  '请拨打12345热线，或登录 lianxin.example.cn 留言……我们会在三个工作日内答复。',
];
const measure = (s: string) => measureText(s, 48, fonts.medium);

describe('wrapText (Chinese line breaking)', () => {
  test.each([200, 260, 330, 410, 520, 700])('at %i px no line starts with closing or ends with opening punctuation', (width) => {
    for (const text of texts) {
      const lines = wrapText(text, width, measure);
      expect(lines.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
      for (const line of lines) {
        expect(NO_LINE_START.has(line[0]!), `${JSON.stringify(line)} starts with closing punctuation`).toBe(false);
        expect(NO_LINE_END.has(line[line.length - 1]!), `${JSON.stringify(line)} ends with opening punctuation`).toBe(false);
      }
    }
  });

  test('moves the last character down rather than starting a line with a comma', () => {
    const m = (s: string) => [...s].length;
    expect(wrapText('一二三四五，六七八', 5, m)).toEqual(['一二三四', '五，六七八']);
  });

  test('keeps Latin words and numbers whole', () => {
    const lines = wrapText('请登录 lianxin.example.cn 查询12345号', 330, measure);
    expect(lines.some((l) => l.includes('lianxin.example.cn'))).toBe(true);
    expect(lines.some((l) => l.includes('12345'))).toBe(true);
  });

  test('honours explicit line breaks', () => {
    expect(wrapText('第一行\n第二行', 1000, measure)).toEqual(['第一行', '第二行']);
  });
});

describe('fitText', () => {
  test('shrinks the font before giving up', () => {
    const block = fitText({ text: texts[0]!, font: fonts.medium, maxWidth: 700, maxHeight: 300, startSize: 64, minSize: 36, path: 'scenes.0.text' });
    expect(block.fontSize).toBeLessThan(64);
    expect(block.height).toBeLessThanOrEqual(300);
    expect(block.width).toBeLessThanOrEqual(700);
  });

  test('names the field when the text cannot fit at the smallest size', () => {
    expect(() => fitText({ text: texts[0]!.repeat(3), font: fonts.medium, maxWidth: 700, maxHeight: 200, startSize: 64, minSize: 40, path: 'scenes.3.text' })).toThrow(/^scenes\.3\.text: 文字太长/);
  });

  test('balances a two-line title instead of leaving one character alone', () => {
    const block = fitText({ text: '校车安全，我们这样做', font: fonts.bold, maxWidth: 840, maxHeight: 600, startSize: 112, minSize: 60, lineHeight: 1.25, path: 'titleCard.title' });
    expect(block.lines).toEqual(['校车安全，', '我们这样做']);
  });
});
