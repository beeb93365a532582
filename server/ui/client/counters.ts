import { weiboLength } from '../../exports/weibo-count.ts';

/** Live length counters next to the channel fields (WeChat counts characters, Weibo its own way). */
export function setupCounters(): () => void {
  const counters = [...document.querySelectorAll<HTMLElement>('[data-counter-for]')];
  const update = () => {
    for (const counter of counters) {
      const field = document.getElementById(counter.dataset.counterFor!) as HTMLInputElement | HTMLTextAreaElement | null;
      if (!field) continue;
      const limit = Number(counter.dataset.limit);
      const length = counter.dataset.mode === 'weibo' ? weiboLength(field.value) : [...field.value].length;
      const over = length - limit;
      counter.textContent = `${length} / ${limit}${over > 0 ? `，超出 ${over} 字` : ''}`;
      counter.classList.toggle('over', over > 0);
      field.setAttribute('aria-invalid', over > 0 ? 'true' : 'false');
    }
  };
  for (const counter of counters) document.getElementById(counter.dataset.counterFor!)?.addEventListener('input', update);
  update();
  return update;
}
