import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../../server/publish/service.ts';
import type { PublishedItem } from '../../server/publish/schema.ts';
import { readText, SITE_URL, writeSiteFixtures } from '../site/helpers.ts';
import { tagPath } from '../../server/publish/columns.ts';

let outDir = '';
let items: PublishedItem[] = [];

beforeAll(async () => {
  const fixtures = await writeSiteFixtures();
  items = fixtures.items;
  outDir = join(fixtures.dataDir, 'dist');
  await buildSite({ dataDir: fixtures.dataDir, outDir, siteUrl: SITE_URL, siteTitle: '连心' });
}, 300_000);

const page = (path: string) => readText(outDir, `${path}index.html`);
const listed = () => items.filter((i) => i.status === 'published');

describe('site lists and indexes', () => {
  test('/tags/ lists every tag with its count and links to the tag page', () => {
    const html = page('/tags/');
    const tags = new Map<string, number>();
    for (const i of listed()) for (const t of i.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
    expect(tags.size).toBeGreaterThan(0);
    for (const [tag, count] of tags) {
      expect(html).toContain(`href="${tagPath(tag)}"`);
      expect(html).toMatch(new RegExp(`${tagPath(tag).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>#[^<]+#</a> <span class="meta">${count} 篇`));
    }
  });

  test('column and tag pages advertise their own feeds, and every page has a favicon', () => {
    const notices = page('/notices/');
    expect(notices).toContain('<link rel="alternate" type="application/rss+xml" title="微公告 RSS" href="/feeds/notices.xml"');
    expect(notices).toContain('href="/feeds/notices.json"');
    expect(existsSync(join(outDir, 'feeds', 'notices.xml'))).toBe(true);
    const tag = listed().flatMap((i) => i.tags)[0]!;
    const tagHtml = page(tagPath(tag));
    expect(tagHtml).toContain(`href="/feeds/tags/${encodeURIComponent(tag)}.xml"`);
    expect(existsSync(join(outDir, 'feeds', 'tags', `${tag}.xml`))).toBe(true);
    expect(notices).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"');
    expect(existsSync(join(outDir, 'favicon.svg'))).toBe(true);
  });

  test('lists show covers and, for rumor guides, the verdict badges', () => {
    const rumor = listed().find((i) => i.kind === 'rumor-guide');
    expect(rumor).toBeDefined();
    const rumors = page('/rumors/');
    const expected = rumor!.kind === 'rumor-guide' ? [...new Set(rumor!.claims.map((c) => c.verdict))] : [];
    const badges = new RegExp(`((?:<span class="verdict v-[a-z]+">[^<]+</span>)+)<a href="${rumor!.url}"`).exec(rumors)?.[1] ?? '';
    expect([...badges.matchAll(/v-([a-z]+)/g)].map((m) => m[1])).toEqual(expected);
    const withCover = listed().find((i) => i.cover);
    expect(withCover).toBeDefined();
    // on its tag's page (the column's first page may not reach it)
    const html = page(tagPath(withCover!.tags[0]!));
    expect(html).toMatch(new RegExp(`<li class="with-cover"><picture class="list-cover">(?:(?!</li>).)*<a href="${withCover!.url}"`, 's'));
  });
});
