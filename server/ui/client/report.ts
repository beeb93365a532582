import type { Editor } from '@tiptap/core';
import { COMMANDS, createEditor } from './tiptap.ts';

/**
 * 本周综述 and 研判建议 on the weekly report page: each textarea[data-rich] becomes the same tiptap editor the items
 * use. The textarea stays in the form (hidden) with the plain text, and the document goes in the hidden input the
 * textarea names, so the form posts both; without JavaScript the textarea is simply a textarea.
 */
const TOOLS: [string, string][] = [
  ['heading3', '小标题'],
  ['bold', '加粗'],
  ['bulletList', '列表'],
  ['orderedList', '编号'],
  ['undo', '撤销'],
];

const paragraphsDoc = (text: string) => ({ type: 'doc', content: text.split(/\n+/).filter((t) => t.trim()).map((t) => ({ type: 'paragraph', content: [{ type: 'text', text: t }] })) });

for (const area of document.querySelectorAll<HTMLTextAreaElement>('textarea[data-rich]')) {
  const form = area.form;
  const hidden = form?.querySelector<HTMLInputElement>(`input[name="${area.dataset.rich}"]`);
  if (!form || !hidden) continue;
  let initial: unknown = paragraphsDoc(area.value);
  try {
    if (hidden.value) initial = JSON.parse(hidden.value);
  } catch {
    // keep the text version
  }
  const box = document.createElement('div');
  box.className = 'rich-box';
  const bar = document.createElement('div');
  bar.className = 'toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', `${document.querySelector(`label[for="${area.id}"]`)?.textContent ?? ''}格式`);
  const mount = document.createElement('div');
  mount.className = 'rich-editor';
  mount.dataset.richEditor = area.name;
  box.append(bar, mount);
  area.after(box);
  area.hidden = true;
  let editor: Editor | undefined;
  const sync = () => {
    if (!editor) return;
    hidden.value = editor.isEmpty ? '' : JSON.stringify(editor.getJSON());
    area.value = editor.getText({ blockSeparator: '\n' }).trim();
    // the page's unsaved-text guard listens for input on the form
    form.dispatchEvent(new Event('input', { bubbles: true }));
  };
  editor = createEditor(mount, initial, true, sync);
  const labelId = `${area.id}-label`;
  document.querySelector(`label[for="${area.id}"]`)?.setAttribute('id', labelId);
  editor.view.dom.setAttribute('aria-labelledby', labelId);
  for (const [command, text] of TOOLS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = text;
    // a mouse click must not take the focus (and the next keystrokes) away from the text: tiptap gives it back
    // only on the next animation frame
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => editor && COMMANDS[command]?.(editor));
    bar.append(button);
  }
  // clicking the label puts the cursor in the editor, as it would in the textarea
  document.getElementById(labelId)?.addEventListener('click', () => editor?.commands.focus());
}

export {};
