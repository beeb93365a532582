import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../../server/publish/service.ts';
import type { Item } from '../../server/content/schema.ts';
import { itemPath } from '../../server/reach/service.ts';
import { createTestEnv, loginAs, type TestEnv } from '../helpers.ts';

const SITE = 'https://lianxin.example.cn';
let env: TestEnv;
let out: string;
let items: Item[];

beforeAll(async () => {
  env = await createTestEnv({ demo: true });
  const admin = await loginAs(env.app, 'admin');
  expect((await admin.request('POST', '/api/evaluation/commendations', { year: 2026, type: 'org', targetId: 'funing', title: '先进集体', citation: '灾后 72 小时内回应 <script>alert(1)</script> 全部关切' })).status).toBe(201);
  items = await env.deps.store.collection<Item>('items').list();
  out = join(env.dir, 'site-out');
  await buildSite({ dataDir: env.dir, outDir: out, siteUrl: SITE, siteTitle: '连心' });
}, 300_000);
afterAll(() => env.close());

const html = (path: string) => readFileSync(join(out, path, 'index.html'), 'utf8');

describe('reach and honors on the built site', () => {
  test('every published item page loads the beacon file with its item id, and a no-JS pixel; retracted pages do not', () => {
    const published = items.filter((i) => i.status === 'published');
    expect(published.length).toBeGreaterThan(0);
    for (const item of published) {
      const page = html(itemPath(item, env.deps));
      expect(page).toMatch(new RegExp(`<script[^>]*src="/reach.js"[^>]*data-item="${item.id}"`));
      expect(page).toContain(`/api/reach/pixel.gif?item=${item.id}`);
    }
    const retracted = items.find((i) => i.status === 'retracted')!;
    expect(html(itemPath(retracted, env.deps))).not.toContain('/reach.js');
  });

  test('the beacon is a small file (< 1 KB gzipped) with no inline script on the page', () => {
    const script = readFileSync(join(out, 'reach.js'));
    expect(gzipSync(script, { level: 9 }).length).toBeLessThan(1024);
    expect(script.toString()).toContain('sendBeacon');
    const page = html(itemPath(items.find((i) => i.status === 'published')!, env.deps));
    expect(page).not.toMatch(/<script(?![^>]*(src=|application\/ld\+json))[^>]*>[^<]+<\/script>/);
  });

  test('the 表彰 page lists the commended org, escaped, and the footer links to it', () => {
    const page = html('honors');
    expect(page).toContain('2026 年度');
    expect(page).toContain('阜宁县');
    expect(page).toContain('先进集体');
    expect(page).toContain('&lt;script&gt;');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(html('')).toContain('href="/honors/"');
  });
});
