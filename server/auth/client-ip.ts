import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from '../context.ts';

/**
 * The client's address for the per-IP login limit: the socket's, or with LIANXIN_TRUST_PROXY=N
 * (N proxies in front that append to X-Forwarded-For) the address the outermost trusted proxy saw.
 * Without the setting X-Forwarded-For is ignored: anyone could send one.
 */
export function clientIp(c: Context<AppEnv>): string {
  let socket: string;
  try {
    socket = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    socket = c.req.header('x-test-ip') ?? 'local';
  }
  const hops = c.var.deps.config.trustProxy;
  if (!hops) return socket;
  const chain = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return chain[chain.length - hops] ?? chain[0] ?? socket;
}
