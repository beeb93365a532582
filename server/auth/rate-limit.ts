import { TooManyRequestsError } from '../errors.ts';

/** Counts failures per key in a fixed window; `check` refuses once a key reached `max`. */
export class FailureLimiter {
  private hits = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  check(key: string, message: string): void {
    const hit = this.hits.get(key);
    if (hit && hit.resetAt <= this.now()) this.hits.delete(key);
    else if (hit && hit.count >= this.max) {
      const minutes = Math.ceil((hit.resetAt - this.now()) / 60_000);
      throw new TooManyRequestsError(`${message}，请 ${minutes} 分钟后再试`, { data: { retryAfterSeconds: Math.ceil((hit.resetAt - this.now()) / 1000) } });
    }
  }

  fail(key: string): void {
    const hit = this.hits.get(key);
    if (!hit || hit.resetAt <= this.now()) this.hits.set(key, { count: 1, resetAt: this.now() + this.windowMs });
    else hit.count++;
  }

  reset(key: string): void {
    this.hits.delete(key);
  }
}
