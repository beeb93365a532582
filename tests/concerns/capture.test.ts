import { describe, expect, test } from 'vitest';
import { checkConcernFields, matchDistrict, parseSheetDateTime } from '../../server/concerns/fields.ts';
import { decodeText, parseConcernFile } from '../../server/concerns/intake.ts';

const DISTRICTS = ['亭湖区', '盐都区', '大丰区', '东台市', '阜宁县', '盐南高新区'];

describe('parseSheetDateTime', () => {
  test('reads the dates Excel writes, as China time', () => {
    expect(parseSheetDateTime('2026/11/29')?.toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(parseSheetDateTime('2026/11/29 9:30')?.toISOString()).toBe('2026-11-29T01:30:00.000Z');
    expect(parseSheetDateTime('2026年11月29日')?.toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(parseSheetDateTime('2026年11月29日 9:30')?.toISOString()).toBe('2026-11-29T01:30:00.000Z');
    expect(parseSheetDateTime('2026-11-29 9:30')?.toISOString()).toBe('2026-11-29T01:30:00.000Z');
    expect(parseSheetDateTime('2026-11-24T09:30:00+08:00')?.toISOString()).toBe('2026-11-24T01:30:00.000Z');
    // Excel serial 46355 is 2026-11-29 (day 0 = 1899-12-30); .5 is noon.
    expect(parseSheetDateTime('46355')?.toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(parseSheetDateTime('46355.5')?.toISOString()).toBe('2026-11-29T04:00:00.000Z');
  });

  test('refuses what is not a date', () => {
    for (const bad of ['2026/13/01', '2026年2月30日', '2026/11/29 25:00', '12', '999999', '明天', '']) expect(parseSheetDateTime(bad)).toBeUndefined();
  });
});

describe('matchDistrict', () => {
  test('finds the district a short name means, and several when it is ambiguous', () => {
    expect(matchDistrict('亭湖', DISTRICTS)).toEqual(['亭湖区']);
    expect(matchDistrict('东台', DISTRICTS)).toEqual(['东台市']);
    expect(matchDistrict('盐', DISTRICTS)).toEqual([]);
    expect(matchDistrict('盐都区', DISTRICTS)).toEqual(['盐都区']);
    expect(matchDistrict('盐南', DISTRICTS)).toEqual(['盐南高新区']);
    expect(matchDistrict('海淀', DISTRICTS)).toEqual([]);
  });

  test('an ambiguous name is refused with a suggestion naming the field', () => {
    const two = checkConcernFields({ text: 'x', platform: '微博', district: '大丰' }, { districts: ['大丰区', '大丰市'] });
    expect('issue' in two && two.issue.message).toMatch(/^区县 “大丰” 不明确，你是不是指：大丰区、大丰市/);
  });
});

describe('platforms', () => {
  test('accepts the new video and news platforms by id or Chinese name, and lists Chinese names when unknown', () => {
    for (const [name, id] of [['抖音', 'douyin'], ['快手', 'kuaishou'], ['小红书', 'xiaohongshu'], ['哔哩哔哩', 'bilibili'], ['B站', 'bilibili'], ['今日头条', 'toutiao'], ['12345 热线', 'hotline'], ['12345', 'hotline']]) {
      const r = checkConcernFields({ text: 'x', platform: name }, {});
      expect('input' in r && r.input.platform).toBe(id);
    }
    const bad = checkConcernFields({ text: 'x', platform: 'tiktok' }, {});
    expect('issue' in bad && bad.issue.message).toMatch(/可用：微博、微信.*抖音、快手、小红书、哔哩哔哩、今日头条/);
    expect('issue' in bad && bad.issue.message).not.toMatch(/weibo|forum-xici/);
  });
});

describe('a sheet saved from Excel (UTF-8 with BOM, Chinese headers, Excel dates, short district names)', () => {
  test('imports every row', () => {
    const csv = '内容,平台,链接,类别,区县,时间,作者\r\n青年路地道积水,抖音,,交通,亭湖,2026/11/24 9:30,小盐粒\r\n停电两天,小红书,,其他,盐都区,2026年11月25日,\r\n谣言,今日头条,,其他,阜宁,46350,\r\n';
    const result = parseConcernFile({ content: decodeText(new TextEncoder().encode(`\uFEFF${csv}`)), format: 'csv', districts: DISTRICTS, now: new Date('2026-11-30T00:00:00Z') });
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.input.platform, r.input.district, r.input.capturedAt])).toEqual([
      ['douyin', '亭湖区', '2026-11-24T01:30:00.000Z'],
      ['xiaohongshu', '盐都区', '2026-11-24T16:00:00.000Z'],
      ['toutiao', '阜宁县', '2026-11-23T16:00:00.000Z'],
    ]);
  });
});
