import { describe, expect, test } from 'vitest';
import { greyDiff as diff } from '../pixels.ts';
import sharp from 'sharp';
import { CARD_HEIGHT, CARD_WIDTH, renderShareCard, shareCardSvg, wrapTitle } from '../../server/media/share-card.ts';

const text = { title: '暴雨蓝色预警:今天下午有短时强降雨和冰雹', column: '微公告', org: '盐城市青年志愿者协会', date: '2024年6月23日' };

describe('share card', () => {
  test('is a 1200×630 JPEG', async () => {
    const meta = await sharp(await renderShareCard(text)).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: CARD_WIDTH, height: CARD_HEIGHT });
  });

  test('draws the Chinese title as glyphs: the title area differs from a blank render', async () => {
    const [card, blank] = await Promise.all([renderShareCard(text), renderShareCard(text, { blank: true })]);
    const titleBox = { left: 80, top: 190, width: 1040, height: 140 };
    expect(await diff(card, blank, titleBox)).toBeGreaterThan(8);
    // the glyphs differ from each other: two titles of the same length give different pixels (tofu boxes would not)
    const other = await renderShareCard({ ...text, title: '网传化工厂爆炸系谣言:市应急管理局已核实' });
    expect(await diff(card, other, titleBox)).toBeGreaterThan(4);
    // and the org line at the bottom is drawn too
    expect(await diff(card, blank, { left: 80, top: 540, width: 400, height: 50 })).toBeGreaterThan(4);
  });

  test('draws the same card as librsvg does from the whole SVG (glyphs from cached masks at the font\'s advances), also for Latin text and a right-aligned line', async () => {
    const mixed = { ...text, title: '第7号:网传“化工厂爆炸”系谣言，市应急管理局已核实 ABC 2024 Wg' };
    for (const t of [text, mixed]) {
      const [card, svg, blank] = await Promise.all([renderShareCard(t), sharp(Buffer.from(shareCardSvg(t))).jpeg({ quality: 86 }).toBuffer(), renderShareCard(t, { blank: true })]);
      for (const box of [{ left: 80, top: 150, width: 1040, height: 300 }, { left: 80, top: 540, width: 1040, height: 50 }, { left: 80, top: 70, width: 200, height: 56 }]) {
        const drawn = await diff(card, blank, box);
        expect(drawn).toBeGreaterThan(4);
        // a glyph one pixel off, or a line at the wrong place, differs by about as much as the text itself
        expect(await diff(card, svg, box)).toBeLessThan(drawn / 8);
      }
    }
  });

  test('a character Noto Sans SC lacks (an emoji) still renders the whole title', async () => {
    const t = { ...text, title: '台风来袭 😀 防御指南' };
    const [card, blank] = await Promise.all([renderShareCard(t), renderShareCard(t, { blank: true })]);
    expect(await diff(card, blank, { left: 80, top: 200, width: 600, height: 120 })).toBeGreaterThan(4);
  });

  test('wraps a long title into at most three lines, ending with an ellipsis', () => {
    const lines = wrapTitle('很'.repeat(80), 17, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.endsWith('…')).toBe(true);
  });
});
