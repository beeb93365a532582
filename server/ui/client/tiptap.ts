import { Editor, Extension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import Link from '@tiptap/extension-link';
import { TableKit } from '@tiptap/extension-table';
import { CharacterCount } from '@tiptap/extensions';
import { cleanPastedHtml } from './paste.ts';
import { openLinkPopover } from './popovers.ts';
import { slashMenu } from './slash-menu.ts';

/** Only http(s) and site-relative links: the server refuses anything else. */
export const isAllowedUrl = (url: string) => /^https?:\/\/[^\s]+$/i.test(url) || (url.startsWith('/') && !url.startsWith('//'));

/** Typing right after a link does not extend it (the mark is not inclusive). */
const NonInclusiveLink = Link.extend({ inclusive: () => false });

/** Ctrl+K / ⌘K opens the link popover. */
const LinkShortcut = Extension.create({
  name: 'linkShortcut',
  addKeyboardShortcuts() {
    return { 'Mod-k': () => (openLinkPopover(this.editor), true) };
  },
});

/** The editor with the same node set the server validates and renders (StarterKit + link + image + tables). */
export function createEditor(element: HTMLElement, content: unknown, editable: boolean, onUpdate: () => void): Editor {
  const editor: Editor = new Editor({
    element,
    editable,
    content: content as object,
    extensions: [
      StarterKit.configure({ heading: { levels: [2, 3, 4] }, link: false }),
      NonInclusiveLink.configure({ openOnClick: false, protocols: ['http', 'https'], isAllowedUri: (url) => isAllowedUrl(url), defaultProtocol: 'https', autolink: false }),
      Image,
      TableKit.configure({ table: { resizable: false } }),
      CharacterCount,
      LinkShortcut,
    ],
    editorProps: {
      attributes: { class: 'prose', role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': 'body-label', ...(editable ? {} : { 'aria-readonly': 'true' }) },
      transformPastedHTML: cleanPastedHtml,
      handleKeyDown: (_view, event) => slashMenu.handleKey(editor, event),
    },
    onUpdate: () => {
      slashMenu.sync(editor);
      onUpdate();
    },
  });
  return editor;
}

type Command = (editor: Editor) => void;

export const COMMANDS: Record<string, Command> = {
  heading2: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  heading3: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
  bold: (e) => e.chain().focus().toggleBold().run(),
  italic: (e) => e.chain().focus().toggleItalic().run(),
  bulletList: (e) => e.chain().focus().toggleBulletList().run(),
  orderedList: (e) => e.chain().focus().toggleOrderedList().run(),
  blockquote: (e) => e.chain().focus().toggleBlockquote().run(),
  table: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
  horizontalRule: (e) => e.chain().focus().setHorizontalRule().run(),
  link: (e) => openLinkPopover(e),
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
