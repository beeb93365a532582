import { join } from 'node:path';
import { AppError } from '../errors.ts';

/** Indexes the built site with pagefind (CJK is segmented for zh pages) into `<outDir>/pagefind/`. */
export async function indexSite({ outDir }: { outDir: string }): Promise<{ pages: number }> {
  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new AppError(500, 'search_index_failed', `搜索索引失败：${errors.join('; ')}`);
  try {
    const added = await index.addDirectory({ path: outDir });
    if (added.errors.length) throw new AppError(500, 'search_index_failed', `搜索索引失败：${added.errors.join('; ')}`);
    const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
    if (written.errors.length) throw new AppError(500, 'search_index_failed', `搜索索引失败：${written.errors.join('; ')}`);
    return { pages: added.page_count };
  } finally {
    await index.deleteIndex();
    await pagefind.close();
  }
}
