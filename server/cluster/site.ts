import type { Deps } from '../context.ts';
import { startPublisher } from '../publish/publisher.ts';
import type { Cluster } from './types.ts';

const CHANNEL = 'site-changes';

/**
 * The site builder for several instances: every instance announces its publish / correction /
 * retraction on the cluster channel; only the leader (one process at a time, advisory lock)
 * listens and renders, into the one shared site directory. So a change is built once, whichever
 * instance it happened on.
 */
export function startClusterPublisher({ deps, cluster, log = console }: { deps: Deps; cluster: Cluster; log?: Pick<Console, 'info' | 'error'> }): { stop: () => void } {
  const offs = (['item.published', 'item.corrected', 'item.retracted'] as const).map((name) =>
    deps.events.on(name, async ({ item }) => {
      await cluster.publish(CHANNEL, { ids: [item.id], event: name });
    }),
  );
  cluster.lead('site-builder', () => {
    log.info(`本实例（pid ${process.pid}）负责构建公开网站`);
    const publisher = startPublisher({ deps, listen: false, log });
    let unsubscribe: (() => void) | undefined;
    let stopped = false;
    void cluster
      .subscribe(CHANNEL, (payload) => {
        const ids = (payload as { ids?: unknown }).ids;
        if (!Array.isArray(ids)) return;
        publisher
          .schedule(ids.filter((id): id is string => typeof id === 'string'))
          .then((report) => log.info(`站点已更新（pid ${process.pid}）：${report.ids.join(',')}，${report.paths} 个文件`))
          .catch(() => undefined);
      })
      .then((off) => {
        if (stopped) off();
        else unsubscribe = off;
      });
    return () => {
      stopped = true;
      unsubscribe?.();
      publisher.stop();
    };
  });
  return { stop: () => offs.forEach((off) => off()) };
}
