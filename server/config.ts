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
  adminPassword: z.string().min(8).optional(),
  /** Largest JSON request body in bytes; larger ones get 413. */
  bodyLimit: z.coerce.number().int().positive().default(1_000_000),
  sessionTtlHours: z.coerce.number().positive().default(12),
  /** Serve cookies with `Secure` (behind HTTPS). */
  secureCookies: z.coerce.boolean().default(false),
  /** Concern answered within this many days counts toward the response rate. */
  responseDays: z.coerce.number().int().positive().default(3),
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
    adminPassword: overrides.adminPassword ?? (env.LIANXIN_ADMIN_PASSWORD || undefined),
    bodyLimit: overrides.bodyLimit ?? env.LIANXIN_BODY_LIMIT,
    sessionTtlHours: overrides.sessionTtlHours ?? env.LIANXIN_SESSION_HOURS,
    secureCookies: overrides.secureCookies ?? (env.LIANXIN_SECURE_COOKIES === '1' ? true : undefined),
    responseDays: overrides.responseDays ?? env.LIANXIN_RESPONSE_DAYS,
  };
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error, 'config'));
  return parsed.data;
}
