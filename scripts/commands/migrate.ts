import { resolve } from 'node:path';
import { migrateLowdbToPostgres } from '../../server/store/migrate-lowdb.ts';
import { pgClient } from '../../server/store/sql.ts';
import { usageError, type Command } from './types.ts';

const USAGE = 'migrate lowdb-to-postgres --from DIR';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'copy a lowdb data dir into PostgreSQL ($LIANXIN_DATABASE_URL) and verify counts and checksums',
  usage: USAGE,
  async run(ctx) {
    const fromAt = ctx.argv.indexOf('--from');
    const from = fromAt >= 0 ? ctx.argv[fromAt + 1] : undefined;
    if (ctx.argv[0] !== 'lowdb-to-postgres' || !from) return usageError(USAGE);
    if (!ctx.config.databaseUrl) {
      console.error('错误：请用 LIANXIN_DATABASE_URL=postgres://… 指定目标数据库');
      return 2;
    }
    const sql = pgClient(ctx.config.databaseUrl, { schema: ctx.config.databaseSchema });
    try {
      const report = await migrateLowdbToPostgres({ from: resolve(from), sql });
      const lines = report.collections.map((c) => `  ${c.name.padEnd(16)} ${String(c.count).padStart(8)} 条  sha256 ${c.checksum.slice(0, 16)}`);
      ctx.print(report, [`已复制并校验（条数与校验和一致）：`, ...lines, `  ${'audit'.padEnd(16)} ${String(report.audit.count).padStart(8)} 条  sha256 ${report.audit.checksum.slice(0, 16)}`, `媒体、发布快照和网站文件仍在 ${resolve(from)}：让所有实例的 LIANXIN_DATA 指向这个共享目录。`].join('\n'));
      return 0;
    } finally {
      await sql.close();
    }
  },
};
