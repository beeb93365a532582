import { resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError, issuesFromZod } from './errors.ts';

export const ConfigSchema = z.object({
  /** Data directory: JSON stores, audit log, media, publish snapshot. */
  dataDir: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().default('0.0.0.0'),
  /** Absolute public URL of the site, used in feeds, canonical links and exports. */
  siteUrl: z.url().default('http://localhost:3000'),
  siteTitle: z.string().default('连心 · 盐城青年网上服务'),
  /** Origin that serves only the public site (production: its own host, so site pages cannot reach the workbench). */
  siteOrigin: z.url({ protocol: /^https?$/ }).optional(),
  /** A second port that serves only the public site (the origin split without a second host name). */
  sitePort: z.coerce.number().int().min(0).max(65535).optional(),
  /** Trust `X-Forwarded-For` from this many proxies in front (0: use the socket address). */
  trustProxy: z.coerce.number().int().min(0).max(10).default(0),
  adminPassword: z.string().min(8).optional(),
  /** Largest JSON request body in bytes; larger ones get 413. */
  bodyLimit: z.coerce.number().int().positive().default(1_000_000),
  sessionTtlHours: z.coerce.number().positive().default(12),
  /** Serve cookies with `Secure` (behind HTTPS). */
  secureCookies: z.coerce.boolean().default(false),
  /** Concern answered within this many days counts toward the response rate. */
  responseDays: z.coerce.number().int().positive().default(3),
  /** postgres://… : the store lives in PostgreSQL and any number of instances may share it (lowdb otherwise). */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, '须以 postgres:// 开头').optional(),
  /** PostgreSQL schema of the store (one database can hold several cities). */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, '只能含小写字母、数字和下划线').default('public'),
  /** redis://… : video renders go to a BullMQ queue that `lianxin worker` processes take (in-process otherwise). */
  redisUrl: z.string().regex(/^rediss?:\/\//, '须以 redis:// 开头').optional(),
  /** Redis key prefix of this deployment's queue. */
  redisPrefix: z.string().regex(/^[A-Za-z0-9:_-]{1,60}$/, '只能含字母、数字和 : _ -').default('lianxin'),
  /** Where media files live (uploads, variants, renders): a directory every instance shares; `<dataDir>/media` by default. */
  mediaDir: z.string().min(1).optional(),
  /** With several instances: how often a process that is not the leader of a role (site builder, scheduler) tries to take it over. */
  leaderRetryMs: z.coerce.number().int().min(100).max(3_600_000).default(2000),
});
export type Config = z.infer<typeof ConfigSchema>;

function localSiteUrl(port: unknown): string | undefined {
  const n = Number(port);
  return Number.isInteger(n) && n > 0 && n <= 65535 ? `http://localhost:${n}` : undefined;
}

/** Reads the configuration from the environment, with explicit overrides (CLI flags) winning. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw = {
    dataDir: resolve(overrides.dataDir ?? env.LIANXIN_DATA ?? 'content'),
    port: overrides.port ?? env.PORT,
    host: overrides.host ?? env.HOST,
    // without LIANXIN_SITE_URL the public address is this server's own port (feeds, reports and exports link there)
    siteUrl: overrides.siteUrl ?? (env.LIANXIN_SITE_URL || undefined) ?? localSiteUrl(overrides.port ?? env.PORT),
    siteTitle: overrides.siteTitle ?? env.LIANXIN_SITE_TITLE,
    siteOrigin: overrides.siteOrigin ?? (env.LIANXIN_SITE_ORIGIN || undefined),
    sitePort: overrides.sitePort ?? (env.LIANXIN_SITE_PORT || undefined),
    trustProxy: overrides.trustProxy ?? (env.LIANXIN_TRUST_PROXY === 'true' ? 1 : env.LIANXIN_TRUST_PROXY || undefined),
    adminPassword: overrides.adminPassword ?? (env.LIANXIN_ADMIN_PASSWORD || undefined),
    bodyLimit: overrides.bodyLimit ?? env.LIANXIN_BODY_LIMIT,
    sessionTtlHours: overrides.sessionTtlHours ?? env.LIANXIN_SESSION_HOURS,
    secureCookies: overrides.secureCookies ?? (env.LIANXIN_SECURE_COOKIES === '1' ? true : undefined),
    responseDays: overrides.responseDays ?? env.LIANXIN_RESPONSE_DAYS,
    databaseUrl: overrides.databaseUrl ?? (env.LIANXIN_DATABASE_URL || undefined),
    databaseSchema: overrides.databaseSchema ?? (env.LIANXIN_DATABASE_SCHEMA || undefined),
    redisUrl: overrides.redisUrl ?? (env.LIANXIN_REDIS_URL || undefined),
    redisPrefix: overrides.redisPrefix ?? (env.LIANXIN_REDIS_PREFIX || undefined),
    mediaDir: overrides.mediaDir ?? (env.LIANXIN_MEDIA_DIR ? resolve(env.LIANXIN_MEDIA_DIR) : undefined),
    leaderRetryMs: overrides.leaderRetryMs ?? (env.LIANXIN_LEADER_RETRY_MS || undefined),
  };
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error, 'config'));
  return parsed.data;
}
