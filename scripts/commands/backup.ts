import { resolve } from 'node:path';
import { backupDataDir, restoreDataDir } from '../../server/store/backup.ts';
import { usageError, type Command } from './types.ts';

export const backup: Command = {
  name: 'backup',
  summary: 'write the whole data dir into one .tar.gz archive with checksums',
  usage: 'backup FILE',
  async run(ctx) {
    const file = ctx.argv[0];
    if (!file) return usageError('backup FILE');
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
    const result = await restoreDataDir({ dir: ctx.config.dataDir, file: resolve(file) });
    ctx.print(result, `已从备份恢复 ${result.files} 个文件${result.previous ? `；原数据保留在 ${result.previous}` : ''}`);
    return 0;
  },
};
