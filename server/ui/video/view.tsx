/** @jsxImportSource hono/jsx */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deps } from '../../context.ts';
import { MusicFields, VoiceoverField } from './audio-fields.tsx';
import { hasCurrentRender, type VideoItem } from '../../kinds/video/schema.ts';
import { MAX_TOTAL_SECONDS, MIN_SCENE_SECONDS, totalSeconds, type Scene, type Storyboard } from '../../video/schema.ts';

export type { VideoItem };

/** Caption length the schema allows, and a comfortable reading speed for the seconds hint. */
export const CAPTION_MAX = 120;
export const CHARS_PER_SECOND = 5;

/** What the pages show of a render: site URLs, size on disk, and whether it matches the storyboard. */
export interface RenderInfo {
  src: string;
  poster: string;
  duration: number;
  width: number;
  height: number;
  bytes: number | undefined;
  current: boolean;
}

export async function renderInfo(deps: Deps, item: VideoItem): Promise<RenderInfo | undefined> {
  if (!item.render) return undefined;
  const bytes = await stat(join(deps.config.dataDir, item.render.file)).then((s) => s.size, () => undefined);
  const { file, poster, duration, width, height } = item.render;
  return { src: `/${file}`, poster: `/${poster}`, duration, width, height, bytes, current: hasCurrentRender(item) };
}

export const formatBytes = (bytes: number | undefined) => (bytes === undefined ? '大小未知' : bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** The rendered video with its poster, duration, size and frame size. */
export function VideoPlayer({ info, title }: { info: RenderInfo; title: string }) {
  return (
    <figure class="video-player" data-video-player>
      <video controls preload="metadata" src={info.src} poster={info.poster} width={info.width} height={info.height} aria-label={`成片：${title}`}></video>
      <figcaption class="meta" data-render-meta>
        时长 {info.duration.toFixed(1)} 秒 · {info.width}×{info.height} · {formatBytes(info.bytes)} ·{' '}
        <a href={info.src} download>
          下载 MP4
        </a>
      </figcaption>
    </figure>
  );
}

/** Storyboard defaults for a new video (the title card carries the item's title). */
export function newStoryboard(input: { title: string; format: string; transition: string; orgName: string; date: string; text: string; seconds: number }) {
  return {
    format: input.format === '16:9' ? '16:9' : '9:16',
    transition: input.transition === 'cut' ? 'cut' : 'fade',
    titleCard: { title: input.title.slice(0, 40), seconds: 2 },
    scenes: [{ text: input.text, seconds: input.seconds }],
    endCard: { orgName: input.orgName.slice(0, 40), date: input.date, seconds: 3 },
  };
}

type FieldProps = { id: string; label: string; field: string; children?: unknown };

/** A label and control with a slot for the server's error on that field (`data-field` = the issue path). */
function Field({ id, label, field, children }: FieldProps) {
  return (
    <div class="sb-field" data-field-box={field}>
      <label for={id}>{label}</label>
      {children}
      <p class="field-error" id={`${id}-error`} data-error-for={field} role="alert" hidden></p>
    </div>
  );
}

export function SceneFields({ index, scene, editable }: { index: number | '__N__'; scene?: Scene | undefined; editable: boolean }) {
  const n = typeof index === 'number' ? index : 0;
  const id = (f: string) => `scene-${index}-${f}`;
  const path = (f: string) => `scenes.${index}.${f}`;
  const text = scene?.text ?? '';
  return (
    <fieldset class="scene" data-scene>
      <legend>镜头 {typeof index === 'number' ? index + 1 : ''}</legend>
      <div class="scene-grid">
        <div class="scene-thumb">
          <img data-scene-thumb src={scene?.image ? `/${scene.image}` : undefined} alt={scene?.image ? `镜头 ${n + 1} 的画面` : ''} hidden={!scene?.image} />
          <span class="hint" data-scene-noimage hidden={Boolean(scene?.image)}>
            无图片（纯色背景）
          </span>
          <input type="hidden" name="sceneImage" value={scene?.image ?? ''} data-field={path('image')} />
          {editable && (
            <div class="row wrap">
              <button type="button" data-scene-upload>
                上传图片
              </button>
              <button type="button" class="link-button" data-scene-clear-image hidden={!scene?.image}>
                去掉图片
              </button>
              <input type="file" id={id('file')} accept="image/jpeg,image/png,image/webp" hidden aria-label={`选择镜头 ${n + 1} 的图片`} data-scene-file />
            </div>
          )}
          <p class="field-error" data-error-for={path('image')} role="alert" hidden></p>
        </div>
        <div class="stack">
          <Field id={id('text')} label="字幕" field={path('text')}>
            <textarea id={id('text')} name="sceneText" rows={3} maxlength={CAPTION_MAX} data-field={path('text')} aria-describedby={`${id('text')}-hint`} readonly={!editable}>
              {text}
            </textarea>
            <span class="counter" id={`${id('text')}-hint`} data-caption-hint aria-live="polite">
              {text.length} / {CAPTION_MAX} 字
            </span>
          </Field>
          <Field id={id('seconds')} label="时长（秒）" field={path('seconds')}>
            <input id={id('seconds')} name="sceneSeconds" type="number" min={MIN_SCENE_SECONDS} max={60} step={0.5} value={String(scene?.seconds ?? 3)} data-field={path('seconds')} readonly={!editable} />
          </Field>
          <VoiceoverField index={index} path={scene?.voiceover} editable={editable} />
        </div>
      </div>
      {editable && (
        <div class="row wrap scene-actions">
          <button type="button" data-scene-move="-1" aria-label={`镜头 ${n + 1} 上移`}>
            上移
          </button>
          <button type="button" data-scene-move="1" aria-label={`镜头 ${n + 1} 下移`}>
            下移
          </button>
          <button type="button" class="link-button" data-scene-remove aria-label={`删除镜头 ${n + 1}`}>
            删除镜头
          </button>
        </div>
      )}
    </fieldset>
  );
}

/** The storyboard section of the item editor: format, title card, scenes, end card, transition, live total. */
export function StoryboardFields({ board, editable }: { board: Storyboard; editable: boolean }) {
  const total = totalSeconds(board);
  const ro = !editable;
  return (
    <section class="storyboard" aria-labelledby="storyboard-title" data-storyboard>
      <h2 id="storyboard-title">分镜</h2>
      <p class="field-error" data-error-for="storyboard" role="alert" hidden></p>
      <div class="row wrap">
        <Field id="sb-format" label="画幅" field="format">
          <select id="sb-format" name="format" data-field="format" disabled={ro}>
            <option value="9:16" selected={board.format === '9:16'}>
              竖屏 9:16（1080×1920）
            </option>
            <option value="16:9" selected={board.format === '16:9'}>
              横屏 16:9（1920×1080）
            </option>
          </select>
        </Field>
        <Field id="sb-transition" label="转场" field="transition">
          <select id="sb-transition" name="transition" data-field="transition" disabled={ro}>
            <option value="cut" selected={board.transition === 'cut'}>
              硬切
            </option>
            <option value="fade" selected={board.transition === 'fade'}>
              淡入淡出
            </option>
          </select>
        </Field>
      </div>
      <fieldset class="card-fields">
        <legend>片头标题卡</legend>
        <Field id="sb-title" label="片头标题" field="titleCard.title">
          <input id="sb-title" name="titleCardTitle" value={board.titleCard.title} maxlength={40} data-field="titleCard.title" readonly={ro} />
        </Field>
        <Field id="sb-subtitle" label="片头副标题（可选）" field="titleCard.subtitle">
          <input id="sb-subtitle" name="titleCardSubtitle" value={board.titleCard.subtitle ?? ''} maxlength={60} data-field="titleCard.subtitle" readonly={ro} />
        </Field>
        <Field id="sb-title-seconds" label="片头时长（秒）" field="titleCard.seconds">
          <input id="sb-title-seconds" name="titleCardSeconds" type="number" min={MIN_SCENE_SECONDS} max={60} step={0.5} value={String(board.titleCard.seconds)} data-field="titleCard.seconds" readonly={ro} />
        </Field>
      </fieldset>
      <div data-scenes data-field-box="scenes">
        {board.scenes.map((scene, i) => (
          <SceneFields index={i} scene={scene} editable={editable} />
        ))}
      </div>
      <p class="field-error" data-error-for="scenes" role="alert" hidden></p>
      <template id="scene-template">
        <SceneFields index="__N__" editable={editable} />
      </template>
      {editable && (
        <button type="button" data-scene-add>
          添加镜头
        </button>
      )}
      <fieldset class="card-fields">
        <legend>片尾</legend>
        <Field id="sb-org" label="片尾单位名称" field="endCard.orgName">
          <input id="sb-org" name="endCardOrgName" value={board.endCard.orgName} maxlength={40} data-field="endCard.orgName" readonly={ro} />
        </Field>
        <Field id="sb-date" label="片尾日期" field="endCard.date">
          <input id="sb-date" name="endCardDate" value={board.endCard.date} maxlength={20} data-field="endCard.date" readonly={ro} />
        </Field>
        <Field id="sb-qr" label="二维码/链接文字（可选）" field="endCard.qrText">
          <input id="sb-qr" name="endCardQrText" value={board.endCard.qrText ?? ''} maxlength={80} data-field="endCard.qrText" readonly={ro} />
        </Field>
        <Field id="sb-end-seconds" label="片尾时长（秒）" field="endCard.seconds">
          <input id="sb-end-seconds" name="endCardSeconds" type="number" min={MIN_SCENE_SECONDS} max={60} step={0.5} value={String(board.endCard.seconds)} data-field="endCard.seconds" readonly={ro} />
        </Field>
      </fieldset>
      <p class="total" data-total data-max={String(MAX_TOTAL_SECONDS)} aria-live="polite">
        总时长 <strong data-total-seconds>{total.toFixed(1)}</strong> / {MAX_TOTAL_SECONDS} 秒（含片头片尾；每个镜头至少 {MIN_SCENE_SECONDS} 秒）
      </p>
      <MusicFields music={board.music} editable={editable} />
    </section>
  );
}

/** The render panel: start, progress, cancel, error tail, the result and a stale notice. */
export function RenderPanel({ item, info, runningJobId, editable }: { item: VideoItem; info: RenderInfo | undefined; runningJobId: string | undefined; editable: boolean }) {
  return (
    <section class="render-panel card" aria-labelledby="render-title" data-render-panel data-job-id={runningJobId ?? ''}>
      <h2 id="render-title">成片</h2>
      <p class="note" data-render-stale role="status" hidden={!info || info.current}>
        分镜在上次生成之后有修改，成片已过期：请重新生成视频后再提交审核。
      </p>
      <div data-render-output>{info ? <VideoPlayer info={info} title={item.title} /> : <p class="empty">还没有成片。保存分镜后点击「生成视频」。</p>}</div>
      <div class="render-progress" data-render-progress hidden>
        <progress max={100} value={0} aria-label="渲染进度" id="render-progress"></progress>
        <span data-render-percent aria-live="polite">
          0%
        </span>
      </div>
      <p data-render-status role="status" aria-live="polite"></p>
      <pre class="error-tail" data-render-error hidden tabindex={0} aria-label="ffmpeg 错误信息"></pre>
      {editable && (
        <div class="row wrap">
          <button type="button" class="primary" data-render-start>
            生成视频
          </button>
          <button type="button" class="danger" data-render-cancel hidden>
            取消生成
          </button>
        </div>
      )}
    </section>
  );
}

/** The storyboard as reviewers read it: cards and captions in order with their seconds. */
export function StoryboardSummary({ board }: { board: Storyboard }) {
  return (
    <section class="card" aria-labelledby="storyboard-summary-title">
      <h2 id="storyboard-summary-title">分镜（{board.format === '9:16' ? '竖屏 9:16' : '横屏 16:9'}，{board.transition === 'fade' ? '淡入淡出' : '硬切'}，共 {totalSeconds(board).toFixed(1)} 秒）</h2>
      <ol class="storyboard-summary">
        <li>
          片头：{board.titleCard.title}
          {board.titleCard.subtitle ? `——${board.titleCard.subtitle}` : ''}（{board.titleCard.seconds} 秒）
        </li>
        {board.scenes.map((s) => (
          <li>
            {s.text || '（无字幕）'}（{s.seconds} 秒{s.image ? '，有图片' : ''}{s.voiceover ? '，有配音' : ''}）
          </li>
        ))}
        {board.music && <li>背景音乐（音量 {Math.round(board.music.volume * 100)}%）</li>}
        <li>
          片尾：{board.endCard.orgName} · {board.endCard.date}
          {board.endCard.qrText ? ` · ${board.endCard.qrText}` : ''}（{board.endCard.seconds} 秒）
        </li>
      </ol>
    </section>
  );
}

/** The new-video form's storyboard fields: enough for a first render, the editor does the rest. */
export function NewVideoFields({ orgName, date }: { orgName: string; date: string }) {
  return (
    <fieldset class="card-fields" data-storyboard>
      <legend>分镜</legend>
      <label for="format">画幅</label>
      <select id="format" name="format">
        <option value="9:16">竖屏 9:16（视频号、微博）</option>
        <option value="16:9">横屏 16:9（网站）</option>
      </select>
      <label for="transition">转场</label>
      <select id="transition" name="transition">
        <option value="fade">淡入淡出</option>
        <option value="cut">硬切</option>
      </select>
      <label for="sceneText">第一个镜头的字幕</label>
      <textarea id="sceneText" name="sceneText" rows={2} maxlength={CAPTION_MAX} required></textarea>
      <label for="sceneSeconds">第一个镜头时长（秒）</label>
      <input id="sceneSeconds" name="sceneSeconds" type="number" min={MIN_SCENE_SECONDS} max={60} step={0.5} value="3" required />
      <label for="endCardOrgName">片尾单位名称</label>
      <input id="endCardOrgName" name="endCardOrgName" value={orgName} maxlength={40} required />
      <label for="endCardDate">片尾日期</label>
      <input id="endCardDate" name="endCardDate" value={date} maxlength={20} required />
      <p class="hint">片头标题默认取稿件标题；图片、更多镜头和片头片尾时长在编辑页补充。</p>
    </fieldset>
  );
}
