import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { greyDiff as diff } from '../pixels.ts';
import { bandCardPath, renderBandCard } from '../../server/kinds/quiz/cards.ts';

const base = { quizTitle: '“两学一做”知识问答', org: '东台市', band: { min: 60, max: 89, title: '合格党员', text: '基础扎实，大部分题目都答对了，再接再厉！' } };

describe('band share card', () => {
  test('is a 1200×630 JPEG named by its text', async () => {
    const meta = await sharp(await renderBandCard(base)).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1200, height: 630 });
    expect(bandCardPath(base)).toMatch(/^\/media\/quiz-cards\/[0-9a-f]{24}\.jpg$/);
    expect(bandCardPath({ ...base, band: { ...base.band, text: '改过的评语' } })).not.toBe(bandCardPath(base));
  });

  test('draws the band title in Chinese glyphs: two titles of the same length differ (tofu boxes would not)', async () => {
    const [a, b] = await Promise.all([renderBandCard(base), renderBandCard({ ...base, band: { ...base.band, title: '学习标兵' } })]);
    const titleBox = { left: 80, top: 140, width: 600, height: 110 };
    expect(await diff(a, b, titleBox)).toBeGreaterThan(4);
    // the quiz title line is drawn too: it differs from a card with another title
    const c = await renderBandCard({ ...base, quizTitle: '“三会一课”知识问答' });
    expect(await diff(a, c, { left: 80, top: 70, width: 600, height: 45 })).toBeGreaterThan(2);
  });

  test('escapes markup in the texts (an SVG injection would fail the render)', async () => {
    const meta = await sharp(await renderBandCard({ ...base, band: { ...base.band, title: '<b>&"标兵"' } })).metadata();
    expect(meta.width).toBe(1200);
  });
});
