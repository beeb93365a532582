/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import { CROP_ASPECT_LABELS } from '../../media/crop-rules.ts';

/** JSON inside a <script> element: `<` escaped so the data can never close the element. */
export function jsonScript(id: string, data: unknown) {
  return raw(`<script type="application/json" id="${id}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`);
}

export function Counter({ id, limit, mode }: { id: string; limit: number; mode: 'chars' | 'weibo' }) {
  return (
    <span class="counter" id={`${id}-count`} data-counter-for={id} data-limit={String(limit)} data-mode={mode} aria-live="polite">
      0 / {limit}
    </span>
  );
}

const TOOLBAR: [string, string, string?][] = [
  ['heading2', '二级标题'],
  ['heading3', '三级标题'],
  ['bold', '加粗', 'Ctrl+B'],
  ['italic', '斜体', 'Ctrl+I'],
  ['bulletList', '无序列表'],
  ['orderedList', '有序列表'],
  ['blockquote', '引用'],
  ['link', '链接', 'Ctrl+K'],
  ['image', '图片'],
  ['table', '表格'],
  ['undo', '撤销', 'Ctrl+Z'],
  ['redo', '重做', 'Ctrl+Shift+Z'],
];

/** The tiptap toolbar and mount point; the client script brings it to life. */
export function BodyEditor({ editable }: { editable: boolean }) {
  return (
    <div class="body-editor">
      <span class="label" id="body-label">
        正文
      </span>
      {editable && <p class="hint" id="body-hint">在空行输入 / 可插入标题、列表、表格、图片；从 Word、WPS 粘贴会保留列表、标题和表格。</p>}
      {editable && (
        <div class="toolbar" role="toolbar" aria-label="正文格式" aria-controls="body-editor">
          {TOOLBAR.map(([command, label, keys]) => (
            <button type="button" data-command={command} title={keys ? `${label}（${keys}）` : label} aria-pressed={['bold', 'italic', 'heading2', 'heading3', 'bulletList', 'orderedList', 'blockquote', 'link'].includes(command) ? 'false' : undefined}>
              {label}
            </button>
          ))}
          <input type="file" id="image-file" accept="image/jpeg,image/png,image/webp,image/gif" hidden aria-label="选择要插入的图片" />
        </div>
      )}
      <div id="body-editor" class="prose-host" aria-labelledby="body-label"></div>
      <p class="meta">
        正文字数：
        <span id="body-count" aria-live="polite">
          0
        </span>
      </p>
    </div>
  );
}

export function Previews() {
  const tabs: [string, string][] = [
    ['site', '网站预览'],
    ['wechat', '微信预览'],
    ['weibo', '微博预览'],
  ];
  return (
    <section class="previews card" aria-labelledby="preview-title">
      <h2 id="preview-title">预览</h2>
      <div role="tablist" aria-label="预览渠道">
        {tabs.map(([key, label], i) => (
          <button type="button" role="tab" id={`tab-${key}`} aria-controls={`preview-${key}`} aria-selected={i === 0 ? 'true' : 'false'} tabindex={i === 0 ? 0 : -1}>
            {label}
          </button>
        ))}
      </div>
      {tabs.map(([key], i) => (
        <div role="tabpanel" id={`preview-${key}`} aria-labelledby={`tab-${key}`} hidden={i !== 0} tabindex={0} data-preview={key}></div>
      ))}
    </section>
  );
}

/**
 * The cover's crop and focal point (server/ui/client/cover-crop.ts brings it to life): an aspect
 * preset, the image to drag a rectangle on and click a focal point on, the rectangle in pixels
 * (keyboard users type it), and a thumbnail of what the site will show.
 */
export function CoverCropPanel({ cover, crop, editable }: { cover: string | undefined; crop: unknown; editable: boolean }) {
  return (
    <fieldset id="cover-crop" class="cover-crop" hidden={!cover?.startsWith('/media/')} data-crop={JSON.stringify(crop ?? null)} disabled={!editable}>
      <legend>封面裁剪与焦点</legend>
      <p class="hint" id="crop-hint">
        在图片上拖动框选裁剪区域，单击设定焦点（微信封面等固定比例时，以焦点为中心取景）。
      </p>
      <div class="row wrap">
        <label for="crop-aspect">裁剪比例</label>
        <select id="crop-aspect">
          {Object.entries(CROP_ASPECT_LABELS).map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </select>
        <button type="button" data-crop-reset>
          不裁剪
        </button>
      </div>
      <div class="crop-stage" id="crop-stage">
        <img id="crop-image" src={cover?.startsWith('/media/') ? cover : ''} alt="封面原图：拖动框选裁剪区域，单击设定焦点" aria-describedby="crop-hint" draggable={false} />
        <div class="crop-box" hidden></div>
        <div class="crop-focus" hidden></div>
      </div>
      <div class="row wrap crop-numbers">
        {(
          [
            ['x', '左边距'],
            ['y', '上边距'],
            ['width', '宽'],
            ['height', '高'],
          ] as const
        ).map(([key, label]) => (
          <>
            <label for={`crop-${key}`}>{label}</label>
            <input id={`crop-${key}`} data-crop-field={key} type="number" min={key === 'width' || key === 'height' ? 1 : 0} step={1} inputmode="numeric" class="num" />
          </>
        ))}
        <span class="hint">像素</span>
      </div>
      <p class="field-error" id="crop-error" role="alert" hidden></p>
      <div class="row">
        <span class="label">裁剪后</span>
        <canvas id="crop-thumb" class="crop-thumb" width={192} height={108} role="img" aria-label="裁剪后的封面缩略图"></canvas>
      </div>
    </fieldset>
  );
}
