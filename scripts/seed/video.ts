import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fromRoot } from '../../server/paths.ts';
import { join } from 'node:path';
import { loadSharp } from '../../server/media/sharp.ts';
import type { Deps } from '../../server/context.ts';
import { createItem, itemsOf } from '../../server/content/service.ts';
import type { Item } from '../../server/content/schema.ts';
import { docFromParagraphs } from '../../server/content/tiptap.ts';
import { transitionItem } from '../../server/review/service.ts';
import { startRender } from '../../server/kinds/video/render-job.ts';
import { storyboardSha, type Render, type StoryboardInput } from '../../server/video/schema.ts';
import type { DemoSeeder } from './demo.ts';
import { keyOf, mediaStorage } from '../../server/media/storage.ts';

const TITLE = '校车安全，我们这样做';
/** Bump when the render pipeline changes so cached demo renders are redone. */
const RENDER_VERSION = 1;

/** A flat illustration (road, bus, sun) drawn with SVG: demo stills without downloads. */
export function illustration(hue: number, busX: number): string {
  const w = 1200;
  const h = 1800;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <rect width="${w}" height="${h}" fill="hsl(${hue},55%,78%)"/>
  <circle cx="${w - 220}" cy="260" r="120" fill="#ffd54f"/>
  <rect y="${h * 0.62}" width="${w}" height="${h * 0.38}" fill="#5d6d7e"/>
  <rect y="${h * 0.78}" width="${w}" height="16" fill="#fff" fill-opacity="0.7"/>
  <g transform="translate(${busX},${h * 0.5})">
    <rect width="620" height="300" rx="40" fill="#f9a825"/>
    <rect x="40" y="40" width="120" height="110" rx="12" fill="#e3f2fd"/><rect x="190" y="40" width="120" height="110" rx="12" fill="#e3f2fd"/>
    <rect x="340" y="40" width="120" height="110" rx="12" fill="#e3f2fd"/><rect x="490" y="40" width="100" height="180" rx="12" fill="#bbdefb"/>
    <circle cx="140" cy="310" r="56" fill="#263238"/><circle cx="480" cy="310" r="56" fill="#263238"/>
  </g></svg>`;
}

export async function storeMedia(deps: Deps, bytes: Buffer, ext: string): Promise<string> {
  const sha = createHash('sha256').update(bytes).digest('hex');
  const key = `${sha.slice(0, 2)}/${sha}.${ext}`;
  const storage = mediaStorage(deps.config.dataDir);
  if (!(await storage.stat(key))) await storage.put(key, bytes);
  return `media/${key}`;
}

/** node_modules/.cache survives temp-dir cleanups and per-run TMPDIRs (the test suite sets one). */
const DEMO_CACHE = fromRoot('node_modules', '.cache', 'lianxin', 'demo-video');

/** Renders through the job queue, or reuses a render cached by storyboard hash (tests seed often). */
export async function renderOnce(deps: Deps, item: Extract<Item, { kind: 'video' }>): Promise<void> {
  const cache = join(DEMO_CACHE, `${RENDER_VERSION}-${storyboardSha(item.storyboard)}`);
  const meta = join(cache, 'render.json');
  if (existsSync(meta)) {
    const render = JSON.parse(await readFile(meta, 'utf8')) as Render;
    for (const rel of [render.file, render.poster]) await mediaStorage(deps.config.dataDir).put(keyOf(rel)!, await readFile(join(cache, rel.split('/').pop()!)));
    await itemsOf(deps).update(item.id, undefined, (current) => ({ ...current, render }) as Item);
    return;
  }
  const job = await startRender({ deps, id: item.id });
  const done = await deps.jobs.wait(job.id);
  if (done.status !== 'succeeded') throw new Error(`demo render failed: ${done.error?.message ?? done.status}\n${done.error?.tail ?? ''}`);
  const render = done.result as Render;
  // Test files seed in parallel: fill a private folder, then rename it into place in one step, so a
  // reader never sees a half-copied video; if another process got there first, keep theirs.
  const staging = `${cache}.${process.pid}.tmp`;
  await mkdir(staging, { recursive: true });
  for (const rel of [render.file, render.poster]) await writeFile(join(staging, rel.split('/').pop()!), (await mediaStorage(deps.config.dataDir).read(keyOf(rel)!))!);
  await writeFile(join(staging, 'render.json'), JSON.stringify(render));
  await rename(staging, cache).catch(() => rm(staging, { recursive: true, force: true }));
}

/** A published 16 s vertical video answering the school-bus concerns, rendered and reviewed. */
export const seedDemoVideo: DemoSeeder = async ({ deps, users }) => {
  const existing = await itemsOf(deps).list((i) => i.kind === 'video' && i.title === TITLE);
  if (existing.length) return;
  const chen = users['chen.editor']!;
  const zhao = users['zhao.reviewer']!;
  const sharp = await loadSharp();
  const stills = await Promise.all([
    [200, 80],
    [30, 300],
    [150, 500],
    [260, 200],
  ].map(async ([hue, x]) => storeMedia(deps, await sharp(Buffer.from(illustration(hue!, x!))).jpeg({ quality: 85 }).toBuffer(), 'jpg')));
  const storyboard: StoryboardInput = {
    format: '9:16',
    transition: 'fade',
    titleCard: { title: TITLE, subtitle: '回应本周网友关心的接送问题', seconds: 2 },
    scenes: [
      { text: '本周收到 37 条校车留言：超载、接送点拥堵最受关注。', image: stills[0], seconds: 3 },
      { text: '区教育局新增 12 辆校车，12 月 1 日起投入运营。', image: stills[1], seconds: 3 },
      { text: '交警在 6 所学校门口设立上下学护学岗。', image: stills[2], seconds: 3 },
      { text: '发现超载、超速，请拨打 12345 反映，我们一周内答复。', image: stills[3], seconds: 3 },
    ],
    endCard: { orgName: '亭湖区团委 · 连心志愿者', date: '2025年12月', qrText: '更多回应见「连心」网站', seconds: 2 },
  };
  const created = await createItem({
    deps,
    actor: chen,
    input: {
      kind: 'video',
      title: TITLE,
      summary: '【演示数据】16 秒竖屏微视频：新增校车、护学岗和反映渠道，一次说清。',
      body: docFromParagraphs('本视频回应本周网友集中反映的校车超载和接送点拥堵问题。'),
      tags: ['校车安全', '微视频'],
      groupIds: [],
      variants: { weibo: { text: '【校车安全有回应】16 秒看懂新增校车和护学岗。' } },
      storyboard: storyboard as never,
    },
  });
  await renderOnce(deps, created as Extract<Item, { kind: 'video' }>);
  for (const [to, actor] of [['in-review', chen], ['approved', zhao], ['published', zhao]] as const) {
    await transitionItem({ deps, actor, id: created.id, input: { to } });
  }
};
