import type { Deps } from '../../context.ts';
import { ConflictError } from '../../errors.ts';
import { assertCanEdit } from '../../content/permissions.ts';
import type { Item } from '../../content/schema.ts';
import { getItem, itemsOf } from '../../content/service.ts';
import type { TaskContext } from '../../jobs/queue.ts';
import type { Job } from '../../jobs/schema.ts';
import type { User } from '../../users/schema.ts';
import { checkMedia } from '../../video/inputs.ts';
import { layoutCaption } from '../../video/layout.ts';
import { renderVideo } from '../../video/render.ts';
import { storyboardSha, type Render } from '../../video/schema.ts';
import { parseStoryboard } from '../../video/validate.ts';
import type { VideoItem } from './schema.ts';
import { ensureShortLink, shortUrl } from '../../reach/service.ts';

export { hasCurrentRender } from './schema.ts';
const RENDERABLE: ReadonlyArray<Item['status']> = ['draft', 'changes-requested'];

function asVideo(item: Item): VideoItem {
  if (item.kind !== 'video') throw new ConflictError(`kind: 稿件 ${item.id} 不是微视频，不能渲染`);
  return item;
}

/**
 * Checks a video item and queues its render. Bad media and captions that cannot fit fail here with
 * 4xx before any job exists; the job attaches the render only if the storyboard did not change meanwhile.
 */
export async function startRender({ deps, actor, id }: { deps: Deps; actor?: User; id: string }): Promise<Job> {
  const item = asVideo(await getItem({ deps, id }));
  if (actor) assertCanEdit(actor, item, '渲染微视频');
  if (!RENDERABLE.includes(item.status)) throw new ConflictError(`status: 只有草稿或退回修改的微视频可以渲染，当前为「${item.status}」`);
  const running = (await deps.jobs.list({ target: id, kind: 'render' })).find((j) => j.status === 'queued' || j.status === 'running');
  if (running) throw new ConflictError(`该稿件已有渲染任务 ${running.id}（${running.status}）`, { data: { jobId: running.id } });
  // Parse again: defaults apply and records written before a schema change are checked.
  const board = parseStoryboard(item.storyboard, 'storyboard');
  await checkMedia(board, deps.config.dataDir);
  board.scenes.forEach((s, i) => layoutCaption(s.text, board.format, `scenes.${i}.text`));
  const sha = storyboardSha(item.storyboard);
  const actorId = actor?.id ?? 'system';
  // the end card's QR code points at the item's tracked short link for the video channel
  const qrUrl = board.endCard.qrText ? shortUrl(deps, (await ensureShortLink({ deps, actor: 'system', itemId: id, channel: 'video' })).id) : undefined;

  const data: RenderTaskData = { id, sha, actorId, ...(qrUrl ? { qrUrl } : {}) };
  return deps.jobs.enqueue({ kind: 'render', target: id, data, run: (ctx) => runRenderTask(deps, data, ctx) });
}

/** What a render job carries, so a worker in another process can run it. */
export interface RenderTaskData {
  id: string;
  sha: string;
  actorId: string;
  /** The end card's QR target (the item's tracked short link), resolved when the render is queued. */
  qrUrl?: string;
}

/**
 * The render job itself, the same in this process and in `lianxin worker`: renders the item's
 * current storyboard (into a temp dir, renamed into media/ only when complete) and attaches the
 * render if the storyboard is still the one that was queued.
 */
export async function runRenderTask(deps: Deps, { id, sha, actorId, qrUrl }: RenderTaskData, ctx: TaskContext): Promise<Render> {
  const changed = () => new ConflictError('storyboard: 渲染期间分镜被修改，本次成片已作废，请重新渲染');
  const item = asVideo(await getItem({ deps, id }));
  if (storyboardSha(item.storyboard) !== sha) throw changed();
  const board = parseStoryboard(item.storyboard, 'storyboard');
  const render = await renderVideo({ storyboard: board, dataDir: deps.config.dataDir, qrUrl, signal: ctx.signal, onProgress: (p) => ctx.progress(p * 0.98), now: deps.clock });
  const withSha: Render = { ...render, storyboardSha: sha };
  const updated = await itemsOf(deps).update(id, undefined, (current) => {
    if (current.kind !== 'video' || storyboardSha(current.storyboard) !== sha) throw changed();
    return { ...current, render: withSha };
  });
  await deps.store.audit.append({ actor: actorId, action: 'item.render', target: { type: 'item', id }, afterVersion: updated.version, data: { file: render.file, duration: render.duration } });
  return withSha;
}
