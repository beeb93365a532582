import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, doc, type TestEnv } from '../helpers.ts';
import { storeImage } from '../../server/media/service.ts';
import { focusWindow } from '../../server/media/crop-rules.ts';
import { getItem } from '../../server/content/service.ts';
import { readPublishSnapshot } from '../../server/content/snapshot.ts';
import { exportWechat, readPublished } from '../../server/exports/service.ts';
import { colourRegions, isBlue, isGreen, isRed, pixel } from './regions.ts';

describe('cover crop and focal point', () => {
  let env: TestEnv;
  let cover: string;
  beforeAll(async () => {
    env = await createTestEnv({ demo: true });
    cover = (await storeImage({ dataDir: env.dir, data: await colourRegions(), fileName: 'regions.png' })).image.src;
  }, 600_000);
  afterAll(() => env?.close());

  test('the focal window is the largest of its aspect inside the crop, centred on the focus as far as the edges allow', () => {
    const rect = { left: 800, top: 0, width: 800, height: 800 };
    expect(focusWindow(rect, { x: 0.75, y: 0.95 }, { width: 1600, height: 800 }, 2.35)).toEqual({ left: 800, top: 460, width: 800, height: 340 });
    expect(focusWindow(rect, { x: 0.75, y: 0.05 }, { width: 1600, height: 800 }, 2.35)).toEqual({ left: 800, top: 0, width: 800, height: 340 });
    expect(focusWindow(rect, { x: 0, y: 0.5 }, { width: 1600, height: 800 }, 0.5)).toEqual({ left: 800, top: 0, width: 400, height: 800 });
  });

  test('a crop outside the image, of no size or off its aspect is refused naming the field in Chinese, and nothing changes', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const created = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '裁剪校验', body: doc('正文。'), cover })).json();
    const patch = (coverCrop: unknown, version = created.version) => chen.request('PATCH', `/api/items/${created.id}`, { version, coverCrop });
    const cases: [unknown, RegExp][] = [
      [{ aspect: 'free', x: 900, y: 0, width: 800, height: 400 }, /^coverCrop\.width: 封面裁剪：区域超出图片右边（左边距 900 \+ 宽度 800 > 图片宽 1600 像素）/],
      [{ aspect: 'free', x: 0, y: 500, width: 100, height: 400 }, /^coverCrop\.height: 封面裁剪：区域超出图片下边/],
      [{ aspect: 'free', x: 0, y: 0, width: 0, height: 400 }, /^coverCrop\.width: 封面裁剪：宽度必须大于 0/],
      [{ aspect: 'free', x: -1, y: 0, width: 10, height: 10 }, /^coverCrop\.x: 封面裁剪：左边距不能小于 0/],
      [{ aspect: 'free', x: 0.5, y: 0, width: 10, height: 10 }, /^coverCrop\.x: 封面裁剪：左边距应为整数像素/],
      [{ aspect: '16:9', x: 0, y: 0, width: 800, height: 800 }, /^coverCrop\.height: 封面裁剪：宽 800、高 800 不是所选的 16:9 比例/],
      [{ aspect: 'free', x: 0, y: 0, width: 10, height: 10, focusX: 1.5 }, /^coverCrop\.focusX: 封面焦点：横向位置应在 0 到 1 之间/],
    ];
    for (const [crop, message] of cases) {
      const res = await patch(crop);
      expect(res.status, JSON.stringify(crop)).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    }
    // a crop needs an uploaded cover
    const bare = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '无封面', body: doc('正文。') })).json();
    const res = await chen.request('PATCH', `/api/items/${bare.id}`, { version: bare.version, coverCrop: { x: 0, y: 0, width: 10, height: 10 } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^coverCrop: 封面裁剪：只有上传的封面图才能裁剪/);
    expect((await getItem({ deps: env.deps, id: created.id })).version).toBe(created.version);
    expect((await getItem({ deps: env.deps, id: created.id })).coverCrop).toBeUndefined();
    // a good one is kept; a new cover drops it
    const ok = await patch({ aspect: '1:1', x: 800, y: 0, width: 800, height: 800, focusX: 0.75, focusY: 0.9 });
    expect(ok.status).toBe(200);
    const saved = await getItem({ deps: env.deps, id: created.id });
    expect(saved.coverCrop).toEqual({ aspect: '1:1', x: 800, y: 0, width: 800, height: 800, focusX: 0.75, focusY: 0.9 });
    const other = (await storeImage({ dataDir: env.dir, data: await sharp({ create: { width: 40, height: 30, channels: 3, background: '#888' } }).png().toBuffer() })).image.src;
    expect((await chen.request('PATCH', `/api/items/${created.id}`, { version: saved.version, cover: other })).status).toBe(200);
    expect((await getItem({ deps: env.deps, id: created.id })).coverCrop).toBeUndefined();
  });

  test('the published site cover and the WeChat package cover have the cropped aspect and show the chosen region', async () => {
    const chen = await loginAs(env.app, 'chen.editor');
    const zhao = await loginAs(env.app, 'zhao.reviewer');
    const created = await (await chen.request('POST', '/api/items', { kind: 'notice', title: '裁剪发布', body: doc('正文。'), cover })).json();
    // the right half, square; the focal point low, in the green
    let res = await chen.request('PATCH', `/api/items/${created.id}`, { version: created.version, coverCrop: { aspect: '1:1', x: 800, y: 0, width: 800, height: 800, focusX: 0.75, focusY: 0.95 } });
    let item = await res.json();
    for (const [who, to] of [[chen, 'in-review'], [zhao, 'approved'], [zhao, 'published']] as const) {
      res = await who.request('POST', `/api/items/${created.id}/transitions`, { to, version: item.version });
      expect(res.status, await res.clone().text()).toBe(200);
      item = await res.json();
    }
    const snapshot = (await readPublishSnapshot(env.deps, created.id))!;
    expect(snapshot.cover).not.toBe(cover);
    expect(snapshot.coverCrop?.source).toBe(cover);
    const site = readFileSync(join(env.dir, snapshot.cover!.slice(1)));
    const meta = await sharp(site).metadata();
    expect([meta.width, meta.height]).toEqual([800, 800]);
    expect(isBlue(await pixel(site, 5, 5))).toBe(true);
    expect(isGreen(await pixel(site, 5, 795))).toBe(true);
    for (const [x, y] of [[0, 400], [2, 2], [2, 798]] as const) expect(isRed(await pixel(site, x, y))).toBe(false);

    const pkg = await exportWechat({ dataDir: env.dir, siteDir: join(env.dir, 'site'), siteUrl: 'https://lianxin.example.cn', item: readPublished({ dataDir: env.dir, id: created.id }) });
    const thumb = readFileSync(join(env.dir, 'site', 'exports', 'wechat', created.id, pkg.articles[0]!.thumb.file));
    const tm = await sharp(thumb).metadata();
    expect([tm.width, tm.height]).toEqual([900, 383]);
    // the focal point was low: the 2.35:1 window is all green, no blue, no red
    for (const [x, y] of [[450, 5], [450, 190], [5, 378], [895, 378]] as const) expect(isGreen(await pixel(thumb, x, y)), `${x},${y}`).toBe(true);
  });
});
