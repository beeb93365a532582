import { api, errorMessage, uploadImage, type ApiError } from './api.ts';
import { readClaims, setupClaims } from './claims.ts';
import { setupCounters } from './counters.ts';
import { renderPreviews, setupTabs } from './previews.ts';
import { COMMANDS, createEditor, isAllowedUrl, syncToolbar } from './tiptap.ts';
import { syncImagePopover } from './popovers.ts';
import { clearIssues, readStoryboard, setupVideo, showIssues } from './video.ts';
import { clearFieldIssues, showFieldIssues } from './field-issues.ts';
import { setupPublishPanel } from './publish.ts';
import { setupLocalCopy } from './local-copy.ts';
import { setupCoverCrop } from './cover-crop.ts';

interface ItemData {
  item: { id: string; kind: string; version: number; body: unknown; title: string; storyboard?: Record<string, unknown> };
  orgName: string;
  sitePath: string;
}

const data = JSON.parse(document.getElementById('item-data')!.textContent!) as ItemData;
const form = document.getElementById('item-form') as HTMLFormElement;
const mode = form.dataset.mode as 'edit' | 'correct' | 'read';
const status = document.getElementById('save-status');
const conflictBox = document.getElementById('conflict')!;
const field = (name: string) => form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`);
const value = (name: string) => field(name)?.value ?? '';

let version = data.item.version;
/** Bumped on every change; a save that finishes with the same number leaves the form clean. */
let changes = 0;
let savedChanges = 0;
let saving: Promise<void> | undefined;
let conflict = false;
let timer: ReturnType<typeof setTimeout> | undefined;

const dirty = () => changes !== savedChanges;
const say = (text: string, error = false) => {
  if (!status) return;
  status.textContent = text;
  status.classList.toggle('error', error);
};

const editor = createEditor(document.getElementById('body-editor')!, data.item.body, mode !== 'read', () => changed());
if (document.getElementById('body-hint')) editor.view.dom.setAttribute('aria-describedby', 'body-hint');
const coverCrop = setupCoverCrop(() => changed());

const splitTags = (text: string) => [...new Set(text.split(/[,，、;；\s]+/).map((t) => t.trim()).filter(Boolean))];
const lines = (text: string) => text.split('\n').map((t) => t.trim()).filter(Boolean);

/** The PATCH body for the current form. */
function payload(): Record<string, unknown> {
  const wechat = { ...(value('wechatTitle') ? { title: value('wechatTitle') } : {}), ...(value('wechatDigest') ? { digest: value('wechatDigest') } : {}) };
  const out: Record<string, unknown> = {
    version,
    title: value('title'),
    summary: value('summary'),
    tags: splitTags(value('tags')),
    cover: value('cover').trim() || null,
    coverCrop: coverCrop.value(),
    body: editor.getJSON(),
    variants: { wechat, weibo: value('weiboText') ? { text: value('weiboText') } : {} },
  };
  // the kind's fields are whatever its server-rendered part put on the page
  if (hasClaims()) {
    out.claims = readClaims();
    out.tips = lines(value('tips'));
  }
  if (document.querySelector('[data-storyboard]') && mode === 'edit') out.storyboard = readStoryboard(data.item.storyboard ?? {});
  if (mode === 'correct') out.correction = value('correction').trim() || undefined;
  return out;
}

/** Every change is also kept in this browser until the server confirms it (a crash or a closed tab loses nothing). */
const localCopy = setupLocalCopy({
  itemId: data.item.id,
  enabled: mode === 'edit',
  payload: () => {
    const { version: _v, ...fields } = payload();
    return fields;
  },
  restore: async (fields) => {
    const { status: code, data: result } = await api<{ version: number } | ApiError>('PATCH', `/api/items/${data.item.id}`, { ...fields, version });
    if (code !== 200) throw new Error(errorMessage(result, `恢复失败（HTTP ${code}）`));
  },
});

const hasClaims = () => document.querySelector('[data-claims]') !== null;

let previewTimer: ReturnType<typeof setTimeout> | undefined;
function refreshPreviews() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => {
    renderPreviews({
      title: value('title'),
      summary: value('summary'),
      cover: value('cover'),
      tags: splitTags(value('tags')),
      wechatTitle: value('wechatTitle'),
      wechatDigest: value('wechatDigest'),
      weiboText: value('weiboText'),
      bodyHtml: editor.getHTML(),
      claims: readClaims(),
      tips: hasClaims() ? lines(value('tips')) : undefined,
      orgName: data.orgName,
      sitePath: data.sitePath,
    });
  }, 150);
}

function changed() {
  syncToolbar(editor);
  refreshPreviews();
  if (mode === 'read') return;
  changes++;
  localCopy.remember();
  if (conflict) return;
  say('有未保存的修改');
  if (mode === 'edit') {
    clearTimeout(timer);
    timer = setTimeout(() => void save(), 1500);
  }
}

/** Saves now (waits for a save in flight first). Never overwrites someone else's version: a stale version opens the conflict panel. */
async function save(): Promise<void> {
  clearTimeout(timer);
  if (saving) await saving;
  if (conflict || !dirty()) return;
  const at = changes;
  saving = (async () => {
    say('保存中…');
    let answer: Awaited<ReturnType<typeof api<{ version: number } | ApiError>>>;
    try {
      answer = await api<{ version: number } | ApiError>('PATCH', `/api/items/${data.item.id}`, payload());
    } catch {
      // offline or the server is away: the local copy holds the changes; try again shortly
      say('网络中断：修改已保存在这台电脑上，恢复连接后会自动保存', true);
      clearTimeout(timer);
      timer = setTimeout(() => void save(), 5000);
      return;
    }
    const { status: code, data: result } = answer;
    if (code === 200) {
      adoptVersion((result as { version: number }).version);
      savedChanges = at;
      clearIssues();
      if (!dirty()) localCopy.forget();
      const title = document.querySelector('[data-item-title]');
      if (title) title.textContent = value('title');
      if (mode === 'correct') field('correction')!.value = '';
      say(dirty() ? '有未保存的修改' : `已保存（第 ${version} 版，${new Date().toLocaleTimeString('zh-CN', { hour12: false })}）`);
    } else if (code === 409 && (result as ApiError).error?.data?.currentVersion !== undefined) {
      await showConflict();
    } else {
      showIssues((result as ApiError | null)?.error?.issues);
      say(errorMessage(result, `保存失败（HTTP ${code}）`), true);
    }
  })().finally(() => {
    saving = undefined;
  });
  await saving;
}

function adoptVersion(next: number) {
  version = next;
  form.dataset.version = String(version);
  document.getElementById('version-label')!.textContent = String(version);
}

async function showConflict() {
  conflict = true;
  const { data: theirs } = await api<{ item: { version: number; updatedAt: string; lastEditorId: string; title: string } }>('GET', `/api/items/${data.item.id}`);
  const when = new Date(theirs.item.updatedAt).toLocaleTimeString('zh-CN', { hour12: false });
  conflictBox.querySelector('[data-conflict-text]')!.textContent =
    `你打开之后，这篇稿件已被他人保存为第 ${theirs.item.version} 版（${when}，标题「${theirs.item.title}」）。你的修改还没有保存，也没有覆盖对方。请选择：载入对方的版本，或保留你的修改并覆盖对方的版本。`;
  conflictBox.dataset.theirVersion = String(theirs.item.version);
  conflictBox.hidden = false;
  say('保存冲突：请在下方选择处理方式', true);
  conflictBox.querySelector<HTMLButtonElement>('[data-conflict="reload"]')!.focus();
}

conflictBox.addEventListener('click', async (event) => {
  const choice = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-conflict]')?.dataset.conflict;
  if (choice === 'reload') {
    savedChanges = changes;
    location.reload();
  } else if (choice === 'overwrite') {
    if (!confirm('确定用你的版本覆盖对方保存的内容吗？对方的修改会保留在修订历史中。')) return;
    version = Number(conflictBox.dataset.theirVersion);
    conflict = false;
    conflictBox.hidden = true;
    await save();
  }
});

// toolbar: a mouse click must not take the focus (and the next keystrokes) away from the text
document.querySelector('.toolbar')?.addEventListener('mousedown', (event) => {
  if ((event.target as HTMLElement).closest('[data-command]')) event.preventDefault();
});
document.querySelector('.toolbar')?.addEventListener('click', (event) => {
  const name = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-command]')?.dataset.command;
  if (name === 'image') return void document.getElementById('image-file')?.click();
  if (name) COMMANDS[name]?.(editor);
});

document.getElementById('image-file')?.addEventListener('change', async (event) => {
  const input = event.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  try {
    say('图片上传中…');
    const { url } = await uploadImage(file);
    const at = editor.state.selection.from;
    editor.chain().focus().setImage({ src: url, alt: file.name.replace(/\.[^.]+$/, '') }).run();
    // select the new image so its alt text and caption can be written right away
    let pos = -1;
    editor.state.doc.descendants((node, p) => {
      if (pos < 0 && node.type.name === 'image' && node.attrs.src === url && p >= at - 2) pos = p;
    });
    if (pos >= 0) editor.commands.setNodeSelection(pos);
    syncImagePopover(editor, true);
    say('图片已插入：请填写图片说明（替代文字）');
  } catch (error) {
    say(error instanceof Error ? error.message : String(error), true);
  }
});

document.querySelector('[data-upload-cover]')?.addEventListener('click', () => document.getElementById('cover-file')?.click());
document.getElementById('cover-file')?.addEventListener('change', async (event) => {
  const input = event.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  try {
    say('封面上传中…');
    field('cover')!.value = (await uploadImage(file)).url;
    showCoverThumb();
    changed();
  } catch (error) {
    say(error instanceof Error ? error.message : String(error), true);
  }
});

form.addEventListener('input', (event) => {
  const target = event.target as HTMLElement;
  if (target.closest('#body-editor') || target.id === 'slug') return;
  if (target.id === 'cover') showCoverThumb();
  changed();
});

/** The cover's thumbnail next to its address, and the crop panel for an uploaded one. */
function showCoverThumb() {
  const thumb = document.getElementById('cover-thumb') as HTMLImageElement | null;
  const src = value('cover').trim();
  coverCrop.coverChanged(isAllowedUrl(src) ? src : '');
  if (!thumb) return;
  thumb.hidden = !src || !isAllowedUrl(src);
  if (!thumb.hidden) thumb.src = src;
}

// the slug is saved on its own (after the pending save), so a taken address never blocks the autosave
const slugField = document.getElementById('slug') as HTMLInputElement | null;
const slugNote = document.getElementById('slug-note');
slugField?.addEventListener('change', async () => {
  const slug = slugField.value.trim().toLowerCase();
  if (slug === slugField.dataset.saved) return;
  await save();
  const { status: code, data: result } = await api<{ version: number; slug: string } | ApiError>('PATCH', `/api/items/${data.item.id}`, { version, slug });
  if (code === 200) {
    adoptVersion((result as { version: number }).version);
    slugField.dataset.saved = slug;
    slugField.value = slug;
    slugField.removeAttribute('aria-invalid');
    if (slugNote) slugNote.textContent = `网址已改为 ${slugNote.dataset.prefix}${slug}/`;
  } else {
    slugField.setAttribute('aria-invalid', 'true');
    if (slugNote) slugNote.textContent = errorMessage(result, `网址没有保存（HTTP ${code}）`).replace(/^slug: /, '');
  }
});
form.addEventListener('change', (event) => {
  if ((event.target as HTMLElement).matches('select')) changed();
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (mode === 'correct' && !value('correction').trim()) {
    say('修改已发布的稿件必须填写更正说明', true);
    return field('correction')?.focus();
  }
  void save();
});
document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === 's') {
    event.preventDefault();
    void save();
  }
});
window.addEventListener('beforeunload', (event) => {
  if (dirty() && mode !== 'read') event.preventDefault();
});

// transitions wait for the last save and carry the saved version; 提交审核 first runs the strict checks
(window.lianxinBeforeTransition ??= []).push(async (transition) => {
  if (mode === 'edit') await save();
  if (conflict) throw new Error('请先处理保存冲突');
  if (dirty() && mode === 'edit') throw new Error('还有未保存的修改，请先保存');
  if (transition.dataset.to === 'in-review') {
    const { status: code, data: check } = await api<{ issues: { path: string; message: string }[] }>('GET', `/api/items/${data.item.id}/check`);
    if (code !== 200) throw new Error(errorMessage(check, `检查失败（HTTP ${code}）`));
    if (check.issues.length) {
      showFieldIssues(check.issues);
      throw new Error(`还有 ${check.issues.length} 处需要修改，见页面顶部和各字段下方的说明`);
    }
    clearFieldIssues();
  }
  transition.querySelector<HTMLInputElement>('input[name="version"]')!.value = String(version);
});

setupClaims(changed);
setupVideo({
  itemId: data.item.id,
  original: data.item.storyboard ?? {},
  onChange: changed,
  save: async () => {
    await save();
    return !conflict && !dirty() && !status?.classList.contains('error');
  },
  version: () => version,
  adoptVersion,
});
setupCounters();
setupTabs();
setupPublishPanel();
localCopy.offer();
syncToolbar(editor);
refreshPreviews();
editor.on('selectionUpdate', () => {
  syncToolbar(editor);
  syncImagePopover(editor);
});
