import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../../server/publish/service.ts';
import { updateSite } from '../../server/publish/incremental.ts';
import { readSnapshots } from '../../server/publish/snapshots.ts';
import type { PublishedItem } from '../../server/publish/schema.ts';
import { exportWechat, exportWeibo, readPublished } from '../../server/exports/service.ts';
import { createTestEnv, loginAs, type TestEnv } from '../helpers.ts';
import { QUIZ_TITLE } from '../../scripts/seed/quiz.ts';
import { SERIES_TITLE } from '../../scripts/seed/series.ts';

const SITE_URL = 'https://lianxin.example.cn';
let env: TestEnv;
let outDir = '';
let quiz: PublishedItem;
let series: { id: string; slug: string; version: number; items: Array<{ id: string; title: string; slug: string }> };

const html = (path: string) => readFileSync(join(outDir, path, 'index.html'), 'utf8');
const hrefsIn = (page: string, selector: RegExp) => [...(selector.exec(page)?.[1] ?? '').matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!);
const jsonLd = (page: string) => JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!) as Record<string, unknown>;

beforeAll(async () => {
  env = await createTestEnv({ demo: true, config: { siteUrl: SITE_URL } });
  outDir = join(env.dir, 'site-out');
  const editor = await loginAs(env.app, 'ma.editor');
  const list = (await (await editor.request('GET', '/api/series')).json()).series;
  series = await (await editor.request('GET', `/api/series/${list.find((s: { title: string }) => s.title === SERIES_TITLE).id}`)).json();
  quiz = readSnapshots({ dataDir: env.dir }).find((i) => i.title === QUIZ_TITLE)!;
  await buildSite({ dataDir: env.dir, outDir, siteUrl: SITE_URL, siteTitle: '连心' }, { search: false });
}, 300_000);
afterAll(() => env.close());

describe('the demo quiz page', () => {
  test('lives at /quizzes/<slug>/ with 12 questions readable without JS and the page script as a file', () => {
    expect(quiz.url).toMatch(/^\/quizzes\/[a-z0-9-]+\/$/);
    const page = html(quiz.url);
    expect(page.match(/class="quiz-q"/g)).toHaveLength(12);
    expect(page.match(/class="quiz-expl"/g)).toHaveLength(12);
    expect(page).toContain('<script src="/scripts/quiz.js" defer></script>');
    // no inline script but the JSON-LD (a CSP without 'unsafe-inline' keeps working)
    const inline = [...page.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline.every((attrs) => /application\/ld\+json/.test(attrs!))).toBe(true);
    expect(existsSync(join(outDir, 'scripts', 'quiz.js'))).toBe(true);
    // each band points at its pre-rendered card, present in the standalone output
    const cards = [...page.matchAll(/data-card="([^"]+)"/g)].map((m) => m[1]!);
    expect(cards).toHaveLength(3);
    for (const c of cards) expect(existsSync(join(outDir, c)), c).toBe(true);
  });

  test('carries a schema.org Quiz with one Question per hasPart', () => {
    const ld = jsonLd(html(quiz.url)) as { '@type': string; hasPart: Array<{ '@type': string; text: string; acceptedAnswer: Array<{ text: string; answerExplanation: { text: string } }>; eduQuestionType: string }> };
    expect(ld['@type']).toBe('Quiz');
    expect(ld.hasPart).toHaveLength(12);
    expect(ld.hasPart.map((q) => [q['@type'], q.acceptedAnswer.length])).toEqual([1, 1, 1, 1, 1, 4, 3, 1, 1, 1, 1, 1].map((n) => ['Question', n]));
    expect(ld.hasPart[0]).toMatchObject({ text: '“两学一做”学习教育中的“两学”是指什么？', eduQuestionType: 'Multiple choice' });
    expect(ld.hasPart[0]!.acceptedAnswer[0]!.text).toBe('学党章党规、学系列讲话');
    expect(ld.hasPart[5]!.acceptedAnswer).toHaveLength(4);
  });

  test('the Weibo and WeChat packages are a teaser with the link', async () => {
    const item = readPublished({ dataDir: env.dir, id: quiz.id });
    const weibo = exportWeibo({ siteUrl: SITE_URL, item });
    expect(weibo.text).toContain(`${SITE_URL}${quiz.url}`);
    expect(weibo.long_text).toContain('共 12 道题');
    const wechat = await exportWechat({ dataDir: env.dir, siteDir: outDir, siteUrl: SITE_URL, item });
    expect(wechat.articles[0]!.content).toContain('阅读原文');
    expect(wechat.articles[0]!.content_source_url).toBe(`${SITE_URL}${quiz.url}`);
  });
});

describe('the 大丰人好呢 series', () => {
  test('its page lists the three videos in series order, with a playlist and next/previous', () => {
    expect(series.items).toHaveLength(3);
    const page = html(`/series/${series.slug}/`);
    const listed = hrefsIn(page, /<ol class="list series-items">(.*?)<\/ol>/s);
    expect(listed).toEqual(series.items.map((i) => `/videos/${i.slug}/`));
    expect(page.match(/<section class="episode"/g)).toHaveLength(3);
    expect(page).toContain('<a href="#ep-2" rel="next">下一集</a>');
    expect(page).toContain('<a href="#ep-2" rel="prev">上一集</a>');
    expect(html('/series/')).toContain(`href="/series/${series.slug}/"`);
    expect(readFileSync(join(outDir, 'sitemap.xml'), 'utf8')).toContain(`<loc>${SITE_URL}/series/${series.slug}/</loc>`);
  });

  test('each item page links its series and the next item', () => {
    const [first, second, third] = series.items;
    const one = html(`/videos/${first!.slug}/`);
    expect(one).toContain(`href="/series/${series.slug}/"`);
    expect(one).toMatch(new RegExp(`下一篇：</strong><a href="/videos/${second!.slug}/" rel="next"`));
    expect(html(`/videos/${third!.slug}/`)).not.toContain('下一篇');
  });

  test('has an RSS and a JSON feed in series order', () => {
    const rss = new XMLParser().parse(readFileSync(join(outDir, 'feeds', 'series', `${series.slug}.xml`), 'utf8')) as { rss: { channel: { title: string; item: Array<{ link: string }> } } };
    expect(rss.rss.channel.title).toContain(SERIES_TITLE);
    expect(rss.rss.channel.item.map((i) => i.link)).toEqual(series.items.map((i) => `${SITE_URL}/videos/${i.slug}/`));
    const json = JSON.parse(readFileSync(join(outDir, 'feeds', 'series', `${series.slug}.json`), 'utf8')) as { items: Array<{ url: string }> };
    expect(json.items.map((i) => i.url)).toEqual(series.items.map((i) => `${SITE_URL}/videos/${i.slug}/`));
  });

  test('the new pages pass html-validate', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    const failures: string[] = [];
    for (const path of [quiz.url, '/series/', `/series/${series.slug}/`, `/videos/${series.items[0]!.slug}/`, '/quizzes/']) {
      const report = await validator.validateString(html(path), path);
      for (const r of report.results) for (const m of r.messages) failures.push(`${path}:${m.line} ${m.ruleId} ${m.message}`);
    }
    expect(failures).toEqual([]);
  });

  test('a reorder re-renders the series page and the members’ next links incrementally', async () => {
    const editor = await loginAs(env.app, 'ma.editor');
    const before = new Map(readSnapshots({ dataDir: env.dir }).map((i) => [i.id, i]));
    const reversed = [...series.items].reverse().map((i) => i.id);
    const res = await editor.request('PATCH', `/api/series/${series.id}`, { version: series.version, itemIds: reversed });
    expect(res.status).toBe(200);
    await updateSite({ dataDir: env.dir, outDir, siteUrl: SITE_URL, siteTitle: '连心', ids: reversed, before });
    const slugs = [...series.items].reverse().map((i) => `/videos/${i.slug}/`);
    expect(hrefsIn(html(`/series/${series.slug}/`), /<ol class="list series-items">(.*?)<\/ol>/s)).toEqual(slugs);
    expect(html(slugs[0]!)).toMatch(new RegExp(`下一篇：</strong><a href="${slugs[1]}"`));
    expect(html(slugs[2]!)).not.toContain('下一篇');
  }, 120_000);
});
