import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEntry, AuditInput, AuditLog, AuditQuery } from './types.ts';

function matches(entry: AuditEntry, q: AuditQuery): boolean {
  return (
    (!q.targetId || entry.target.id === q.targetId) &&
    (!q.targetType || entry.target.type === q.targetType) &&
    (!q.actor || entry.actor === q.actor) &&
    (!q.action || entry.action === q.action || entry.action.startsWith(`${q.action}.`))
  );
}

function listFrom(entries: AuditEntry[], q: AuditQuery = {}): AuditEntry[] {
  const out: AuditEntry[] = [];
  const limit = q.limit ?? 200;
  for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) {
    const entry = entries[i]!;
    if (matches(entry, q)) out.push(entry);
  }
  return out;
}

export function memoryAudit(now: () => Date): AuditLog {
  const entries: AuditEntry[] = [];
  return {
    async append(input: AuditInput) {
      const entry = { id: randomUUID(), at: now().toISOString(), ...input };
      entries.push(entry);
      return entry;
    },
    async list(q) {
      return listFrom(entries, q);
    },
  };
}

/** Append-only JSONL file; each append is fsync'd before it is acknowledged. A torn last line (crash mid-append) is skipped on read. */
export function fileAudit(file: string, now: () => Date): AuditLog {
  let entries: AuditEntry[] | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const load = async () => {
    if (entries) return entries;
    const text = await readFile(file, 'utf8').catch(() => '');
    entries = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        // a line cut by a crash mid-append; everything acknowledged before it is intact
      }
    }
    return entries;
  };
  return {
    append(input) {
      const task = async () => {
        const list = await load();
        const entry: AuditEntry = { id: randomUUID(), at: now().toISOString(), ...input };
        await mkdir(dirname(file), { recursive: true });
        const handle = await open(file, 'a');
        try {
          await handle.write(`${JSON.stringify(entry)}\n`);
          await handle.sync();
        } finally {
          await handle.close();
        }
        list.push(entry);
        return entry;
      };
      const next = chain.then(task, task);
      chain = next.catch(() => {});
      return next;
    },
    async list(q) {
      return listFrom(await load(), q);
    },
  };
}
