import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, ValidationError } from '../errors.ts';
import { ensureCollectionTable, tableOf } from './migrations.ts';
import { createPostgresStore } from './postgres.ts';
import type { SqlClient } from './sql.ts';
import { createStore } from './index.ts';
import type { AuditEntry, BaseRecord } from './types.ts';

/** JSON with object keys sorted, so a record hashes the same from a lowdb file and from jsonb. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 over the canonical JSON of every record, in id order. */
export function checksumOf(records: readonly object[]): string {
  const hash = createHash('sha256');
  for (const r of [...records].sort((a, b) => ((a as BaseRecord).id < (b as BaseRecord).id ? -1 : 1))) hash.update(canonical(r)).update('\n');
  return hash.digest('hex');
}

export interface CollectionReport {
  name: string;
  count: number;
  checksum: string;
}

export interface MigrationReport {
  collections: CollectionReport[];
  audit: { count: number; checksum: string };
}

/**
 * Copies a lowdb data dir (its `db/` collections and `audit/audit.jsonl`) into an empty PostgreSQL
 * store, keeping ids, versions and timestamps, in one transaction; then reads everything back and
 * compares counts and checksums. Files under the data dir (media, snapshots, site) stay where they are.
 */
export async function migrateLowdbToPostgres({ from, sql }: { from: string; sql: SqlClient }): Promise<MigrationReport> {
  if (!existsSync(join(from, 'db'))) throw ValidationError.field('from', `${from} 不是连心数据目录（没有 db/ 子目录）`);
  // the one-writer lock: nobody changes the source while it is copied
  const source = createStore({ adapter: 'lowdb', dir: from });
  const target = createPostgresStore(sql);
  try {
    await target.ready();
    const names = readdirSync(join(from, 'db'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^[a-z][a-z0-9-]{0,40}$/.test(d.name))
      .map((d) => d.name)
      .sort();
    const expected: CollectionReport[] = [];
    const copies: Array<{ name: string; records: BaseRecord[] }> = [];
    for (const name of names) {
      await ensureCollectionTable(sql, name);
      const records = await source.collection<BaseRecord>(name).list();
      if ((await target.collection(name).count()) > 0) throw new ConflictError(`${name}: 目标数据库中该集合已有数据；请换一个空的数据库或 schema（LIANXIN_DATABASE_SCHEMA）`);
      expected.push({ name, count: records.length, checksum: checksumOf(records) });
      copies.push({ name, records });
    }
    const audit = (await source.audit.list({ limit: Number.MAX_SAFE_INTEGER })).reverse();
    if (Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM lianxin_audit')).rows[0]!.n) > 0) throw new ConflictError('audit: 目标数据库中已有审计记录；请换一个空的数据库或 schema');

    await sql.transaction(async () => {
      for (const { name, records } of copies) {
        const table = tableOf(name);
        for (let i = 0; i < records.length; i += 500) {
          const batch = records.slice(i, i + 500);
          const params: unknown[] = [];
          const rows = batch.map((r) => {
            params.push(r.id, r.version, r.createdAt, r.updatedAt, JSON.stringify(r));
            const n = params.length;
            return `($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}::json)`;
          });
          await sql.query(`INSERT INTO ${table} (id, version, created_at, updated_at, data) VALUES ${rows.join(',')}`, params);
        }
      }
      // oldest first, so the audit table's sequence keeps the original order
      for (const entry of audit) {
        await sql.query(
          'INSERT INTO lianxin_audit (id, at, actor, action, target_type, target_id, entry) VALUES ($1, $2, $3, $4, $5, $6, $7::json)',
          [entry.id, entry.at, entry.actor, entry.action, entry.target.type, entry.target.id, JSON.stringify(entry)],
        );
      }
    });

    // verify by reading back through the adapter
    const collections: CollectionReport[] = [];
    for (const want of expected) {
      const records = await target.collection<BaseRecord>(want.name).list();
      const got = { name: want.name, count: records.length, checksum: checksumOf(records) };
      if (got.count !== want.count || got.checksum !== want.checksum) {
        throw new ConflictError(`${want.name}: 校验失败（源 ${want.count} 条 ${want.checksum.slice(0, 12)}，目标 ${got.count} 条 ${got.checksum.slice(0, 12)}）`);
      }
      collections.push(got);
    }
    const back = (await target.audit.list({ limit: Number.MAX_SAFE_INTEGER })).reverse();
    const auditSum = (entries: AuditEntry[]) => createHash('sha256').update(entries.map(canonical).join('\n')).digest('hex');
    const want = auditSum(audit);
    if (back.length !== audit.length || auditSum(back) !== want) throw new ConflictError(`audit: 校验失败（源 ${audit.length} 条，目标 ${back.length} 条）`);
    return { collections, audit: { count: back.length, checksum: want } };
  } finally {
    await source.close();
  }
}
