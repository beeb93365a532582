import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { CharacterCount } from '@tiptap/extensions';

/** Only http(s) and site-relative links: the server refuses anything else. */
export const isAllowedUrl = (url: string) => /^https?:\/\/[^\s]+$/i.test(url) || (url.startsWith('/') && !url.startsWith('//'));

/** The editor with the same node set the server validates and renders (StarterKit + link + image). */
export function createEditor(element: HTMLElement, content: unknown, editable: boolean, onUpdate: () => void): Editor {
  return new Editor({
    element,
    editable,
    content: content as object,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        link: { openOnClick: false, protocols: ['http', 'https'], isAllowedUri: (url) => isAllowedUrl(url), defaultProtocol: 'https' },
      }),
      Image,
      CharacterCount,
    ],
    editorProps: {
      attributes: { class: 'prose', role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': 'body-label', ...(editable ? {} : { 'aria-readonly': 'true' }) },
    },
    onUpdate,
  });
}

type Command = (editor: Editor) => void;

function askLink(editor: Editor): void {
  if (editor.isActive('link')) return void editor.chain().focus().unsetLink().run();
  const url = window.prompt('链接地址（http:// 或 https:// 开头）', 'https://')?.trim();
  if (!url) return;
  if (!isAllowedUrl(url)) return void alert('链接只允许 http(s) 地址或站内相对地址');
  if (editor.state.selection.empty) {
    editor.chain().focus().insertContent({ type: 'text', text: url, marks: [{ type: 'link', attrs: { href: url } }] }).run();
  } else editor.chain().focus().extendMarkRange('link').setLink({ href: url }).run();
}

export const COMMANDS: Record<string, Command> = {
  heading2: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  heading3: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
  bold: (e) => e.chain().focus().toggleBold().run(),
  italic: (e) => e.chain().focus().toggleItalic().run(),
  bulletList: (e) => e.chain().focus().toggleBulletList().run(),
  orderedList: (e) => e.chain().focus().toggleOrderedList().run(),
  blockquote: (e) => e.chain().focus().toggleBlockquote().run(),
  link: askLink,
  undo: (e) => e.chain().focus().undo().run(),
  redo: (e) => e.chain().focus().redo().run(),
};

const ACTIVE: Record<string, (e: Editor) => boolean> = {
  heading2: (e) => e.isActive('heading', { level: 2 }),
  heading3: (e) => e.isActive('heading', { level: 3 }),
  bold: (e) => e.isActive('bold'),
  italic: (e) => e.isActive('italic'),
  bulletList: (e) => e.isActive('bulletList'),
  orderedList: (e) => e.isActive('orderedList'),
  blockquote: (e) => e.isActive('blockquote'),
  link: (e) => e.isActive('link'),
};

/** Reflects the selection in the toolbar's pressed states and undo/redo availability. */
export function syncToolbar(editor: Editor): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-command]')) {
    const name = button.dataset.command!;
    const active = ACTIVE[name];
    if (active) button.setAttribute('aria-pressed', String(active(editor)));
    if (name === 'undo') button.disabled = !editor.can().undo();
    if (name === 'redo') button.disabled = !editor.can().redo();
  }
  const count = document.getElementById('body-count');
  if (count) count.textContent = String(editor.storage.characterCount.characters());
}
