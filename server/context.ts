import type { Config } from './config.ts';
import { Events } from './events.ts';
import { FailureLimiter } from './auth/rate-limit.ts';
import type { Store } from './store/index.ts';
import { createJobQueue, type JobQueue } from './jobs/queue.ts';
import type { User } from './users/schema.ts';
import { createReachIngest, type ReachIngest } from './reach/ingest.ts';
import type { KindRegistry } from './kinds/types.ts';
import { kindRegistry } from './kinds/registry.ts';

/** Everything a service needs, built once by the composition root (createApp or the CLI). */
export interface Deps {
  store: Store;
  config: Config;
  clock: () => Date;
  events: Events;
  limits: { login: { byUser: FailureLimiter; byIp: FailureLimiter } };
  /** Background jobs (video renders); in memory, one at a time by default. */
  jobs: JobQueue;
  /** Buffered reach counting (beacon hits, short-link clicks); flushed every few seconds and on shutdown. */
  reach: ReachIngest;
  /** The item kinds (server/kinds/registry.ts); services ask it instead of branching on `kind`. */
  kinds: KindRegistry;
}

/** Builds the dependencies; tests pass an in-memory store and a fixed clock. */
export function createDeps({ store, config, clock = () => new Date(), kinds = kindRegistry }: { store: Store; config: Config; clock?: () => Date; kinds?: KindRegistry }): Deps {
  const now = () => clock().getTime();
  return {
    store,
    config,
    clock,
    kinds,
    events: new Events(),
    reach: createReachIngest({ store, dataDir: config.dataDir, clock }),
    jobs: createJobQueue({ concurrency: Number(process.env.LIANXIN_JOB_CONCURRENCY) || 1, clock }),
    limits: { login: { byUser: new FailureLimiter(5, 15 * 60_000, now), byIp: new FailureLimiter(30, 15 * 60_000, now) } },
  };
}

/** The session that authenticated a request. */
export interface Session {
  id: string;
  userId: string;
  csrf: string;
  expiresAt: string;
}

/** Hono env shared by every sub-app. */
export interface AppEnv {
  Variables: {
    deps: Deps;
    user: User | null;
    session: Session | null;
  };
}
