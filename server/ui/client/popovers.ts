/**
 * The link panel at the cursor and the image panel under the toolbar (no window.prompt): a link
 * address with Enter to apply and Esc to close; an image's alt text and caption, edited while the
 * image is selected.
 */
import type { Editor } from '@tiptap/core';

/**
 * Places a floating panel just under the text position `pos` (the editor's coordsAtPos), inside the
 * editor's box, flipped above the line when there is no room below in the window.
 */
export function placeAtCursor(el: HTMLElement, editor: Editor, pos: number): void {
  const box = host();
  if (!box) return;
  // out of the flow first: a panel in the flow above the text would move the text it measures
  el.classList.add('at-cursor');
  el.style.left = '0px';
  el.style.top = '0px';
  const at = editor.view.coordsAtPos(Math.min(pos, editor.state.doc.content.size));
  const frame = box.getBoundingClientRect();
  const width = el.offsetWidth;
  const height = el.offsetHeight;
  const left = Math.max(0, Math.min(at.left - frame.left, frame.width - width));
  const below = at.bottom + 4;
  const top = below + height > window.innerHeight && at.top - height - 4 > 0 ? at.top - height - 4 : below;
  el.style.left = `${Math.round(left)}px`;
  el.style.top = `${Math.round(top - frame.top)}px`;
}

const isAllowedUrl = (url: string) => /^https?:\/\/[^\s]+$/i.test(url) || (url.startsWith('/') && !url.startsWith('//'));

function host(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.body-editor');
}

function panel(id: string, html: string): HTMLElement {
  let el = document.getElementById(id);
  if (!el) {
    el = document.createElement('div');
    el.id = id;
    el.className = 'editor-popover';
    el.setAttribute('role', 'group');
    el.innerHTML = html;
    el.hidden = true;
    const toolbar = host()?.querySelector('.toolbar');
    (toolbar ?? host())?.after(el);
  }
  return el;
}

export function openLinkPopover(editor: Editor): void {
  const el = panel(
    'link-popover',
    `<label for="link-url">链接地址（http:// 或 https:// 开头，或站内地址 /…）</label>
     <input id="link-url" type="url" inputmode="url" autocomplete="off" placeholder="https://">
     <p class="field-error" data-link-error hidden></p>
     <div class="buttons"><button type="button" class="primary" data-link="apply">确定</button><button type="button" data-link="remove">移除链接</button><button type="button" data-link="cancel">取消（Esc）</button></div>`,
  );
  el.setAttribute('aria-label', '链接设置');
  const input = el.querySelector<HTMLInputElement>('#link-url')!;
  const error = el.querySelector<HTMLElement>('[data-link-error]')!;
  const current = editor.getAttributes('link').href as string | undefined;
  input.value = current ?? '';
  error.hidden = true;
  el.querySelector<HTMLButtonElement>('[data-link="remove"]')!.hidden = !current;
  el.hidden = false;
  placeAtCursor(el, editor, editor.state.selection.from);
  input.focus({ preventScroll: true });
  input.select();
  // back to the text at once: tiptap's focus() waits for the next animation frame, and keys typed before it
  // would go to the hidden address field
  const backToText = () => {
    el.hidden = true;
    editor.view.focus();
  };
  const close = () => {
    el.onclick = null;
    el.onkeydown = null;
    input.onkeydown = null;
    backToText();
  };
  const apply = () => {
    const url = input.value.trim();
    if (!url) return close();
    if (!isAllowedUrl(url)) {
      error.textContent = '链接只允许 http(s) 地址或站内相对地址';
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    input.removeAttribute('aria-invalid');
    if (editor.state.selection.empty && !editor.isActive('link')) {
      editor.chain().focus().insertContent({ type: 'text', text: url, marks: [{ type: 'link', attrs: { href: url } }] }).run();
    } else editor.chain().focus().extendMarkRange('link').setLink({ href: url }).run();
    backToText();
  };
  input.onkeydown = (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      apply();
    }
  };
  // Esc closes from anywhere in the panel (the address or its buttons), back to the text
  el.onkeydown = (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };
  el.onclick = (event) => {
    const action = (event.target as HTMLElement).closest<HTMLElement>('[data-link]')?.dataset.link;
    if (action === 'apply') apply();
    else if (action === 'cancel') close();
    else if (action === 'remove') {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
      backToText();
    }
  };
}

/** Shows the alt/caption fields while an image is selected; `focus` moves the cursor into the alt field (after an upload). */
export function syncImagePopover(editor: Editor, focus = false): void {
  const el = panel(
    'image-popover',
    `<label for="image-alt">图片说明（替代文字，供读屏软件朗读）</label>
     <input id="image-alt" autocomplete="off">
     <label for="image-caption">图注（显示在图片下方，可留空）</label>
     <input id="image-caption" autocomplete="off">`,
  );
  el.setAttribute('aria-label', '图片属性');
  const active = editor.isActive('image');
  el.hidden = !active;
  if (!active) return;
  const alt = el.querySelector<HTMLInputElement>('#image-alt')!;
  const caption = el.querySelector<HTMLInputElement>('#image-caption')!;
  const attrs = editor.getAttributes('image');
  if (document.activeElement !== alt) alt.value = String(attrs.alt ?? '');
  if (document.activeElement !== caption) caption.value = String(attrs.title ?? '');
  alt.oninput = () => editor.chain().updateAttributes('image', { alt: alt.value }).run();
  caption.oninput = () => editor.chain().updateAttributes('image', { title: caption.value.trim() ? caption.value : null }).run();
  if (focus) {
    alt.focus();
    alt.select();
  }
}
