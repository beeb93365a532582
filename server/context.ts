import type { Config } from './config.ts';
import { Events } from './events.ts';
import { FailureLimiter } from './auth/rate-limit.ts';
import { PgFailureLimiter, type Limiter } from './cluster/limits.ts';
import type { Cluster } from './cluster/types.ts';
import { useMediaDir } from './media/storage.ts';
import { postgresOf, type Store } from './store/index.ts';
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
  /** Login failure counters: in memory for one process, in the database when instances share one. */
  limits: { login: { byUser: Limiter; byIp: Limiter } };
  /** Present when several processes share the store (PostgreSQL): once-only work, leader roles, messages. */
  cluster?: Cluster;
  /** Background jobs (video renders); in memory, one at a time by default. */
  jobs: JobQueue;
  /** Buffered reach counting (beacon hits, short-link clicks); flushed every few seconds and on shutdown. */
  reach: ReachIngest;
  /** The item kinds (server/kinds/registry.ts); services ask it instead of branching on `kind`. */
  kinds: KindRegistry;
}

/** Builds the dependencies; tests pass an in-memory store and a fixed clock. */
export function createDeps({ store, config, clock = () => new Date(), kinds = kindRegistry, cluster, jobs }: { store: Store; config: Config; clock?: () => Date; kinds?: KindRegistry; cluster?: Cluster; /** another queue than the in-process one (Redis) */ jobs?: JobQueue }): Deps {
  const now = () => clock().getTime();
  const pg = postgresOf(store);
  // a shared media directory (LIANXIN_MEDIA_DIR): every media reader and writer of this data dir uses it
  if (config.mediaDir) useMediaDir(config.dataDir, config.mediaDir);
  const limiter = (prefix: string, max: number) => (pg ? new PgFailureLimiter(pg.sql, prefix, max, 15 * 60_000, now, pg.ready) : new FailureLimiter(max, 15 * 60_000, now));
  return {
    ...(cluster ? { cluster } : {}),
    store,
    config,
    clock,
    kinds,
    events: new Events(),
    reach: createReachIngest({ store, dataDir: config.dataDir, clock }),
    jobs: jobs ?? createJobQueue({ concurrency: Number(process.env.LIANXIN_JOB_CONCURRENCY) || 1, clock }),
    limits: { login: { byUser: limiter('login-user', 5), byIp: limiter('login-ip', 30) } },
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
