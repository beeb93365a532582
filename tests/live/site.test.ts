import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, type TestEnv } from '../helpers.ts';
import { buildSite } from '../../server/publish/service.ts';
import { itemsOf } from '../../server/content/service.ts';
import { QA_TITLE, STORM_TITLE } from '../../scripts/seed/live.ts';
import type { Item } from '../../server/content/schema.ts';

let env: TestEnv;
let outDir: string;
let storm: Item;
let qa: Item;
const page = (path: string) => readFileSync(join(outDir, path, 'index.html'), 'utf8');
const jsonLd = (html: string) => [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!));

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  outDir = join(env.dir, 'site');
  await buildSite({ dataDir: env.dir, outDir, siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' }, { search: false, cards: false });
  const items = await itemsOf(env.deps).list((i) => i.kind === 'live');
  storm = items.find((i) => i.title === STORM_TITLE)!;
  qa = items.find((i) => i.title === QA_TITLE)!;
}, 300_000);
afterAll(() => env.close());

describe('the live pages of the demo', () => {
  test('the ended storm column is an archive: every update type as of the build, 已更正 and 已撤回 with their time, no polling script', () => {
    const html = page(`/live/${storm.slug}/`);
    expect(html).toContain('已结束');
    expect(html).toContain('存档');
    for (const label of ['动态', '求助', '权威发布', '辟谣', '答问']) expect(html).toContain(`<span class="lu-type">${label}</span>`);
    expect(html).toMatch(/已更正（6月|已更正（\d+月\d+日 \d\d:\d\d）：补充人民路献血屋地址/);
    expect(html).toMatch(/已撤回（\d+月\d+日 \d\d:\d\d）：陈良镇仍有部分村组未恢复供电/);
    expect(html).not.toContain('陈良镇供电已全部恢复');
    expect(html).toContain('救灾求助热线');
    expect(html).not.toMatch(/<script[^>]*src="\/live\/assets\//);
  });

  test('LiveBlogPosting JSON-LD carries coverage start and end and the updates as BlogPosting entries', () => {
    const [ld] = jsonLd(page(`/live/${storm.slug}/`));
    expect(ld['@type']).toBe('LiveBlogPosting');
    expect(ld.coverageStartTime).toBe('2016-06-23T06:30:00.000Z');
    expect(Date.parse(ld.coverageEndTime)).not.toBeNaN();
    expect(ld.liveBlogUpdate.length).toBe(6); // 7 published, 1 withdrawn
    expect(ld.liveBlogUpdate.every((u: { '@type': string }) => u['@type'] === 'BlogPosting')).toBe(true);
  });

  test('the running exchange has the question form, the polling script as a file (no inline script), an aria-live region and the home banner', () => {
    const html = page(`/live/${qa.slug}/`);
    expect(html).toContain(`action="/api/live/${qa.id}/questions"`);
    const script = html.match(/<script[^>]*src="(\/live\/assets\/live\.[0-9a-f]{10}\.js)"/);
    expect(script).toBeTruthy();
    expect(readFileSync(join(outDir, script![1]!), 'utf8')).toContain('If-None-Match');
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*application\/ld\+json)[^>]*>/g)];
    expect(inline).toEqual([]);
    expect(html).toMatch(/aria-live="polite"/);
    expect(html).toContain(`data-live-src="/live/${qa.slug}/updates/latest.json"`);
    // only the accepted, answered question reaches the page
    expect(html).toContain('能申请多少额度的创业担保贷款');
    expect(html).not.toContain('日赚三千');
    expect(html).not.toContain('房租补贴');
    expect(page('/')).toContain(`href="/live/${qa.slug}/"`);
    expect(page('/')).toContain('直播进行中');
  });

  test('the reader files are placed beside the page by the full build', () => {
    const latest = JSON.parse(readFileSync(join(outDir, 'live', qa.slug, 'updates', 'latest.json'), 'utf8'));
    expect(latest.item).toMatchObject({ id: qa.id, mode: 'qa', state: 'live' });
    expect(latest.updates.find((u: { type: string }) => u.type === 'answer').question.text).toContain('创业担保贷款');
    expect(readFileSync(join(outDir, 'live', storm.slug, 'updates', 'feed.xml'), 'utf8')).toContain('<rss');
  });
});
