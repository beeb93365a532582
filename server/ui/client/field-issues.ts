/**
 * Submit-time issues shown where they belong: a message under each named field (aria-invalid,
 * aria-describedby) and a summary at the top of the page whose entries link to the fields.
 */
import { fieldIdOf } from '../../editorial/fields.ts';
import type { ApiError } from './api.ts';

type Issue = ApiError['error']['issues'][number];

export function clearFieldIssues(): void {
  for (const el of document.querySelectorAll('[data-field-error]')) el.remove();
  for (const el of document.querySelectorAll<HTMLElement>('[data-flagged]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('data-flagged');
    const described = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.endsWith('-issue'));
    if (described.length) el.setAttribute('aria-describedby', described.join(' '));
    else el.removeAttribute('aria-describedby');
  }
  const summary = document.getElementById('issues-summary');
  if (summary) summary.hidden = true;
}

/** Places each issue at its field and lists them all at the top; returns the summary element. */
export function showFieldIssues(issues: Issue[]): HTMLElement | null {
  clearFieldIssues();
  const summary = document.getElementById('issues-summary');
  const list = summary?.querySelector('[data-issues-list]');
  list?.replaceChildren();
  issues.forEach((issue, n) => {
    const id = fieldIdOf(issue.path);
    const control = id ? document.getElementById(id) : null;
    const errorId = `${id ?? 'field'}-${n}-issue`;
    if (control) {
      const note = document.createElement('p');
      note.className = 'field-error';
      note.id = errorId;
      note.dataset.fieldError = issue.path;
      note.textContent = issue.message;
      // after the field's counter when it has one, so the message sits under what it is about
      const counter = document.getElementById(`${id}-count`);
      (counter ?? control).after(note);
      control.setAttribute('aria-invalid', 'true');
      control.dataset.flagged = '1';
      control.setAttribute('aria-describedby', [...(control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean), errorId].join(' '));
    }
    if (list) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.textContent = issue.message;
      a.href = `#${control ? id : 'item-form'}`;
      a.addEventListener('click', (event) => {
        event.preventDefault();
        const target = control ?? document.getElementById('item-form');
        target?.scrollIntoView({ block: 'center' });
        (target?.id === 'body-editor' ? target.querySelector<HTMLElement>('.prose') : target)?.focus();
      });
      li.append(a);
      list.append(li);
    }
  });
  if (summary) {
    summary.hidden = false;
    summary.scrollIntoView({ block: 'start' });
    summary.focus();
  }
  return summary;
}
