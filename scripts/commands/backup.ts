import { resolve } from 'node:path';
import { backupDataDir, restoreDataDir } from '../../server/store/backup.ts';
import { usageError, type Command } from './types.ts';

/** A shared media dir (LIANXIN_MEDIA_DIR) outside the data dir is not in the archive: it is backed up as a directory (or by the object store's own tools). */
const mediaNote = (mediaDir: string | undefined) =>
  mediaDir ? `注意：媒体文件在单独的媒体目录 ${mediaDir}（LIANXIN_MEDIA_DIR）中，不在本备份里；请另外备份该目录（例如 rsync -a）。` : undefined;

/** With PostgreSQL the records are in the database: this command only covers the data dir's files. */
const PG_NOTE =
  '注意：数据存放在 PostgreSQL（LIANXIN_DATABASE_URL）中。请用 pg_dump 备份、pg_restore 恢复数据库，例如\n' +
  '  pg_dump -Fc -d "$LIANXIN_DATABASE_URL" -f lianxin.dump   /   pg_restore -d "$LIANXIN_DATABASE_URL" --clean lianxin.dump\n' +
  '本命令只处理数据目录中的文件（媒体、发布快照、网站）。';

export const backup: Command = {
  name: 'backup',
  summary: 'write the whole data dir into one .tar.gz archive with checksums',
  usage: 'backup FILE',
  async run(ctx) {
    const file = ctx.argv[0];
    if (!file) return usageError('backup FILE');
    if (ctx.config.databaseUrl) console.error(PG_NOTE);
    const note = mediaNote(ctx.config.mediaDir);
    if (note) console.error(note);
    const result = await backupDataDir({ dir: ctx.config.dataDir, file: resolve(file) });
    ctx.print(result, `已备份 ${result.files} 个文件到 ${result.file}（${(result.bytes / 1024).toFixed(1)} KB）`);
    return 0;
  },
};

export const restore: Command = {
  name: 'restore',
  summary: 'replace the data dir with a verified backup archive (refuses a corrupt one)',
  usage: 'restore FILE',
  async run(ctx) {
    const file = ctx.argv[0];
    if (!file) return usageError('restore FILE');
    if (ctx.config.databaseUrl) console.error(PG_NOTE);
    const note = mediaNote(ctx.config.mediaDir);
    if (note) console.error(note);
    const result = await restoreDataDir({ dir: ctx.config.dataDir, file: resolve(file) });
    ctx.print(result, `已从备份恢复 ${result.files} 个文件${result.previous ? `；原数据保留在 ${result.previous}` : ''}`);
    return 0;
  },
};
