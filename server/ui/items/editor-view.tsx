/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';

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
  ['link', '链接'],
  ['image', '图片'],
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
