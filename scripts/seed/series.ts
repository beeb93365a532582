import sharp from 'sharp';
import { createItem, itemsOf } from '../../server/content/service.ts';
import type { Item } from '../../server/content/schema.ts';
import { docFromParagraphs } from '../../server/content/tiptap.ts';
import { transitionItem } from '../../server/review/service.ts';
import { createSeries, seriesOf } from '../../server/series/service.ts';
import type { StoryboardInput } from '../../server/video/schema.ts';
import { districtEditor } from './quiz.ts';
import { illustration, renderOnce, storeMedia } from './video.ts';
import type { DemoSeeder } from './demo.ts';

export const SERIES_TITLE = '大丰人好呢';

/** Three short episodes (7 s each, so the demo renders stay cheap and are cached by storyboard). */
const EPISODES = [
  { title: '大丰人好呢（一）：渡口摆渡三十年', scene: '川东港边，老周义务摆渡三十年，风雨无阻送乡亲过河。', hue: 200, x: 80 },
  { title: '大丰人好呢（二）：麋鹿保护区的守护者', scene: '凌晨四点，保护区巡护员已经出发，守护麋鹿回家的路。', hue: 110, x: 420 },
  { title: '大丰人好呢（三）：凌晨街头的环卫工', scene: '天还没亮，环卫工王大姐已把幸福大街扫得干干净净。', hue: 30, x: 250 },
];

/** 大丰's serial videos as a series: three published, rendered episodes in order. */
export const seedDemoSeries: DemoSeeder = async ({ deps, users }) => {
  if ((await seriesOf(deps).list((s) => s.title === SERIES_TITLE)).length) return;
  const ma = await districtEditor(deps, 'ma.editor', 'lianxin-demo');
  const sun = users['sun.reviewer']!;
  const ids: string[] = [];
  for (const ep of EPISODES) {
    const existing = (await itemsOf(deps).list((i) => i.title === ep.title))[0];
    if (existing) {
      ids.push(existing.id);
      continue;
    }
    const still = await storeMedia(deps, await sharp(Buffer.from(illustration(ep.hue, ep.x))).jpeg({ quality: 85 }).toBuffer(), 'jpg');
    const storyboard: StoryboardInput = {
      format: '9:16',
      transition: 'cut',
      titleCard: { title: SERIES_TITLE, subtitle: ep.title.split('：')[1] ?? '', seconds: 2 },
      scenes: [{ text: ep.scene, image: still, seconds: 3 }],
      endCard: { orgName: '大丰区团委 · 连心志愿者', date: '2025年12月', qrText: '系列《大丰人好呢》', seconds: 2 },
    };
    const created = await createItem({
      deps,
      actor: ma,
      input: { kind: 'video', title: ep.title, summary: `【演示数据】${ep.scene}`, body: docFromParagraphs(ep.scene), tags: ['大丰人好呢', '微视频'], groupIds: [], variants: {}, storyboard: storyboard as never },
    });
    await renderOnce(deps, created as Extract<Item, { kind: 'video' }>);
    for (const [to, actor] of [['in-review', ma], ['approved', sun], ['published', sun]] as const) await transitionItem({ deps, actor, id: created.id, input: { to } });
    ids.push(created.id);
  }
  await createSeries({ deps, actor: ma, input: { title: SERIES_TITLE, description: '【演示数据】大丰区原创系列微视频：讲述身边普通人的好人好事，每集一分钟。', itemIds: ids } });
};

