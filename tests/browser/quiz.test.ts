import { afterAll, beforeAll, expect, test } from 'vitest';
import { attrOf, axeViolations, describeBrowser, POLL, startHarness, textOf, type Harness } from './harness.ts';
import { itemsOf } from '../../server/content/service.ts';
import { QUIZ_TITLE } from '../../scripts/seed/quiz.ts';
import { quizStats } from '../../server/kinds/quiz/answers.ts';

/** WeChat's in-app browser on an iPhone-sized screen. */
const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';

describeBrowser('the quiz page on a phone', () => {
  let h: Harness;
  let url = '';
  let id = '';
  beforeAll(async () => {
    h = await startHarness();
    const quiz = (await itemsOf(h.deps).list((i) => i.title === QUIZ_TITLE))[0]!;
    id = quiz.id;
    url = `/quizzes/${quiz.slug}/`;
    // the publisher builds the site on start: wait for the quiz page
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && (await fetch(new URL(url, h.url))).status !== 200) await new Promise((r) => setTimeout(r, 500));
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  test('answers all 12 questions one at a time, gets the 合格党员 band with its share card, and restarts', async () => {
    const context = await h.browser.newContext({ baseURL: h.url, locale: 'zh-CN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, userAgent: WECHAT_UA });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    const questions = page.locator('.quiz-q');
    expect(await questions.count()).toBe(12);
    await expect.poll(textOf(page.locator('.quiz-progress')), POLL).toBe('第 1 / 12 题');
    // one question at a time
    expect(await questions.nth(0).isVisible()).toBe(true);
    expect(await questions.nth(1).isVisible()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);

    // 8 of 12 right → 67 分 → the 60–89 band
    const wrongOn = new Set([1, 4, 7, 10]);
    for (let i = 0; i < 12; i++) {
      const q = questions.nth(i);
      await expect.poll(() => q.isVisible(), POLL).toBe(true);
      const type = (await q.getAttribute('data-type'))!;
      const right = (await q.getAttribute('data-answer'))!.split(',').map(Number);
      const count = await q.locator('.quiz-opt').count();
      const picks = wrongOn.has(i) ? [Array.from({ length: count }, (_, o) => o).find((o) => !right.includes(o))!] : right;
      for (const o of picks) await q.locator('.quiz-opt').nth(o).tap();
      if (type === 'multiple') await q.getByRole('button', { name: '提交答案' }).tap();
      // instant feedback with the explanation
      await expect.poll(textOf(q.locator('.quiz-feedback')), POLL).toBe(wrongOn.has(i) ? '回答错误。' : '回答正确！');
      expect(await q.locator('.quiz-expl').isVisible()).toBe(true);
      expect(await q.locator('.quiz-expl').innerText()).toContain('答案：');
      await q.getByRole('button', { name: i === 11 ? '查看结果' : '下一题' }).tap();
    }

    const result = page.locator('.quiz-result');
    await expect.poll(textOf(result.locator('.quiz-result-title')), POLL).toBe('合格党员');
    expect(await result.locator('.quiz-score').innerText()).toMatch(/^67 分 · 答对 8 \/ 12 题/);
    // the share card of that band: the image loads and is the 60–89 band's pre-rendered card
    const card = result.locator('img.quiz-card');
    const expected = await page.locator('.quiz-band[data-min="60"]').getAttribute('data-card');
    await expect.poll(attrOf(card, 'src'), POLL).toBe(expected);
    await expect.poll(() => card.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), POLL).toBe(1200);
    expect(await card.evaluate((img: HTMLImageElement) => img.naturalHeight)).toBe(630);
    expect(await card.getAttribute('alt')).toContain('合格党员');
    const res = await page.request.get(expected!);
    expect(res.headers()['content-type']).toBe('image/jpeg');

    // the anonymous answers were counted
    await expect.poll(async () => (await quizStats({ deps: h.deps, id })).finishes, POLL).toBe(1);
    const stats = await quizStats({ deps: h.deps, id });
    expect(stats.questions[1]!.correct).toBe(0);
    expect(stats.questions[0]!.correct).toBe(1);

    // the result screen (and the page around it) has no serious or critical accessibility problems
    expect(await axeViolations(page)).toEqual([]);
    await result.getByRole('button', { name: '再答一次' }).tap();
    await expect.poll(textOf(page.locator('.quiz-progress')), POLL).toBe('第 1 / 12 题');
    expect(await questions.nth(0).locator('.quiz-feedback').innerText()).toBe('');
    expect(await questions.nth(0).locator('.quiz-opt').first().isEnabled()).toBe(true);
    expect(await result.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    // nothing in the page sets a cookie
    expect(await context.cookies()).toEqual([]);
    await context.close();
  }, 120_000);

  test('without JavaScript the quiz reads as an article: every question, answer and explanation', async () => {
    const context = await h.browser.newContext({ baseURL: h.url, locale: 'zh-CN', viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    const questions = page.locator('.quiz-q');
    expect(await questions.count()).toBe(12);
    for (const i of [0, 5, 11]) {
      expect(await questions.nth(i).isVisible()).toBe(true);
      expect(await questions.nth(i).locator('.quiz-expl').isVisible()).toBe(true);
    }
    expect(await page.locator('.quiz-bands').innerText()).toContain('学习标兵');
    await context.close();
  });
});
