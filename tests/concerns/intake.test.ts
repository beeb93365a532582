import { describe, expect, test } from 'vitest';
import { parseConcernFile, parseIsoDateTime, recordStartLines } from '../../server/concerns/intake.ts';
import { encodeGb18030 } from '../gb18030.ts';

const DISTRICTS = ['亭湖区', '盐都区', '阜宁县'];

describe('parseConcernFile (CSV)', () => {
  const csv = [
    'text,platform,url,category,district,capturedAt,author',
    '南洋镇小学校车超载，一辆车挤了二十个孩子,weibo,https://weibo.com/1/A,教育,亭湖区,2026-11-24T09:30:00+08:00,小盐粒',
    ',wechat,,教育,亭湖区,2026-11-24T10:00:00+08:00,', // line 3: no text
    '串场河水发黑发臭,tiktok,,环境,盐都区,2026-11-24,', // line 4: unknown platform
    '"听说高考指标要转移，',
    '是真的吗？",西祠胡同,https://www.xici.net/d1,教育,阜宁县,2026-11-25 08:00,', // lines 5–6, Chinese platform label
    '路灯不亮,weibo,not-a-url,城建,亭湖区,,', // line 7: bad url
    '路灯不亮好几天了,weibo,,城建,火星区,,', // line 8: unknown district
    '停车难,weibo,,停车,亭湖区,,', // line 9: unknown category
    '公交太少,weibo,,交通,亭湖区,2026-02-30T08:00:00+08:00,', // line 10: impossible date
    '',
    '医保报销太难,hotline,,医疗,,2026-11-26T08:00:00Z,', // line 12
  ].join('\n');

  test('keeps good rows and reports each bad row with its line number and the field at fault', () => {
    const result = parseConcernFile({ content: csv, districts: DISTRICTS });
    expect(result.rows.map((r) => r.line)).toEqual([2, 5, 12]);
    expect(result.errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [3, 'text'],
      [4, 'platform'],
      [7, 'url'],
      [8, 'district'],
      [9, 'category'],
      [10, 'capturedAt'],
    ]);
    expect(result.errors[1]!.message).toContain('tiktok');
  });

  test('normalises platform labels, multi-line quoted text and times without an offset (China time)', () => {
    const { rows } = parseConcernFile({ content: csv, districts: DISTRICTS });
    expect(rows[1]!.input).toMatchObject({ platform: 'forum-xici', text: '听说高考指标要转移，\n是真的吗？', capturedAt: '2026-11-25T00:00:00.000Z' });
    expect(rows[0]!.input.author).toBe('小盐粒');
    expect(rows[2]!.input.district).toBeUndefined();
  });

  test('reads GB18030 bytes from Excel and Chinese headers', () => {
    const sheet = '内容,平台,类别\r\n校车超载,微博,教育\r\n';
    for (const content of [Buffer.from(sheet, 'utf8'), encodeGb18030(sheet)]) {
      const { rows, errors } = parseConcernFile({ content });
      expect(errors).toEqual([]);
      expect(rows[0]!.input).toMatchObject({ text: '校车超载', platform: 'weibo', category: '教育' });
    }
  });

  test('names the real line of the file after a quoted multi-line cell in a GB18030 CRLF file', () => {
    // As Excel on Chinese Windows saves it: CRLF between rows, LF (Alt+Enter) or CRLF inside a quoted cell.
    const lines = [
      '内容,平台,区县,时间', // 1
      '校车超载,微博,亭湖区,2026/11/24', // 2
      '"河水发黑\n还有异味\n请环保部门查一查",抖音,盐都区,2026年11月24日 9:30', // 3–5 (LF inside)
      '路灯不亮,推特,亭湖区,', // 6: unknown platform
      '"高考指标\r\n要转移？",小红书,阜宁县,46350.5', // 7–8 (CRLF inside)
      '停车难,微博,火星区,', // 9: unknown district
      '', // 10: blank
      '公交太少,快手,亭湖,', // 11
    ];
    const content = encodeGb18030(`${lines.join('\r\n')}\r\n`);
    const { rows, errors } = parseConcernFile({ content, districts: DISTRICTS });
    expect(rows.map((r) => [r.line, r.input.platform])).toEqual([
      [2, 'weibo'],
      [3, 'douyin'],
      [7, 'xiaohongshu'],
      [11, 'kuaishou'],
    ]);
    expect(rows[1]!.input.text).toBe('河水发黑\n还有异味\n请环保部门查一查');
    expect(errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [6, 'platform'],
      [9, 'district'],
    ]);
  });

  test('counts record starts like an editor counts lines (LF, CRLF or CR files)', () => {
    expect(recordStartLines('a,b\n"x\ny",1\n\nz,2\n')).toEqual([1, 2, 5]);
    expect(recordStartLines('a,b\r\n"x\r\ny\nw",1\r\nz,2')).toEqual([1, 2, 5]);
    expect(recordStartLines('a,b\r"x\ry",1\rz,2\r')).toEqual([1, 2, 4]);
    expect(recordStartLines('a,b\n"say ""hi""\nok",1\nz,2')).toEqual([1, 2, 4]);
  });

  test('rejects a file without a text column, naming the column', () => {
    const { rows, errors } = parseConcernFile({ content: 'body,platform\nx,weibo\n' });
    expect(rows).toEqual([]);
    expect(errors[0]).toMatchObject({ line: 1 });
    expect(errors[0]!.message).toMatch(/^text: /);
  });

  test('reports an unclosed quote with the line where parsing stopped', () => {
    const { errors } = parseConcernFile({ content: 'text,platform\n"open,weibo\n' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^csv: /);
  });
});

describe('parseConcernFile (JSON Lines)', () => {
  test('validates each line and reports bad JSON and wrong types by line', () => {
    const jsonl = [
      '{"text":"校车超载","platform":"weibo","url":"https://weibo.com/2"}',
      '{"text":"河水发臭","platform":"wechat"',
      '',
      '["not","an","object"]',
      '{"text":42,"platform":"weibo"}',
      '{"text":"医保报销","platform":"youth-voice","capturedAt":"yesterday"}',
      '{"text":"停车难","platform":"580志愿服务网","category":"城建"}',
    ].join('\n');
    const result = parseConcernFile({ content: jsonl });
    expect(result.rows.map((r) => [r.line, r.input.platform])).toEqual([
      [1, 'weibo'],
      [7, 'site580'],
    ]);
    expect(result.errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [2, 'json'],
      [4, 'json'],
      [5, 'text'],
      [6, 'capturedAt'],
    ]);
  });
});

describe('parseIsoDateTime', () => {
  test('accepts offsets, Z and bare dates and rejects impossible ones', () => {
    expect(parseIsoDateTime('2026-11-24T09:30:00+08:00')?.toISOString()).toBe('2026-11-24T01:30:00.000Z');
    expect(parseIsoDateTime('2026-11-24T01:30:00Z')?.toISOString()).toBe('2026-11-24T01:30:00.000Z');
    expect(parseIsoDateTime('2026-11-24')?.toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(parseIsoDateTime('2026-13-01')).toBeUndefined();
    expect(parseIsoDateTime('24/11/2026')).toBeUndefined();
  });
});
