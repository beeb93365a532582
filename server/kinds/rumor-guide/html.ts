import { escapeHtml } from '../../feeds/text.ts';
import { badge, S } from '../../exports/wechat-styles.ts';
import type { KindHtml, Published } from '../types.ts';
import { verdicts, type RumorGuide } from './schema.ts';

type Guide = Published<RumorGuide>;

/** Claims before the body, spotting tips after it, on the item's site page. */
export function siteHtml(item: Guide): KindHtml {
  const before = item.claims.map((c, i) => {
    const sources = c.sources.map((s) => `<a href="${escapeHtml(s.url)}" rel="nofollow noopener">${escapeHtml(s.name)}</a>`).join('、');
    return (
      `<section class="claim" aria-labelledby="claim-${i}"><span class="verdict v-${escapeHtml(c.verdict)}">${verdicts[c.verdict].label}</span>` +
      `<h3 id="claim-${i}">网传：${escapeHtml(c.claim)}</h3><p><strong>真相：</strong>${escapeHtml(c.evidence)}</p>` +
      (sources ? `<p class="meta">来源：${sources}</p>` : '') +
      `</section>`
    );
  });
  const after = item.tips.length ? [`<section><h2>识谣小贴士</h2><ol>${item.tips.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ol></section>`] : [];
  return { before, after };
}

export function feedHtml(item: Guide): KindHtml {
  const before = item.claims.map((c) => {
    const sources = c.sources.map((s) => `<a href="${escapeHtml(s.url)}">${escapeHtml(s.name)}</a>`).join('、');
    return `<h3>【${verdicts[c.verdict].label}】${escapeHtml(c.claim)}</h3><p>${escapeHtml(c.evidence)}</p>${sources ? `<p>来源：${sources}</p>` : ''}`;
  });
  const after = item.tips.length ? [`<h3>识谣小贴士</h3><ol>${item.tips.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ol>`] : [];
  return { before, after };
}

export function wechatHtml(item: Guide): KindHtml {
  const before = item.claims.map((c) => {
    const sources = c.sources.map((s) => escapeHtml(s.name)).join('、');
    return (
      `<section style="${S.box}"><p style="${S.p}"><span style="${badge(c.verdict)}">${verdicts[c.verdict].label}</span></p>` +
      `<p style="${S.p}"><strong>网传：</strong>${escapeHtml(c.claim)}</p><p style="${S.p}"><strong>真相：</strong>${escapeHtml(c.evidence)}</p>` +
      (sources ? `<p style="${S.p}color:#888;font-size:14px;">来源：${sources}</p>` : '') +
      `</section>`
    );
  });
  const after = item.tips.length ? [`<h3 style="${S.h3}">识谣小贴士</h3><ol style="${S.list}">${item.tips.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ol>`] : [];
  return { before, after };
}

/** Plain-text blocks of the Weibo long text. */
export function weiboText(item: Guide): KindHtml {
  return {
    before: item.claims.map((c) => `【${verdicts[c.verdict].label}】${c.claim}\n${c.evidence}`),
    after: item.tips.length ? [`识谣小贴士：\n${item.tips.map((t, i) => `${i + 1}. ${t}`).join('\n')}`] : [],
  };
}
