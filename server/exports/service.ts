import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, NotFoundError, ValidationError } from '../errors.ts';
import type { PublishedItem } from '../publish/schema.ts';
import { parseSnapshot, snapshotDir } from '../publish/snapshots.ts';
import { ensureShareCard } from '../media/share-card.ts';
import { cardText, writeSiteFile } from '../publish/site-files.ts';
import { buildWechatPackage } from './wechat.ts';
import { buildWeiboPackage } from './weibo.ts';
import { WechatPackageSchema, type WechatPackage, type WeiboPackage } from './schema.ts';

export const EXPORT_RECENT = 20;

/** The published snapshot of an item; 404 when it was never published. */
export function readPublished({ dataDir, id }: { dataDir: string; id: string }): PublishedItem {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw ValidationError.field('id', '内容编号格式不正确');
  const file = join(snapshotDir(dataDir), `${id}.json`);
  if (!existsSync(file)) throw new NotFoundError(`内容 ${id} 尚未发布，不能导出`);
  return parseSnapshot(JSON.parse(readFileSync(file, 'utf8')), `${id}.json`);
}

function assertExportable(item: PublishedItem): void {
  if (item.status === 'retracted') throw new AppError(409, 'conflict', `内容 ${item.id} 已撤回，不能导出`);
}

/** WeChat package of a published item; its files go under `<siteDir>/exports/wechat/<id>/`. */
export async function exportWechat({ dataDir, siteDir, siteUrl, item }: { dataDir: string; siteDir: string; siteUrl: string; item: PublishedItem }): Promise<WechatPackage> {
  assertExportable(item);
  const cardFile = await ensureShareCard({ dataDir, text: cardText(item) });
  const publicPath = `/exports/wechat/${item.id}/`;
  const outDir = join(siteDir, publicPath);
  // Re-encoding images is the slow part: a package built for this exact version is reused.
  const key = JSON.stringify([item.version, item.updatedAt, item.status, siteUrl]);
  const keyFile = join(outDir, '.version');
  if (existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key && existsSync(join(outDir, 'package.json'))) {
    return WechatPackageSchema.parse(JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8')));
  }
  const pkg = await buildWechatPackage({ item, siteUrl, dataDir, cardFile, outDir, publicPath });
  writeFileSync(keyFile, key);
  return pkg;
}

export function exportWeibo({ siteUrl, item }: { siteUrl: string; item: PublishedItem }): WeiboPackage {
  assertExportable(item);
  return buildWeiboPackage({ item, siteUrl });
}

/** /feeds/wechat.json and /feeds/weibo.json: ready packages of the most recent published items. */
export async function writeExportFeeds({ listed, dataDir, siteDir, siteUrl, now }: { listed: PublishedItem[]; dataDir: string; siteDir: string; siteUrl: string; now: Date }): Promise<void> {
  const recent = listed.slice(0, EXPORT_RECENT);
  const wechat: object[] = [];
  const skipped: object[] = [];
  for (const item of recent) {
    try {
      wechat.push({ id: item.id, url: new URL(item.url, siteUrl).href, publishedAt: item.publishedAt, package: await exportWechat({ dataDir, siteDir, siteUrl, item }) });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      skipped.push({ id: item.id, url: new URL(item.url, siteUrl).href, reason: error.message });
    }
  }
  const weibo = recent.map((item) => ({ id: item.id, url: new URL(item.url, siteUrl).href, publishedAt: item.publishedAt, package: exportWeibo({ siteUrl, item }) }));
  const generatedAt = now.toISOString();
  writeSiteFile(siteDir, '/feeds/wechat.json', JSON.stringify({ generatedAt, items: wechat, skipped }));
  writeSiteFile(siteDir, '/feeds/weibo.json', JSON.stringify({ generatedAt, items: weibo }));
}
