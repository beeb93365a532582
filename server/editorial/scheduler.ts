import type { Deps } from '../context.ts';
import { publishDue } from './service.ts';

export interface Scheduler {
  /** Runs one pass now (tests with a fake clock call it after moving the clock). */
  tick(): Promise<{ published: string[]; failed: string[] }>;
  stop(): void;
}

/**
 * Publishes scheduled items when their time comes. The schedule lives on the items in the store,
 * so it survives restarts: the first pass runs at start-up and publishes what fell due meanwhile.
 */
export function startScheduler({ deps, intervalMs = 15_000 }: { deps: Deps; intervalMs?: number }): Scheduler {
  let running: Promise<{ published: string[]; failed: string[] }> | undefined;
  const tick = () => (running ??= publishDue({ deps }).finally(() => (running = undefined)));
  void tick().catch((error) => console.error('[lianxin] 定时发布检查失败', error));
  const timer = setInterval(() => void tick().catch((error) => console.error('[lianxin] 定时发布检查失败', error)), intervalMs);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
