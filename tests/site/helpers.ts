import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { makeSnapshot, writeFixtureSnapshots } from './fixtures.ts';
import type { PublishedItem } from '../../server/publish/schema.ts';
import { readSnapshots } from '../../server/publish/snapshots.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { seedDemo } from '../../scripts/seed/demo.ts';
import { storeImage } from '../../server/media/service.ts';
import type { MediaImage } from '../../server/media/schema.ts';
import { renderBodyHtml, type TiptapDoc } from '../../server/content/tiptap.ts';
import { searchIndex } from '../../server/publish/search-query.ts';

export const SITE_URL = 'https://lianxin.example.cn';
export const XSS_TITLE = '<script>alert(1)</script> 台风“贝碧嘉”来袭 & 防御指南 😀\u0007';

/** Writes a photo with EXIF into `<dataDir>/media/` and returns its site path. */
export async function writeMediaPhoto(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'media', 'ph');
  mkdirSync(dir, { recursive: true });
  const jpeg = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#3a7bd5' } }).jpeg({ quality: 95 }).toBuffer();
  writeFileSync(join(dir, 'photo.jpg'), jpeg);
  return '/media/ph/photo.jpg';
}

/** Uploads a generated PNG (with some detail, so it is a real photo-sized file) through the media service. */
export async function uploadPng(dataDir: string, width: number, height: number, background: string): Promise<MediaImage> {
  const stripes = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="0" y="0" width="${Math.round(width / 3)}" height="${height}" fill="#ffffff"/><circle cx="${width / 2}" cy="${height / 2}" r="${height / 4}" fill="#c8102e"/></svg>`);
  const png = await sharp({ create: { width, height, channels: 3, background } }).composite([{ input: stripes }]).png().toBuffer();
  return (await storeImage({ dataDir, data: png, fileName: 'upload.png' })).image;
}

/** A published notice whose body holds an uploaded image (editor attrs deliberately wrong) and an external one, with an uploaded cover. */
export async function makePictureSnapshot(dataDir: string): Promise<{ item: PublishedItem; body: MediaImage; cover: MediaImage }> {
  const body = await uploadPng(dataDir, 1800, 1000, '#3a7bd5');
  const cover = await uploadPng(dataDir, 2000, 1200, '#1e7e34');
  const doc: TiptapDoc = {
    type: 'doc',
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: '积水点分布如下图:' }] },
      { type: 'image', attrs: { src: body.src, alt: '积水点 "示意" <b>图</b> & 说明', width: 10, height: 10 } },
      { type: 'image', attrs: { src: 'https://elsewhere.example/radar.jpg', alt: '外链雷达图' } },
    ],
  };
  const item = makeSnapshot(904, { kind: 'notice', slug: 'pictures', url: '/notices/pictures/', title: '城区积水点示意图', tags: ['积水'], cover: cover.src, body: doc, bodyHtml: renderBodyHtml(doc) });
  return { item, body, cover };
}

/** The Yancheng demo seeded through the core (its publish snapshots land in dataDir). */
export async function seedDemoSnapshots(dataDir: string): Promise<void> {
  const deps = createDeps({ store: createStore({ adapter: 'memory' }), config: loadConfig({}, { dataDir, siteUrl: SITE_URL }) });
  await seedDemo(deps);
  await deps.store.close();
}

/** The data set the site tests build: the core's demo, 60 generated items and the edge cases. */
export async function writeSiteFixtures(): Promise<{ dataDir: string; items: PublishedItem[]; special: Record<string, PublishedItem>; images: { body: MediaImage; cover: MediaImage } }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-site-'));
  await seedDemoSnapshots(dataDir);
  const photo = await writeMediaPhoto(dataDir);
  const xss = makeSnapshot(900, {
    kind: 'notice',
    slug: 'xss',
    url: '/notices/xss/',
    title: XSS_TITLE,
    tags: ['防汛', 'a&b<c>'],
    variants: { wechat: { title: '台风<script>防御指南' }, weibo: {} },
    body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '请看图:' }] }, { type: 'image', attrs: { src: photo, alt: '雷达图' } }] },
    bodyHtml: `<p>请看图:</p><img src="${photo}" alt="雷达图" width="1600" height="900">`,
  });
  const retracted = makeSnapshot(901, { kind: 'notice', slug: 'retracted', url: '/notices/retracted/', title: '已撤回的通告', status: 'retracted', retraction: { at: '2024-06-24T02:00:00Z', note: '经核实信息有误,本文撤回。' } });
  const corrected = makeSnapshot(902, { kind: 'notice', slug: 'corrected', url: '/notices/corrected/', title: '更正过的通告', corrections: [{ at: '2024-06-24T03:00:00Z', note: '集合地点改为市民广场东门。' }] });
  const longTitle = makeSnapshot(903, { kind: 'notice', slug: 'long', url: '/notices/long/', title: '关于做好二〇二四年汛期城区低洼地段积水点排查和应急物资储备工作的通知', variants: {} });
  const { item: pictures, ...images } = await makePictureSnapshot(dataDir);
  const special = { xss, retracted, corrected, longTitle, pictures };
  writeFixtureSnapshots({ dataDir, count: 60, extra: Object.values(special) });
  return { dataDir, items: readSnapshots({ dataDir }), special, images };
}

/** Every file under `dir` ending with `ext`, as paths relative to dir. */
export function listFiles(dir: string, ext: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(ext)).map((f) => relative(dir, join(dir, f)));
}

export const readText = (dir: string, path: string) => readFileSync(join(dir, decodeURIComponent(path)), 'utf8');

/** Runs a query against the built search index on disk with the browser's core (tokens, shards, ranking). */
export async function searchSite(outDir: string, query: string): Promise<string[]> {
  return searchIndex({ outDir, query }).map((h) => h.url);
}
