import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { PublishedItem } from './schema.ts';
import { decodePath, pageFile, type PageFailure } from './build-site.ts';
import { formatDate } from './columns.ts';
import { escapeHtml } from '../feeds/text.ts';

/**
 * The page a retracted item gets when its own page cannot be rendered: the title, the retraction note and
 * its date, a link home. Plain and self-contained (no script, no stylesheet of the build, no template), so
 * that nothing that broke the real page can break this one.
 */
export function renderRetractionPage(item: PublishedItem, siteTitle: string): string {
  const title = escapeHtml(item.title);
  const at = item.retraction?.at ?? item.updatedAt;
  const note = escapeHtml(item.retraction?.note || '该内容已撤回。');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>本文已撤回：${title} - ${escapeHtml(siteTitle)}</title>
<style>body{font:16px/1.7 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}.note{border-left:4px solid #c8102e;padding:.5rem 1rem;background:#fdf2f3}</style>
</head>
<body>
<main>
<h1>${title}</h1>
<div class="note" role="note"><p><strong>本文已撤回</strong>（<time datetime="${escapeHtml(at)}">${formatDate(at)}</time>）</p><p>${note}</p></div>
<p><a href="/">返回${escapeHtml(siteTitle)}首页</a></p>
</main>
</body>
</html>
`;
}

/**
 * A failed page keeps its last good file (prunePages), which for a retracted item is the content it was
 * retracted for. Those pages get the plain retraction page instead: a reader following a shared link still
 * learns that the item was retracted, and why, which a 404 would not tell. When even that cannot be
 * written (a disk error), the old file is deleted: no page is better than the retracted content. Returns
 * the failures, those handled marked as such for the build status.
 */
export function withdrawRetractedPages({ outDir, items, failures, siteTitle }: { outDir: string; items: PublishedItem[]; failures: PageFailure[]; siteTitle: string }): PageFailure[] {
  const retracted = new Map(items.filter((i) => i.status === 'retracted').map((i) => [decodePath(i.url), i]));
  return failures.map((failure) => {
    const item = retracted.get(decodePath(failure.path));
    if (!item) return failure;
    return { ...failure, reason: `${failure.reason}（${replaceWithNotice(outDir, item, siteTitle)}）` };
  });
}

/**
 * Puts the plain retraction page at the item's URL (when a page is there), before a render that may fail:
 * an update that never gets to write the page (a failed build) must not leave the retracted content up.
 */
export function takeDownRetracted({ outDir, items, siteTitle }: { outDir: string; items: PublishedItem[]; siteTitle: string }): void {
  for (const item of items) if (item.status === 'retracted') replaceWithNotice(outDir, item, siteTitle);
}

/** Replaces the file at the item's URL, if there is one; says what was done, for the build status. */
function replaceWithNotice(outDir: string, item: PublishedItem, siteTitle: string): string {
  const file = pageFile(outDir, decodePath(item.url));
  // nothing on the site at that address: nothing to take down (and no page the page list does not know)
  if (!existsSync(file)) return '无旧页面';
  try {
    // temp + rename, as every page is written: a reader never gets half a page
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, renderRetractionPage(item, siteTitle));
    renameSync(temp, file);
    return '旧页面已换为撤回说明页';
  } catch {
    try {
      rmSync(file, { force: true });
      return '撤回说明页写入失败，旧页面已删除';
    } catch (error) {
      return `旧页面无法删除：${error instanceof Error ? error.message : String(error)}`;
    }
  }
}
