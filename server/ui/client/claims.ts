/** The rumor guide's claim list: add and remove claim fieldsets, read them back for saving. */
export interface ClaimInput {
  claim: string;
  verdict: string;
  evidence: string;
  sources: { name: string; url: string }[];
}

function renumber(list: HTMLElement) {
  list.querySelectorAll<HTMLFieldSetElement>('[data-claim]').forEach((fieldset, i) => {
    fieldset.querySelector('legend')!.textContent = `说法 ${i + 1}`;
    for (const control of fieldset.querySelectorAll<HTMLElement>('[id^="claim-"]')) {
      const field = control.id.replace(/^claim-[^-]+-/, '');
      control.id = `claim-${i}-${field}`;
    }
    for (const label of fieldset.querySelectorAll<HTMLLabelElement>('label[for^="claim-"]')) {
      label.htmlFor = `claim-${i}-${label.htmlFor.replace(/^claim-[^-]+-/, '')}`;
    }
  });
}

export function setupClaims(onChange: () => void): void {
  const list = document.querySelector<HTMLElement>('[data-claims]');
  const template = document.querySelector<HTMLTemplateElement>('#claim-template');
  if (!list || !template) return;
  document.querySelector('[data-add-claim]')?.addEventListener('click', () => {
    list.append(template.content.cloneNode(true));
    renumber(list);
    list.querySelector<HTMLTextAreaElement>('[data-claim]:last-child textarea')?.focus();
    onChange();
  });
  list.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest('[data-remove-claim]');
    if (!button) return;
    if (list.querySelectorAll('[data-claim]').length <= 1) return alert('谣言识破攻略至少要有一条说法');
    button.closest('[data-claim]')?.remove();
    renumber(list);
    onChange();
  });
}

function parseSources(text: string): { name: string; url: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name, url] = line.includes('|') ? line.split('|').map((s) => s.trim()) : [line.replace(/https?:\/\/\S+/, '').trim(), line.match(/https?:\/\/\S+/)?.[0] ?? ''];
      return { name: name || (url ?? ''), url: url ?? '' };
    });
}

export function readClaims(): ClaimInput[] | undefined {
  const list = document.querySelector<HTMLElement>('[data-claims]');
  if (!list) return undefined;
  return [...list.querySelectorAll<HTMLFieldSetElement>('[data-claim]')].map((fieldset) => {
    const value = (name: string) => fieldset.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(`[name="${name}"]`)?.value ?? '';
    return { claim: value('claim').trim(), verdict: value('verdict'), evidence: value('evidence').trim(), sources: parseSources(value('sources')) };
  });
}
