/** The "/" insert menu: typing / at the start of an empty paragraph lists blocks to insert, at the cursor (arrows, Enter, Esc). */
import type { Editor } from '@tiptap/core';
import { placeAtCursor } from './popovers.ts';

interface Entry {
  label: string;
  run: (editor: Editor) => void;
}

const ENTRIES: Entry[] = [
  { label: '二级标题', run: (e) => e.chain().focus().setHeading({ level: 2 }).run() },
  { label: '三级标题', run: (e) => e.chain().focus().setHeading({ level: 3 }).run() },
  { label: '无序列表', run: (e) => e.chain().focus().toggleBulletList().run() },
  { label: '有序列表', run: (e) => e.chain().focus().toggleOrderedList().run() },
  { label: '引用', run: (e) => e.chain().focus().toggleBlockquote().run() },
  { label: '表格（3×3）', run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run() },
  { label: '图片', run: () => document.getElementById('image-file')?.click() },
  { label: '分隔线', run: (e) => e.chain().focus().setHorizontalRule().run() },
];

let open = false;
let selected = 0;

function menu(): HTMLElement {
  let el = document.getElementById('slash-menu');
  if (!el) {
    el = document.createElement('div');
    el.id = 'slash-menu';
    el.className = 'slash-menu';
    el.setAttribute('role', 'listbox');
    el.setAttribute('aria-label', '插入');
    el.hidden = true;
    document.querySelector('.body-editor')?.append(el);
  }
  return el;
}

function render(editor: Editor): void {
  const el = menu();
  el.replaceChildren(
    ...ENTRIES.map((entry, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('role', 'option');
      b.id = `slash-option-${i}`;
      b.tabIndex = -1;
      b.setAttribute('aria-selected', String(i === selected));
      b.textContent = entry.label;
      b.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(editor, i);
      });
      return b;
    }),
  );
  el.hidden = false;
  el.setAttribute('aria-activedescendant', `slash-option-${selected}`);
  placeAtCursor(el, editor, editor.state.selection.from);
}

function close(): void {
  open = false;
  const el = document.getElementById('slash-menu');
  if (el) el.hidden = true;
}

function choose(editor: Editor, i: number): void {
  const { $from } = editor.state.selection;
  close();
  // drop the "/" that opened the menu, then insert
  editor.chain().focus().deleteRange({ from: $from.pos - 1, to: $from.pos }).run();
  ENTRIES[i]!.run(editor);
}

export const slashMenu = {
  /** After each change: open when the paragraph is exactly "/", close otherwise. */
  sync(editor: Editor): void {
    const { $from, empty } = editor.state.selection;
    const trigger = empty && $from.parent.type.name === 'paragraph' && $from.parent.textContent === '/' && $from.parentOffset === 1;
    if (trigger && !open) {
      open = true;
      selected = 0;
      render(editor);
    } else if (!trigger && open) close();
  },
  handleKey(editor: Editor, event: KeyboardEvent): boolean {
    if (!open) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      selected = (selected + (event.key === 'ArrowDown' ? 1 : ENTRIES.length - 1)) % ENTRIES.length;
      render(editor);
      return true;
    }
    if (event.key === 'Enter') {
      choose(editor, selected);
      return true;
    }
    if (event.key === 'Escape') {
      close();
      return true;
    }
    return false;
  },
};
