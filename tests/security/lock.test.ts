import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { tempDir } from '../helpers.ts';

const tmp = tempDir('lianxin-lock-');
afterAll(() => tmp.cleanup());

/** Runs `contenders` processes that all try to take the lock of each trial's directory at the same moment. */
async function race(root: string, contenders: number, trials: number): Promise<number[]> {
  const children = Array.from({ length: contenders }, () => spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lock-child.ts'), root, String(trials), '15'], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const outputs = children.map((child) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    return {
      ready: new Promise<void>((resolve) => child.stdout!.on('data', () => out.includes('ready') && resolve())),
      finished: new Promise<void>((resolve) => child.stdout!.on('data', () => out.includes('done') && resolve())),
      done: new Promise<string>((resolve) => child.on('exit', () => resolve(out))),
    };
  });
  await Promise.all(outputs.map((o) => o.ready));
  const startAt = Date.now() + 300;
  for (const child of children) child.stdin!.write(`${startAt}\n`);
  await Promise.all(outputs.map((o) => o.finished));
  for (const child of children) child.stdin!.write('release\n');
  const texts = await Promise.all(outputs.map((o) => o.done));
  const wins = Array.from({ length: trials }, () => 0);
  for (const out of texts) for (const line of out.trim().split('\n')) if (/^\d+ won$/.test(line)) wins[Number(line.split(' ')[0])]!++;
  return wins;
}

describe('the data-directory lock', () => {
  test('processes starting in the same moment: exactly one wins each time', async () => {
    const wins = await race(join(tmp.dir, 'fresh'), 6, 60);
    expect(wins.join(',')).toBe(wins.map(() => 1).join(','));
  }, 60_000);

  test('processes finding the same stale lock (dead pid, or an empty file): exactly one takes it over', async () => {
    const root = join(tmp.dir, 'stale');
    for (let t = 0; t < 60; t++) {
      mkdirSync(join(root, `trial-${t}`), { recursive: true });
      writeFileSync(join(root, `trial-${t}`, '.lock'), t % 2 ? JSON.stringify({ pid: 2 ** 22 + 12345, host: 'gone', at: '2026-01-01T00:00:00Z' }) : '');
    }
    const wins = await race(root, 6, 60);
    expect(wins.join(',')).toBe(wins.map(() => 1).join(','));
  }, 60_000);
});
