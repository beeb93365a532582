import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deps } from '../context.ts';
import { assertSafeId } from '../ids.ts';
import type { Org } from '../orgs/schema.ts';
import { writeFileDurable } from '../store/durable-file.ts';
import type { Item } from './schema.ts';
import { renderBodyHtml } from './tiptap.ts';
import { storeCroppedCover } from '../media/crop.ts';

/** What the site is built from: the published item with its rendered body, org name and site path. */
export type PublishedItem = Item & { bodyHtml: string; orgName: string; url: string; column: string };

/** Site column of a kind (`notices`), from the registry in deps. */
export function columnKeyOf(deps: Pick<Deps, 'kinds'>, kind: string): string {
  return deps.kinds.find(kind)?.column.key ?? 'items';
}

/** Site path of an item: `/<column>/<slug>/`. */
export function itemPath(item: Pick<Item, 'kind' | 'slug'>, deps: Pick<Deps, 'kinds'>): string {
  return `/${columnKeyOf(deps, item.kind)}/${item.slug}/`;
}

export const publishedDir = (deps: Deps) => join(deps.config.dataDir, 'published', 'items');

/** Writes (durably) the publish snapshot of a published or retracted item. */
export async function writePublishSnapshot(deps: Deps, item: Item): Promise<PublishedItem> {
  const org = await deps.store.collection<Org>('orgs').get(item.orgId);
  const snapshot: PublishedItem = {
    ...item,
    bodyHtml: item.status === 'retracted' ? '' : renderBodyHtml(item.body),
    orgName: org?.name ?? item.orgId,
    url: itemPath(item, deps),
    column: columnKeyOf(deps, item.kind),
  };
  // the site shows the cropped cover: cut by sharp now, stored as a media image of its own; the crop keeps the original
  if (item.cover && item.coverCrop && item.status !== 'retracted') {
    const cropped = await storeCroppedCover(deps.config.dataDir, item.cover, item.coverCrop, deps.clock());
    if (cropped) Object.assign(snapshot, { cover: cropped.src, coverCrop: { ...item.coverCrop, source: item.cover } });
  }
  // `source` names the uncut cover only when it was cut here (the WeChat cover is made from it): never one a record brought
  if (snapshot.coverCrop && snapshot.coverCrop.source !== item.cover) {
    const { source: _source, ...crop } = snapshot.coverCrop;
    snapshot.coverCrop = crop;
  }
  const dir = publishedDir(deps);
  await mkdir(dir, { recursive: true });
  await writeFileDurable(join(dir, `${assertSafeId(item.id)}.json`), JSON.stringify(snapshot));
  return snapshot;
}

export async function readPublishSnapshot(deps: Deps, id: string): Promise<PublishedItem | undefined> {
  try {
    return JSON.parse(await readFile(join(publishedDir(deps), `${assertSafeId(id)}.json`), 'utf8')) as PublishedItem;
  } catch {
    return undefined;
  }
}
