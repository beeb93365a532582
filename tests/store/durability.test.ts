import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createStore } from '../../server/store/index.ts';
import { tempDir } from '../helpers.ts';

function allJsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name));
}

describe('durability', () => {
  test('kill -9 mid-writes: every acknowledged write survives and every file parses', async () => {
    const { dir, cleanup } = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: string[] = [];
    let buffer = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
        if (acked.length >= 300 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(acked.length).toBeGreaterThanOrEqual(300);

    for (const file of allJsonFiles(join(dir, 'db'))) expect(() => JSON.parse(readFileSync(file, 'utf8')), file).not.toThrow();
    // the dead writer's lock is stale: reopening takes it over
    const store = createStore({ adapter: 'lowdb', dir });
    const notes = store.collection<{ id: string; version: number; createdAt: string; updatedAt: string }>('notes');
    const missing = [];
    for (const id of acked) if (!(await notes.get(id))) missing.push(id);
    expect(missing).toEqual([]);
    const audited = new Set((await store.audit.list({ limit: 100_000 })).map((e) => e.target.id));
    // (the batch writer, b…, writes records only)
    expect(acked.filter((id) => !id.startsWith('b') && !audited.has(id))).toEqual([]);
    expect(acked.filter((id) => id.startsWith('b')).length).toBeGreaterThan(0);
    await store.close();
    cleanup();
  });

  test('a torn last audit line is skipped, earlier entries are intact', async () => {
    const { dir, cleanup } = tempDir();
    const store = createStore({ adapter: 'lowdb', dir });
    await store.audit.append({ actor: 'a', action: 'x.one', target: { type: 't', id: '1' } });
    await store.close();
    writeFileSync(join(dir, 'audit', 'audit.jsonl'), readFileSync(join(dir, 'audit', 'audit.jsonl'), 'utf8') + '{"id":"torn","at":"20');
    const again = createStore({ adapter: 'lowdb', dir });
    expect((await again.audit.list()).map((e) => e.action)).toEqual(['x.one']);
    await again.close();
    cleanup();
  });
});

describe('one writer', () => {
  test('a second store on the same data dir refuses to open with a clear message', async () => {
    const { dir, cleanup } = tempDir();
    const first = createStore({ adapter: 'lowdb', dir });
    expect(() => createStore({ adapter: 'lowdb', dir })).toThrow(/正被另一个连心进程（pid \d+）使用/);
    await first.close();
    const second = createStore({ adapter: 'lowdb', dir });
    await second.close();
    cleanup();
  });

  test('a lock left by a dead process is taken over', async () => {
    const { dir, cleanup } = tempDir();
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: 'x', at: '2020-01-01' }));
    const store = createStore({ adapter: 'lowdb', dir });
    expect(JSON.parse(readFileSync(join(dir, '.lock'), 'utf8')).pid).toBe(process.pid);
    await store.close();
    cleanup();
  });
});
