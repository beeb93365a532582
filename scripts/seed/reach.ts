import { createHash } from 'node:crypto';
import type { ReachRecord } from '../../server/reach/schema.ts';
import { reachOf, ensureShortLink } from '../../server/reach/service.ts';
import { addDays, chinaDay } from '../../server/reach/day.ts';
import type { DemoSeeder } from './demo.ts';
import { commentsOf } from '../../server/evaluation/service.ts';

const DAYS = 14;

/** A stable pseudo-random number in [0, 1) from a string, so the demo is the same on every seed. */
function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Demo reach figures for the published items over the last two weeks: site reads (as the beacon counts them),
 * WeChat and Weibo figures (as imports write them), decaying after the first days; plus one WeChat short link each.
 */
export const seedDemoReach: DemoSeeder = async ({ deps, users, items }) => {
  const reach = reachOf(deps);
  if ((await reach.count()) > 0) return;
  const today = chinaDay(deps.clock());
  const published = Object.values(items).filter((i) => i.status === 'published');
  for (const [rank, item] of published.entries()) {
    const scale = [1, 2.6, 0.7, 0.4][rank % 4]!;
    for (let d = DAYS - 1; d >= 0; d--) {
      const day = addDays(today, -d);
      const age = DAYS - 1 - d;
      const decay = Math.exp(-age / 5);
      const r = (what: string) => 0.6 + 0.8 * unit(`${item.id}:${day}:${what}`);
      const site = Math.round(900 * scale * decay * r('site')) + 5;
      const wechat = Math.round(12000 * scale * decay * r('wechat'));
      const weibo = Math.round(30000 * scale * decay * r('weibo'));
      const base = { itemId: item.id, orgId: item.orgId, kind: item.kind, day, uniques: 0, likes: 0, comments: 0, favorites: 0, reposts: 0, clicks: 0, shares: 0, referrers: {} };
      const rows: Omit<ReachRecord, 'version' | 'createdAt' | 'updatedAt'>[] = [
        { ...base, id: `beacon~${item.id}~${day}~site`, channel: 'site', source: 'beacon', views: site, uniques: Math.round(site * 0.72), clicks: 0, referrers: { '微信内打开': Math.round(site * 0.55), 'weibo.com': Math.round(site * 0.2), '直接访问': site - Math.round(site * 0.55) - Math.round(site * 0.2) } },
        { ...base, id: `import~${item.id}~${day}~wechat~demo`, channel: 'wechat', source: 'import', views: wechat, uniques: Math.round(wechat * 0.82), shares: Math.round(wechat * 0.07), likes: Math.round(wechat * 0.02), comments: Math.round(wechat * 0.004), favorites: Math.round(wechat * 0.01) },
        { ...base, id: `import~${item.id}~${day}~weibo~demo`, channel: 'weibo', source: 'import', views: weibo, reposts: Math.round(weibo * 0.06), likes: Math.round(weibo * 0.03), comments: Math.round(weibo * 0.008) },
      ];
      for (const row of rows) await reach.insert(row);
    }
    await ensureShortLink({ deps, actor: 'system', itemId: item.id, channel: 'wechat' });
  }
  // a few logged comments (网络评论) so the evaluation has comment work to count
  const comments: [string, string, string, string][] = [
    ['xu.reporter', 'https://weibo.com/5678123401/P3xKq9ZbA?type=comment#demo1', 'weibo', '【演示数据】在校车话题下解释新增校车和护学岗安排'],
    ['xu.reporter', 'https://tieba.baidu.com/p/8876543210?pid=demo2', 'forum', '【演示数据】回应“高考指标被转移”的帖子，附辟谣链接'],
    ['chen.editor', 'https://weibo.com/5678123401/P40Nt2CeD?type=comment#demo3', 'weibo', '【演示数据】寒潮出行提醒下答复网友公交问题'],
    ['wang.editor', 'https://www.xici.net/d/demo4', 'forum', '【演示数据】陈良镇灾后重建志愿者报名答疑'],
  ];
  for (const [i, [username, url, platform, note]] of comments.entries()) {
    const user = users[username];
    if (!user) continue;
    await commentsOf(deps).insert({ id: `cm_demo_${i}`, userId: user.id, orgId: user.orgId, url, platform, note, postedAt: new Date(deps.clock().getTime() - (i + 1) * 2 * 86_400_000).toISOString() });
  }
};
