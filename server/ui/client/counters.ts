import { weiboLength } from '../../exports/weibo-count.ts';
import { weiboPostLength, weiboTail } from '../../channels/rules.ts';

const splitTags = (text: string) => [...new Set(text.split(/[,，、;；\s]+/).map((t) => t.trim()).filter(Boolean))];

/**
 * Live length counters next to the channel fields, from the same rules the submit check and the
 * exporters use: WeChat counts characters; Weibo counts the whole post the export writes (the
 * text, the #话题# from the tags and the link) the Weibo way.
 */
export function setupCounters(): () => void {
  const counters = [...document.querySelectorAll<HTMLElement>('[data-counter-for]')];
  const tags = document.getElementById('tags') as HTMLInputElement | null;
  const update = () => {
    for (const counter of counters) {
      const field = document.getElementById(counter.dataset.counterFor!) as HTMLInputElement | HTMLTextAreaElement | null;
      if (!field) continue;
      const limit = Number(counter.dataset.limit);
      const weibo = counter.dataset.mode === 'weibo';
      const tagList = splitTags(tags?.value ?? '');
      const length = weibo ? (field.value.trim() ? weiboPostLength(field.value, tagList) : 0) : [...field.value].length;
      const over = length - limit;
      const tail = weibo && field.value.trim() ? `（含导出时附加的话题和链接 ${weiboLength(weiboTail(tagList))} 字）` : '';
      counter.textContent = `${length} / ${limit}${tail}${over > 0 ? `，超出 ${over} 字` : ''}`;
      counter.classList.toggle('over', over > 0);
      field.setAttribute('aria-invalid', over > 0 ? 'true' : 'false');
    }
  };
  for (const counter of counters) document.getElementById(counter.dataset.counterFor!)?.addEventListener('input', update);
  tags?.addEventListener('input', update);
  update();
  return update;
}
