import { randomUUID } from 'node:crypto';
import type { Deps } from '../context.ts';
import { startPublisher, type Publisher } from '../publish/publisher.ts';
import type { BaseRecord } from '../store/types.ts';
import type { Cluster } from './types.ts';

const CHANNEL = 'site-changes';

/** One change the site must still show: written by the instance where it happened, removed by the builder once built. */
export interface SiteChange extends BaseRecord {
  ids: string[];
  event: string;
}

export const siteChangesOf = (deps: Deps) => deps.store.collection<SiteChange>('site-changes');

/**
 * The site builder for several instances: every instance records its publish / correction /
 * retraction (and series change) in the store and announces it on the cluster channel; only the
 * leader (one process at a time, advisory lock) renders, into the one shared site directory. So a
 * change is built once, whichever instance it happened on.
 *
 * The record is what makes it survive a missing leader: a change made while no instance leads (or
 * while the leader is down) stays in `site-changes`, and the next leader builds every recorded
 * change as soon as it is elected. The leader deletes a record only after the build that covered it
 * succeeded; a failed build leaves it for the next announcement or the next leader.
 */
export function startClusterPublisher({ deps, cluster, log = console }: { deps: Deps; cluster: Cluster; log?: Pick<Console, 'info' | 'error'> }): Pick<Publisher, 'stop' | 'settled'> {
  /** this instance's publisher while it leads (the last one, after it stopped leading) */
  let leading: Publisher | undefined;
  const announce = async (ids: string[], event: string) => {
    await siteChangesOf(deps).insert({ id: randomUUID(), ids, event });
    await cluster.publish(CHANNEL, { event });
  };
  const offs = (['item.published', 'item.corrected', 'item.retracted'] as const).map((name) =>
    deps.events.on(name, async ({ item }) => {
      await announce([item.id], name).catch((error) => log.error('站点更新请求未能记录', error));
    }),
  );
  offs.push(
    deps.events.on('series.changed', async ({ itemIds }) => {
      if (itemIds.length) await announce(itemIds, 'series.changed').catch((error) => log.error('站点更新请求未能记录', error));
    }),
  );
  const leave = cluster.lead('site-builder', () => {
    log.info(`本实例（pid ${process.pid}）负责构建公开网站`);
    const publisher = startPublisher({ deps, listen: false, log });
    leading = publisher;
    let unsubscribe: (() => void) | undefined;
    let stopped = false;
    // one drain at a time; announcements during a drain ask for one more
    let draining: Promise<void> | undefined;
    let again = false;
    const drainOnce = async () => {
      const pending = (await siteChangesOf(deps).query({ order: [['createdAt', 'asc'], ['id', 'asc']] })).records;
      if (pending.length === 0 || stopped) return;
      const ids = [...new Set(pending.flatMap((c) => c.ids))];
      const report = await publisher.schedule(ids);
      log.info(`站点已更新（pid ${process.pid}）：${report.ids.join(',')}，${report.paths} 个文件`);
      for (const change of pending) await siteChangesOf(deps).remove(change.id).catch(() => undefined);
    };
    const drain = (): void => {
      if (draining) {
        again = true;
        return;
      }
      draining = drainOnce()
        .catch((error) => log.error('站点更新失败（变更已保留，稍后重试）', error))
        .finally(() => {
          draining = undefined;
          if (again && !stopped) {
            again = false;
            drain();
          }
        });
    };
    void cluster
      .subscribe(CHANNEL, () => drain())
      .then((off) => {
        if (stopped) off();
        else unsubscribe = off;
        // catch up: whatever was recorded while no instance led
        drain();
      });
    return () => {
      stopped = true;
      unsubscribe?.();
      publisher.stop();
    };
  });
  return {
    stop: () => {
      offs.forEach((off) => off());
      leave();
    },
    settled: async (ms) => leading?.settled(ms),
  };
}
