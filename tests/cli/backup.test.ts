import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../scripts/cli.ts';
import { createStore } from '../../server/store/index.ts';
import { tempDir } from '../helpers.ts';

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  console.error = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    return { code: await main(args), out: lines.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe('lianxin CLI', () => {
  test('seed --demo, users add, backup, restore round-trip the data dir', async () => {
    const { dir, cleanup } = tempDir();
    const data = join(dir, 'data');
    const seeded = await cli('--data', data, '--json', 'seed', '--demo');
    expect(seeded.code).toBe(0);
    expect(JSON.parse(seeded.out)).toMatchObject({ orgs: 10, users: 6, items: 7 });
    const added = await cli('--data', data, 'users', 'add', 'zhou.editor', '--org', 'dafeng', '--roles', 'editor', '--name', '周编辑');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/初始密码：\S{16}/);

    const archive = join(dir, 'backup.tar.gz');
    expect((await cli('--data', data, 'backup', archive)).code).toBe(0);
    // change the data after the backup, then restore: the change is gone
    const store = createStore({ adapter: 'lowdb', dir: data });
    const users = store.collection<{ id: string; username: string; version: number; createdAt: string; updatedAt: string }>('users');
    const zhou = (await users.list((u) => u.username === 'zhou.editor'))[0]!;
    await users.remove(zhou.id);
    await store.close();

    const restored = await cli('--data', data, '--json', 'restore', archive);
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.out).previous).toMatch(/before-restore/);
    const again = createStore({ adapter: 'lowdb', dir: data });
    expect(await again.collection<{ id: string; username: string; version: number; createdAt: string; updatedAt: string }>('users').list((u) => u.username === 'zhou.editor')).toHaveLength(1);
    expect((await again.audit.list({ action: 'item.transition', limit: 1000 })).length).toBeGreaterThan(5);
    await again.close();
    cleanup();
  });

  test('restore refuses a corrupt archive and leaves the current data untouched', async () => {
    const { dir, cleanup } = tempDir();
    const data = join(dir, 'data');
    await cli('--data', data, 'seed', '--demo');
    const archive = join(dir, 'backup.tar.gz');
    await cli('--data', data, 'backup', archive);
    const bytes = readFileSync(archive);
    const middle = Math.floor(bytes.length / 2);
    bytes.writeUInt16LE(bytes.readUInt16LE(middle) ^ 0xffff, middle);
    const corrupt = join(dir, 'corrupt.tar.gz');
    writeFileSync(corrupt, bytes);
    const truncated = join(dir, 'truncated.tar.gz');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const before = readdirSync(join(data, 'db', 'items')).map((f) => readFileSync(join(data, 'db', 'items', f), 'utf8'));
    for (const file of [corrupt, truncated, join(dir, 'missing.tar.gz')]) {
      const result = await cli('--data', data, 'restore', file);
      expect(result.code, file).toBe(1);
      expect(result.out).toMatch(/错误：file: /);
    }
    expect(readdirSync(join(data, 'db', 'items')).map((f) => readFileSync(join(data, 'db', 'items', f), 'utf8'))).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('restore'))).toEqual([]);
    cleanup();
  });

  test('a second writer on the same data dir is refused with a clear message and exit code 3', async () => {
    const { dir, cleanup } = tempDir();
    const store = createStore({ adapter: 'lowdb', dir });
    const result = await cli('--data', dir, 'seed', '--demo');
    expect(result.code).toBe(3);
    expect(result.out).toMatch(/正被另一个连心进程/);
    await store.close();
    expect(existsSync(join(dir, '.lock'))).toBe(false);
    cleanup();
  });

  test('--help lists the commands; an unknown command exits 2', async () => {
    const help = await cli('--help');
    expect(help.out).toMatch(/serve/);
    expect(help.out).toMatch(/backup FILE/);
    expect((await cli('frobnicate')).code).toBe(2);
  });
});
