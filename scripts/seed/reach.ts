import { createHash } from 'node:crypto';
import type { ReachRecord } from '../../server/reach/schema.ts';
import { reachOf, ensureShortLink } from '../../server/reach/service.ts';
import { addDays, chinaDay } from '../../server/reach/day.ts';
import type { DemoSeeder } from './demo.ts';

const DAYS = 14;

/** A stable pseudo-random number in [0, 1) from a string, so the demo is the same on every seed. */
function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Demo reach figures for the published items over the last two weeks: site reads (as the beacon counts them),
 * WeChat and Weibo figures (as imports write them), decaying after the first days; plus one WeChat short link each.
 */
export const seedDemoReach: DemoSeeder = async ({ deps, items }) => {
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
};
