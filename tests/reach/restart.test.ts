import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createStore } from '../../server/store/index.ts';
import type { ReachRecord, Summary } from '../../server/reach/schema.ts';
import { tempDir } from '../helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PASSWORD = 'restart-admin-password';
const UAS = Array.from({ length: 7 }, (_, i) => `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${i} like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.${50 + i}`);

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** `lianxin serve` as a real child process; a long flush interval, so only the shutdown flush can save the hits. */
async function startServe(dir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'cli.ts'), 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, LIANXIN_DATA: dir, HOST: '127.0.0.1', LIANXIN_ADMIN_PASSWORD: PASSWORD, LIANXIN_REACH_FLUSH_MS: '600000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /工作台 (http:\/\/[^/\s]+)\/workbench/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    void exited.then((code) => reject(new Error(`server exited (${code}) before starting:\n${out}`)));
  });
  return { child, url, exited };
}

async function sendHits(url: string, itemIds: string[], count: number) {
  const acked = new Map<string, number>();
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const itemId = itemIds[n % itemIds.length]!;
      const res = await fetch(`${url}/api/reach/hit`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UAS[n % UAS.length]!, origin: url },
        body: JSON.stringify({ url: `${url}/notices/x/`, itemId, ref: n % 3 ? 'https://weibo.com/u/123' : '' }),
      });
      statuses.push(res.status);
      if (res.status === 202) acked.set(itemId, (acked.get(itemId) ?? 0) + 1);
    }),
  );
  return { acked, statuses };
}

const { dir, cleanup } = tempDir('lianxin-reach-restart-');
afterAll(() => cleanup());

describe('reach ingest across a graceful restart', () => {
  test('every hit answered 202 before SIGTERM is counted after the restart, and uniques stay unique', async () => {
    // an existing site dir: the server skips its first Astro build (not what this test is about)
    mkdirSync(join(dir, 'site'), { recursive: true });
    writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html><title>site</title>');

    const first = await startServe(dir);
    let itemIds: string[];
    try {
      const login = await fetch(`${first.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const list = (await (await fetch(`${first.url}/api/items?status=published&pageSize=50`, { headers: { cookie } })).json()) as { items: { id: string }[] };
      itemIds = list.items.map((i) => i.id).slice(0, 2);
      expect(itemIds.length).toBe(2);
      // the demo seeds site figures of its own: count on top of them
      const baseline = new Map<string, Summary>();
      for (const id of itemIds) baseline.set(id, (await (await fetch(`${first.url}/api/reach/summary?itemId=${id}&channel=site`, { headers: { cookie } })).json()) as Summary);

      const { acked, statuses } = await sendHits(first.url, itemIds, 400);
      expect(statuses.every((s) => s === 202)).toBe(true);
      // a robot and an opted-out reader are answered but not counted
      const bot = await fetch(`${first.url}/api/reach/hit`, { method: 'POST', headers: { 'user-agent': 'Mozilla/5.0 (compatible; Baiduspider/2.0)' }, body: JSON.stringify({ url: 'x', itemId: itemIds[0] }) });
      const dnt = await fetch(`${first.url}/api/reach/hit`, { method: 'POST', headers: { 'user-agent': UAS[0]!, dnt: '1' }, body: JSON.stringify({ url: 'x', itemId: itemIds[0] }) });
      expect([bot.status, dnt.status]).toEqual([204, 204]);

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = await startServe(dir);
      try {
        const again = await sendHits(second.url, itemIds, 14);
        for (const [id, n] of again.acked) acked.set(id, (acked.get(id) ?? 0) + n);
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      } finally {
        second.child.kill('SIGKILL');
      }

      const store = createStore({ adapter: 'lowdb', dir });
      try {
        const rows = await store.collection<ReachRecord>('reach').list((r) => r.source === 'beacon');
        for (const id of itemIds) {
          const mine = rows.filter((r) => r.itemId === id);
          expect(mine.reduce((s, r) => s + r.views, 0)).toBe(baseline.get(id)!.views + acked.get(id)!);
          // 7 user agents from one address: 7 readers of each item, also after the restart (same day, same salt)
          expect(mine.reduce((s, r) => s + r.uniques, 0)).toBe(baseline.get(id)!.uniques + UAS.length);
          const refs = mine.reduce<Record<string, number>>((acc, r) => ({ ...acc, ...r.referrers }), {});
          expect(Object.keys(refs)).toContain('weibo.com');
        }
      } finally {
        await store.close();
      }
    } finally {
      first.child.kill('SIGKILL');
    }
  }, 180_000);
});
