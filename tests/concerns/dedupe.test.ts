import { describe, expect, test } from 'vitest';
import { DuplicateIndex, planImport, type ExistingConcern } from '../../server/concerns/dedupe.ts';
import { parseConcernFile } from '../../server/concerns/intake.ts';
import { fingerprintText } from '../../server/groups/text.ts';

describe('DuplicateIndex', () => {
  test('links a repost with extra noise to the original, not unrelated text', () => {
    const index = new DuplicateIndex();
    index.add({ id: 'a', text: '南洋镇小学的校车严重超载，一辆车挤了22个孩子，太危险了' });
    index.add({ id: 'b', text: '串场河河水发黑发臭，附近居民受不了' });
    expect(index.find('转：南洋镇小学的校车严重超载，一辆车挤了22个孩子，太危险了！！ @盐城发布')).toBe('a');
    expect(index.find('南洋镇小学的校车严重超载 一辆车挤了22个孩子 太危险了')).toBe('a');
    expect(index.find('步凤镇中学的校车司机开得飞快，差点出事')).toBeUndefined();
    expect(index.find('蟒蛇河有死鱼，沿岸住户反映多次')).toBeUndefined();
  });

  test('points chains of duplicates at the first concern', () => {
    const index = new DuplicateIndex();
    index.add({ id: 'a', text: '市一院儿科号太难挂，凌晨排了3个小时也挂不上' });
    index.add({ id: 'b', text: '同问，市一院儿科号太难挂，凌晨排了3个小时也挂不上', duplicateOf: 'a' });
    expect(index.find('+1 同问，市一院儿科号太难挂，凌晨排了3个小时也挂不上')).toBe('a');
  });
});

describe('planImport', () => {
  const csv = [
    'text,platform,url,capturedAt',
    '南洋镇小学的校车严重超载，一辆车挤了22个孩子,weibo,https://weibo.com/1/A,2026-11-24T09:00:00+08:00',
    '转：南洋镇小学的校车严重超载，一辆车挤了22个孩子！！,wechat,,2026-11-24T10:00:00+08:00',
    '串场河河水发黑发臭，附近居民受不了,hotline,,2026-11-25T10:00:00+08:00',
    '南洋镇小学的校车严重超载，一辆车挤了22个孩子,weibo,,2026-12-08T09:00:00+08:00',
  ].join('\n');
  let n = 0;
  const makeId = () => `c${++n}`;
  const now = new Date('2026-12-10T00:00:00Z');

  test('links same-week repeats with duplicateOf and keeps them', () => {
    const { planned, skipped } = planImport({ rows: parseConcernFile({ content: csv }).rows, existing: [], now, makeId });
    expect(skipped).toBe(0);
    expect(planned).toHaveLength(4);
    expect(planned[1]!.duplicateOf).toBe(planned[0]!.id);
    expect(planned[2]!.duplicateOf).toBeUndefined();
    // Same words two weeks later is a new concern for that week, not a duplicate.
    expect(planned[3]!.week).toBe('2026-W50');
    expect(planned[3]!.duplicateOf).toBeUndefined();
  });

  test('re-importing the same rows adds nothing (by URL, else by platform + fingerprint)', () => {
    const rows = parseConcernFile({ content: csv }).rows;
    const first = planImport({ rows, existing: [], now, makeId });
    const existing: ExistingConcern[] = first.planned.map((p) => ({
      id: p.id,
      text: p.input.text,
      fingerprint: p.fingerprint,
      week: p.week,
      source: { platform: p.input.platform, url: p.input.url },
    }));
    const again = planImport({ rows, existing, now, makeId });
    expect(again).toEqual({ planned: [], skipped: 4 });
  });

  test('fingerprints ignore punctuation, case, spaces and links', () => {
    expect(fingerprintText('校车 超载！！ https://t.cn/x')).toBe(fingerprintText('校车超载。'));
    expect(fingerprintText('校车超载')).not.toBe(fingerprintText('校车超员'));
  });
});
