import { TooManyRequestsError } from '../errors.ts';
import type { SqlClient } from '../store/sql.ts';

/** What the login code needs of a failure counter; FailureLimiter (one process) and PgFailureLimiter (shared) fit. */
export interface Limiter {
  check(key: string, message: string): void | Promise<void>;
  fail(key: string): void | Promise<void>;
  reset(key: string): void | Promise<void>;
}

/**
 * FailureLimiter's fixed window kept in `lianxin_limits`, so every instance counts the same
 * failures: five wrong passwords spread over three instances still lock the account.
 */
export class PgFailureLimiter implements Limiter {
  constructor(
    private readonly sql: SqlClient,
    private readonly prefix: string,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly ready: () => Promise<void>,
  ) {}

  async check(key: string, message: string): Promise<void> {
    await this.ready();
    const { rows } = await this.sql.query<{ count: number; reset_at: string }>('SELECT count, reset_at FROM lianxin_limits WHERE key = $1', [`${this.prefix}:${key}`]);
    const hit = rows[0];
    const resetAt = hit ? Number(hit.reset_at) : 0;
    if (hit && resetAt > this.now() && hit.count >= this.max) {
      const minutes = Math.ceil((resetAt - this.now()) / 60_000);
      throw new TooManyRequestsError(`${message}，请 ${minutes} 分钟后再试`, { data: { retryAfterSeconds: Math.ceil((resetAt - this.now()) / 1000) } });
    }
  }

  async fail(key: string): Promise<void> {
    await this.ready();
    const now = this.now();
    // one statement: concurrent failures on several instances all count
    await this.sql.query(
      `INSERT INTO lianxin_limits (key, count, reset_at) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN lianxin_limits.reset_at <= $3 THEN 1 ELSE lianxin_limits.count + 1 END,
         reset_at = CASE WHEN lianxin_limits.reset_at <= $3 THEN $2 ELSE lianxin_limits.reset_at END`,
      [`${this.prefix}:${key}`, now + this.windowMs, now],
    );
  }

  async reset(key: string): Promise<void> {
    await this.ready();
    await this.sql.query('DELETE FROM lianxin_limits WHERE key = $1', [`${this.prefix}:${key}`]);
  }
}
