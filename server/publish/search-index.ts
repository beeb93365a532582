import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { kindRegistry } from '../kinds/registry.ts';
import type { PublishedItem } from './schema.ts';

const recordText = new WeakMap<PublishedItem, string>();

const textOf = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ');

/** The kind's own parts around the body; an item whose kind part cannot be rendered is found by the rest. */
function kindText(item: PublishedItem): { before: string[]; after: string[] } | undefined {
  try {
    return kindRegistry.find(item.kind)?.html.feed(item as never);
  } catch {
    return undefined;
  }
}

/**
 * What a reader can find an item by: title, summary, body text, what its kind shows around the body
 * (claims and verdicts, questions, captions), correction notes and tags (a retracted item: its note).
 */
function searchText(item: PublishedItem): string {
  let text = recordText.get(item);
  if (text === undefined) {
    const own = item.status === 'retracted' ? undefined : kindText(item);
    const corrections = (item.corrections ?? []).map((c) => c.note).join(' ');
    const body = item.status === 'retracted' ? `本文已撤回 ${item.retraction?.note ?? ''}` : `${item.summary} ${textOf(own?.before.join(' ') ?? '')} ${textOf(item.bodyHtml)} ${textOf(own?.after.join(' ') ?? '')} ${corrections}`;
    text = `${item.title} ${body} ${item.tags.map((t) => `#${t}#`).join(' ')}`.replace(/\s+/g, ' ');
    recordText.set(item, text);
  }
  return text;
}

/**
 * Indexes the published items with pagefind (CJK is segmented for zh) into `<outDir>/pagefind/`, from
 * the snapshots in memory through `addCustomRecord` — no HTML is read back from disk. The index is
 * written beside the live one and swapped in, so searches never see half an index.
 */
export async function indexSite({ outDir, items }: { outDir: string; items: PublishedItem[] }): Promise<{ pages: number }> {
  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new AppError(500, 'search_index_failed', `搜索索引失败：${errors.join('; ')}`);
  const live = join(outDir, 'pagefind');
  const next = join(outDir, 'pagefind.next');
  const old = join(outDir, 'pagefind.old');
  try {
    for (const item of items) {
      const added = await index.addCustomRecord({ url: item.url, content: searchText(item), language: 'zh-cn', meta: { title: item.title } });
      if (added.errors.length) throw new AppError(500, 'search_index_failed', `搜索索引失败（${item.id}）：${added.errors.join('; ')}`);
    }
    rmSync(next, { recursive: true, force: true });
    const written = await index.writeFiles({ outputPath: next });
    if (written.errors.length) throw new AppError(500, 'search_index_failed', `搜索索引失败：${written.errors.join('; ')}`);
    rmSync(old, { recursive: true, force: true });
    if (existsSync(live)) renameSync(live, old);
    renameSync(next, live);
    rmSync(old, { recursive: true, force: true });
    return { pages: items.length };
  } finally {
    await index.deleteIndex();
    await pagefind.close();
  }
}
