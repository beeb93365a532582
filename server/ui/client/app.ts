/**
 * Behaviour shared by every workbench page: transition forms check their comment and let the
 * page (the editor) finish saving before they submit.
 */
type BeforeTransition = (form: HTMLFormElement) => Promise<void>;
declare global {
  interface Window {
    lianxinBeforeTransition?: BeforeTransition[];
  }
}

const hooks = (window.lianxinBeforeTransition ??= []);

function say(form: HTMLFormElement, text: string) {
  let box = form.querySelector<HTMLElement>('.form-error');
  if (!box) {
    box = document.createElement('p');
    box.className = 'form-error flash flash-error';
    box.setAttribute('role', 'alert');
    form.prepend(box);
  }
  box.textContent = text;
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-transition-form]')) {
  form.addEventListener('submit', async (event) => {
    if (form.dataset.ready === '1') return;
    event.preventDefault();
    const button = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
    const comment = form.querySelector<HTMLTextAreaElement>('textarea[name="comment"]');
    if (button?.dataset.needsComment && comment && !comment.value.trim()) {
      say(form, `「${button.textContent?.trim()}」必须填写审核意见`);
      comment.focus();
      return;
    }
    // the hooks may look at which step was asked for (the editor checks the fields before 提交审核)
    form.dataset.to = button?.value ?? '';
    try {
      for (const hook of hooks) await hook(form);
    } catch (error) {
      say(form, error instanceof Error ? error.message : String(error));
      return;
    }
    form.dataset.ready = '1';
    for (const b of form.querySelectorAll('button')) b.setAttribute('aria-disabled', 'true');
    // a new task: requestSubmit is ignored while the first submit event is still being dispatched
    setTimeout(() => form.requestSubmit(button ?? undefined), 0);
  });
}

export {};

// Buttons with data-confirm ask before a step that changes several things at once (merge, move, split, escalate).
document.addEventListener('submit', (event) => {
  const button = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
  const message = button?.dataset.confirm ?? (event.target as HTMLFormElement).dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
}, true);

// Forms with data-guard warn before leaving the page with typed, unsaved text (a 会办决定, a new group title).
const dirty = new Set<HTMLFormElement>();
for (const form of document.querySelectorAll<HTMLFormElement>('form[data-guard]')) {
  form.addEventListener('input', () => dirty.add(form));
  form.addEventListener('submit', (event) => {
    if (!event.defaultPrevented) dirty.clear();
  });
}
window.addEventListener('beforeunload', (event) => {
  if (dirty.size === 0) return;
  event.preventDefault();
  event.returnValue = '';
});

// A table of figures that scrolls sideways on a phone can be scrolled from the keyboard too (focusable only while
// it overflows), and says what it is to a screen reader.
function markScrollingTables() {
  for (const table of document.querySelectorAll<HTMLTableElement>('table.list:not(.cards)')) {
    if (table.scrollWidth > table.clientWidth + 1) {
      table.tabIndex = 0;
      if (!table.hasAttribute('aria-label') && !table.caption) table.setAttribute('aria-label', table.closest('section')?.querySelector('h2')?.textContent?.trim() || '表格');
    } else table.removeAttribute('tabindex');
  }
}
markScrollingTables();
window.addEventListener('resize', markScrollingTables);
