/**
 * The video editor: storyboard fields (scenes added, removed, reordered, images uploaded), the live
 * total against the 180 s limit, server errors shown next to the field they name, and the render
 * panel (start, progress, cancel, error tail, result).
 */
import { api, errorMessage, uploadImage, type ApiError } from './api.ts';
import { readMusic, setupAudio } from './video-audio.ts';

const FPS = 30;
const CHARS_PER_SECOND = 5;

type Issue = { path: string; message: string };
interface Hooks {
  itemId: string;
  /** The original storyboard: fields the page does not edit (music, motion) are kept. */
  original: Record<string, unknown>;
  onChange(): void;
  /** Saves pending edits; false when the page could not save (conflict, invalid input). */
  save(): Promise<boolean>;
  version(): number;
  adoptVersion(version: number): void;
}

const root = () => document.querySelector<HTMLElement>('[data-storyboard]');
const panel = () => document.querySelector<HTMLElement>('[data-render-panel]');
const val = (scope: ParentNode, name: string) => scope.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(`[name="${name}"]`)?.value ?? '';
const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const optional = (text: string) => text.trim() || undefined;
const frames = (s: number) => Math.max(1, Math.round((Number.isFinite(s) ? s : 0) * FPS));

/** The storyboard as the PATCH body carries it. */
export function readStoryboard(original: Record<string, unknown>): Record<string, unknown> | undefined {
  const box = root();
  if (!box) return undefined;
  const scenes = [...box.querySelectorAll<HTMLElement>('[data-scene]')].map((scene) => ({
    text: val(scene, 'sceneText').trim(),
    image: optional(val(scene, 'sceneImage')),
    seconds: num(val(scene, 'sceneSeconds')),
    voiceover: optional(val(scene, 'sceneVoiceover')),
  }));
  return {
    ...original,
    format: val(box, 'format'),
    transition: val(box, 'transition'),
    titleCard: { title: val(box, 'titleCardTitle').trim(), subtitle: optional(val(box, 'titleCardSubtitle')), seconds: num(val(box, 'titleCardSeconds')) },
    scenes,
    endCard: { orgName: val(box, 'endCardOrgName').trim(), date: val(box, 'endCardDate').trim(), qrText: optional(val(box, 'endCardQrText')), seconds: num(val(box, 'endCardSeconds')) },
    music: box.querySelector('[data-music]') ? readMusic(box) : original.music,
  };
}

function updateTotal() {
  const box = root();
  if (!box) return;
  const all = [val(box, 'titleCardSeconds'), ...[...box.querySelectorAll<HTMLElement>('[data-scene]')].map((s) => val(s, 'sceneSeconds')), val(box, 'endCardSeconds')].map(num);
  const total = all.reduce((sum, s) => sum + frames(s), 0) / FPS;
  const line = box.querySelector<HTMLElement>('[data-total]')!;
  const max = Number(line.dataset.max);
  line.querySelector('[data-total-seconds]')!.textContent = total.toFixed(1);
  const short = all.some((s) => !(s >= 1));
  line.classList.toggle('over', total > max || short);
  line.dataset.state = total > max ? 'over' : short ? 'short' : 'ok';
  let warn = line.querySelector<HTMLElement>('[data-total-warning]');
  if (!warn) {
    warn = document.createElement('span');
    warn.dataset.totalWarning = '';
    line.append(warn);
  }
  warn.textContent = total > max ? `：超出上限 ${(total - max).toFixed(1)} 秒` : short ? '：有镜头短于 1 秒' : '';
}

function updateCaptionHint(scene: HTMLElement) {
  const text = val(scene, 'sceneText');
  const seconds = num(val(scene, 'sceneSeconds'));
  const hint = scene.querySelector<HTMLElement>('[data-caption-hint]');
  if (!hint) return;
  const need = Math.ceil(text.length / CHARS_PER_SECOND);
  hint.textContent = `${text.length} / 120 字${text.length && seconds < need ? `，按每秒 ${CHARS_PER_SECOND} 字建议至少 ${need} 秒` : ''}`;
  hint.classList.toggle('over', text.length > 0 && seconds < need);
}

/** Renumbers ids, labels, field paths and button names after scenes were added, removed or moved. */
function renumber() {
  root()?.querySelectorAll<HTMLElement>('[data-scene]').forEach((scene, i) => {
    scene.querySelector('legend')!.textContent = `镜头 ${i + 1}`;
    const fix = (v: string) => v.replace(/scene-[^-]+-/g, `scene-${i}-`).replace(/scenes\.[^.]+\./g, `scenes.${i}.`);
    for (const el of scene.querySelectorAll<HTMLElement>('*')) {
      for (const attr of ['id', 'for', 'aria-describedby', 'data-field', 'data-error-for', 'data-field-box']) {
        const v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, fix(v));
      }
      const label = el.getAttribute('aria-label');
      if (label) el.setAttribute('aria-label', label.replace(/镜头 \d*/, `镜头 ${i + 1}`));
    }
    const thumb = scene.querySelector<HTMLImageElement>('[data-scene-thumb]');
    if (thumb && !thumb.hidden) thumb.alt = `镜头 ${i + 1} 的画面`;
  });
}

function setImage(scene: HTMLElement, path: string) {
  scene.querySelector<HTMLInputElement>('[name="sceneImage"]')!.value = path;
  const thumb = scene.querySelector<HTMLImageElement>('[data-scene-thumb]')!;
  thumb.hidden = !path;
  if (path) thumb.src = `/${path}`;
  else thumb.removeAttribute('src');
  scene.querySelector<HTMLElement>('[data-scene-noimage]')!.hidden = Boolean(path);
  const clear = scene.querySelector<HTMLElement>('[data-scene-clear-image]');
  if (clear) clear.hidden = !path;
  renumber();
}

/** Clears the errors shown next to the storyboard fields. */
export function clearIssues() {
  for (const box of document.querySelectorAll<HTMLElement>('[data-error-for]')) {
    box.hidden = true;
    box.textContent = '';
  }
  for (const el of document.querySelectorAll('[data-field][aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** Shows the server's issues next to the fields they name; returns how many were placed. */
export function showIssues(issues: Issue[] | undefined): number {
  clearIssues();
  let placed = 0;
  let errorIds = 0;
  for (const issue of issues ?? []) {
    if (!/^(storyboard\.|scenes|titleCard|endCard|format|transition|music)/.test(issue.path)) continue;
    const path = issue.path.replace(/^storyboard\.?/, '') || 'storyboard';
    let target: HTMLElement | null = null;
    for (let parts = path.split('.'); parts.length && !target; parts.pop()) target = document.querySelector<HTMLElement>(`[data-error-for="${parts.join('.')}"]`);
    target ??= document.querySelector<HTMLElement>('[data-error-for="storyboard"]');
    if (!target) continue;
    target.textContent = target.textContent ? `${target.textContent}；${issue.message}` : issue.message;
    target.hidden = false;
    target.id ||= `sb-error-${++errorIds}`;
    const control = document.querySelector<HTMLElement>(`[data-field="${path}"]`);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      const described = new Set((control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
      described.add(target.id);
      control.setAttribute('aria-describedby', [...described].join(' '));
    }
    placed++;
  }
  const first = document.querySelector<HTMLElement>('[data-field][aria-invalid="true"]');
  if (placed) (first ?? document.querySelector<HTMLElement>('[data-error-for]:not([hidden])'))?.scrollIntoView({ block: 'center' });
  return placed;
}

interface RenderResult {
  file: string;
  poster: string;
  duration: number;
  width: number;
  height: number;
}
interface JobView {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  error?: { message: string; tail?: string };
  result?: RenderResult;
}

function setupRender(hooks: Hooks) {
  const box = panel();
  if (!box) return;
  const q = <T extends HTMLElement>(sel: string) => box.querySelector<T>(sel);
  const start = q<HTMLButtonElement>('[data-render-start]');
  const cancel = q<HTMLButtonElement>('[data-render-cancel]');
  const bar = q<HTMLProgressElement>('progress')!;
  const say = (text: string) => (q('[data-render-status]')!.textContent = text);
  let jobId: string | undefined;

  const showProgress = (percent: number) => {
    q('[data-render-progress]')!.hidden = false;
    bar.value = percent;
    q('[data-render-percent]')!.textContent = `${Math.round(percent)}%`;
  };
  const busy = (on: boolean) => {
    if (start) start.disabled = on;
    if (cancel) cancel.hidden = !on;
  };

  async function showResult(render: RenderResult) {
    const head = await fetch(`/${render.file}`, { method: 'HEAD' }).catch(() => undefined);
    const bytes = Number(head?.headers.get('content-length') ?? Number.NaN);
    const size = Number.isFinite(bytes) ? (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`) : '大小未知';
    const figure = document.createElement('figure');
    figure.className = 'video-player';
    figure.dataset.videoPlayer = '';
    const video = document.createElement('video');
    Object.assign(video, { controls: true, preload: 'metadata', src: `/${render.file}`, poster: `/${render.poster}`, width: render.width, height: render.height });
    video.setAttribute('aria-label', `成片：${document.querySelector('[data-item-title]')?.textContent ?? ''}`);
    const caption = document.createElement('figcaption');
    caption.className = 'meta';
    caption.dataset.renderMeta = '';
    caption.textContent = `时长 ${render.duration.toFixed(1)} 秒 · ${render.width}×${render.height} · ${size} · `;
    const link = document.createElement('a');
    link.href = `/${render.file}`;
    link.download = '';
    link.textContent = '下载 MP4';
    caption.append(link);
    figure.append(video, caption);
    q('[data-render-output]')!.replaceChildren(figure);
    q('[data-render-stale]')!.hidden = true;
  }

  async function poll(id: string) {
    jobId = id;
    busy(true);
    q('[data-render-error]')!.hidden = true;
    for (;;) {
      const { status, data } = await api<JobView | ApiError>('GET', `/api/jobs/${id}`);
      if (status !== 200) {
        say(errorMessage(data, `查询渲染进度失败（HTTP ${status}）`));
        break;
      }
      const job = data as JobView;
      showProgress(job.status === 'succeeded' ? 100 : job.progress);
      if (job.status === 'queued') say('排队中…');
      else if (job.status === 'running') say(`生成中… ${Math.round(job.progress)}%`);
      else if (job.status === 'succeeded') {
        // attaching the render saved the item once more: take that version so autosave does not conflict
        const { data: fresh } = await api<{ item: { version: number } }>('GET', `/api/items/${hooks.itemId}`);
        if (fresh?.item?.version === hooks.version() + 1) hooks.adoptVersion(fresh.item.version);
        if (job.result) await showResult(job.result);
        say('视频已生成。');
        break;
      } else if (job.status === 'failed') {
        say(`生成失败：${job.error?.message ?? '未知错误'}`);
        const tail = q('[data-render-error]')!;
        tail.textContent = job.error?.tail || job.error?.message || '';
        tail.hidden = !tail.textContent;
        break;
      } else {
        say('已取消生成。');
        break;
      }
      await new Promise((r) => setTimeout(r, 400));
    }
    jobId = undefined;
    busy(false);
  }

  start?.addEventListener('click', async () => {
    busy(true);
    say('正在保存分镜…');
    if (!(await hooks.save())) {
      busy(false);
      say('分镜没有保存成功，请先处理上面的提示。');
      return;
    }
    const { status, data } = await api<JobView | ApiError>('POST', `/api/items/${hooks.itemId}/render`);
    if (status === 202) return void poll((data as JobView).id);
    const running = (data as ApiError).error?.data as { jobId?: string } | undefined;
    if (status === 409 && running?.jobId) return void poll(running.jobId);
    busy(false);
    showIssues((data as ApiError).error?.issues);
    say(errorMessage(data, `无法生成（HTTP ${status}）`));
  });

  cancel?.addEventListener('click', async () => {
    if (!jobId) return;
    const { status, data } = await api('DELETE', `/api/jobs/${jobId}`);
    if (status !== 202) say(errorMessage(data, `取消失败（HTTP ${status}）`));
    else say('正在取消…');
  });

  if (box.dataset.jobId) void poll(box.dataset.jobId);
}

export function setupVideo(hooks: Hooks): void {
  const box = root();
  if (!box) return;
  const list = box.querySelector<HTMLElement>('[data-scenes]')!;
  const template = document.querySelector<HTMLTemplateElement>('#scene-template')!;
  const changed = () => {
    updateTotal();
    const stale = panel()?.querySelector<HTMLElement>('[data-render-stale]');
    if (stale && panel()?.querySelector('[data-video-player]')) stale.hidden = false;
    hooks.onChange();
  };

  box.addEventListener('input', (event) => {
    const scene = (event.target as HTMLElement).closest<HTMLElement>('[data-scene]');
    if (scene) updateCaptionHint(scene);
    updateTotal();
    const stale = panel()?.querySelector<HTMLElement>('[data-render-stale]');
    if (stale && panel()?.querySelector('[data-video-player]')) stale.hidden = false;
  });
  box.querySelector('[data-scene-add]')?.addEventListener('click', () => {
    list.append(template.content.cloneNode(true));
    renumber();
    list.querySelector<HTMLTextAreaElement>('[data-scene]:last-child textarea')?.focus();
    changed();
  });
  list.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    const scene = target.closest<HTMLElement>('[data-scene]');
    if (!scene) return;
    if (target.closest('[data-scene-remove]')) {
      if (list.querySelectorAll('[data-scene]').length <= 1) return alert('微视频至少需要一个镜头');
      scene.remove();
      renumber();
      changed();
    } else if (target.closest('[data-scene-move]')) {
      const step = Number(target.closest<HTMLElement>('[data-scene-move]')!.dataset.sceneMove);
      const sibling = step < 0 ? scene.previousElementSibling : scene.nextElementSibling;
      if (!sibling) return;
      if (step < 0) sibling.before(scene);
      else sibling.after(scene);
      renumber();
      target.focus();
      changed();
    } else if (target.closest('[data-scene-upload]')) {
      scene.querySelector<HTMLInputElement>('[data-scene-file]')?.click();
    } else if (target.closest('[data-scene-clear-image]')) {
      setImage(scene, '');
      changed();
    }
  });
  list.addEventListener('change', async (event) => {
    const input = event.target as HTMLInputElement;
    if (!input.matches('[data-scene-file]')) return;
    event.stopPropagation();
    const scene = input.closest<HTMLElement>('[data-scene]')!;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const error = scene.querySelector<HTMLElement>('.scene-thumb [data-error-for]')!;
    error.hidden = true;
    try {
      const { url } = await uploadImage(file);
      setImage(scene, url.replace(/^\//, ''));
      changed();
    } catch (e) {
      error.textContent = e instanceof Error ? e.message : String(e);
      error.hidden = false;
    }
  });
  list.addEventListener('input', (event) => {
    if ((event.target as HTMLElement).matches('[data-scene-file]')) event.stopPropagation();
  });
  for (const scene of list.querySelectorAll<HTMLElement>('[data-scene]')) updateCaptionHint(scene);
  updateTotal();
  setupAudio(box, changed);
  setupRender(hooks);
}
