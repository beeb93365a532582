import { escapeHtml } from '../../feeds/text.ts';
import { S } from '../../exports/wechat-styles.ts';
import { renderCached, liveSitePath, readLiveUpdates, type PublicUpdate } from './site-files.ts';
import { liveScript } from './assets.ts';
import { formatLiveTime } from './format.ts';
import { LIVE_MODE_LABELS } from './live-info.ts';
import type { KindHtml, Published } from '../types.ts';
import type { LiveItem } from './schema.ts';

type Live = Published<LiveItem>;
const VERDICT_LABELS: Record<string, string> = { false: '谣言', misleading: '误导', unproven: '未经证实', true: '属实' };

/**
 * The data dir the page build reads: site pages are rendered by the Astro build, which sets
 * LIANXIN_DATA (server/publish/astro-worker.ts). The updates come from the item's reader files there.
 */
const buildDataDir = () => process.env.LIANXIN_DATA ?? 'content';

/** The updates and pinned block as of this build (the page script keeps them current). */
export function liveAsOfBuild(item: Live): { updates: PublicUpdate[]; pinnedHtml: string } {
  const { latest, updates } = readLiveUpdates(buildDataDir(), item.id);
  return { updates, pinnedHtml: latest?.item.pinnedHtml ?? (item.live.pinned ? renderCached(item.live.pinned) : '') };
}

const time = (iso: string) => `<time datetime="${escapeHtml(iso)}">${formatLiveTime(iso)}</time>`;

/** One update; the page script (server/kinds/live/client-script.ts → render) builds the same markup. */
export function updateHtml(u: PublicUpdate): string {
  const withdrawn = u.state === 'withdrawn';
  const parts = [`<p class="lu-head"><span class="lu-type">${escapeHtml(u.label)}</span>${time(u.at)}</p>`];
  if (withdrawn && u.withdrawal) parts.push(`<p class="note retracted">已撤回（${formatLiveTime(u.withdrawal.at)}）：${escapeHtml(u.withdrawal.note)}</p>`);
  else {
    if (u.question) parts.push(`<blockquote class="lu-question"><strong>${escapeHtml(u.question.nickname || '网友')} 问：</strong>${escapeHtml(u.question.text)}</blockquote>`);
    if (u.clarification) {
      const c = u.clarification;
      parts.push(
        `<p class="lu-claim">${c.verdict ? `<span class="verdict v-${escapeHtml(c.verdict)}">${VERDICT_LABELS[c.verdict] ?? ''}</span>` : ''} 网传：${escapeHtml(c.claim)} ` +
          `${c.guideUrl ? `<a href="${escapeHtml(c.guideUrl)}">查看辟谣攻略</a>` : ''}</p>`,
      );
    }
    // html is rendered on the server from a checked tiptap document
    parts.push(`<div class="body">${u.html}</div>`);
    if (u.image) parts.push(`<img src="${escapeHtml(u.image)}" alt="" loading="lazy">`);
    if (u.answeredBy) parts.push(`<p class="meta">答问：${escapeHtml(u.answeredBy)}</p>`);
    for (const c of u.corrections) parts.push(`<p class="note">已更正（${formatLiveTime(c.at)}）：${escapeHtml(c.note)}</p>`);
  }
  const cls = `lu lu-${escapeHtml(u.type)}${withdrawn ? ' lu-withdrawn' : ''}`;
  return `<li id="u-${escapeHtml(u.id)}" class="${cls}" data-id="${escapeHtml(u.id)}" data-seq="${u.seq}" data-rev="${u.state}:${u.corrections.length}">${parts.join('')}</li>`;
}

/** The live page around the intro: state and coverage, the pinned block, the question form (qa), the updates and the script. */
export function siteHtml(item: Live): KindHtml {
  const { updates, pinnedHtml } = liveAsOfBuild(item);
  const running = item.live.state === 'live';
  const qa = item.live.mode === 'qa';
  const mode = LIVE_MODE_LABELS[item.live.mode];
  const pollMs = Number(process.env.LIANXIN_LIVE_POLL_MS) || 10_000;
  const before = [
    `<p class="meta"><span id="live-state" class="${running ? 'live-on' : 'live-off'}">${running ? '直播中' : '已结束'}</span> · ${mode}${item.live.place ? ` · ${escapeHtml(item.live.place)}` : ''} · ${time(item.live.coverageStart)}${item.live.coverageEnd ? ` 至 ${time(item.live.coverageEnd)}` : ''}</p>`,
    ...(running ? [] : [`<p class="note" role="note">本次${mode}已结束，以下为全部内容存档。</p>`]),
  ];
  const after: string[] = [];
  if (pinnedHtml) after.push(`<section class="pinned" aria-labelledby="live-pinned-title"><h2 id="live-pinned-title">置顶信息</h2><div id="live-pinned-body" class="body">${pinnedHtml}</div></section>`);
  if (qa && running) {
    after.push(
      `<section id="ask" class="ask" aria-labelledby="ask-title"><h2 id="ask-title">向嘉宾提问</h2>` +
        `<form id="ask-form" method="post" action="/api/live/${escapeHtml(item.id)}/questions">` +
        `<label for="ask-text">你的问题（4–300 字，审核后由嘉宾回答）</label><textarea id="ask-text" name="text" required minlength="4" maxlength="300" rows="3"></textarea>` +
        `<label for="ask-nickname">昵称（可不填）</label><input id="ask-nickname" type="text" name="nickname" maxlength="20" autocomplete="nickname">` +
        `<button type="submit">提交问题</button><p id="ask-status" role="status" aria-live="polite"></p></form>` +
        `<p class="meta">只保存问题和昵称，不记录其他个人信息。</p></section>`,
    );
  }
  const heading = qa ? '嘉宾答问' : '实时动态';
  after.push(
    `<h2 id="live-updates-title">${heading}</h2><p id="live-status" class="sr-only" role="status" aria-live="polite"></p>` +
      (updates.length ? '' : '<p id="live-empty" class="meta">暂无动态，请稍后刷新。</p>') +
      `<ol id="live-updates" class="live-updates" data-live-src="${liveSitePath(item.slug, 'latest.json')}" data-poll-ms="${pollMs}">${updates.map(updateHtml).join('')}</ol>` +
      `<p class="meta"><a href="${liveSitePath(item.slug, 'feed.xml')}">订阅本直播的 RSS</a></p>`,
  );
  if (running) after.push(`<script src="${liveScript().path}" defer></script>`);
  return { before, after };
}

/** Feeds carry the pinned block and a pointer to the updates' own feed. */
export function feedHtml(item: Live): KindHtml {
  const pinned = item.live.pinned ? renderCached(item.live.pinned) : '';
  return { before: [], after: [...(pinned ? [`<h3>置顶信息</h3>${pinned}`] : []), `<p><a href="${liveSitePath(item.slug, 'feed.xml')}">本直播的实时更新（RSS）</a></p>`] };
}

/** The WeChat article: the pinned block in a box (readers follow the link for the updates). */
export function wechatHtml(item: Live): KindHtml {
  const pinned = item.live.pinned ? renderCached(item.live.pinned).replace(/<p>/g, `<p style="${S.p}">`) : '';
  return { before: [], after: pinned ? [`<section style="${S.box}"><p style="${S.p}"><strong>置顶信息</strong></p>${pinned}</section>`] : [] };
}

/** Weibo long text: the pinned block's lines after the intro. */
export function weiboText(item: Live): KindHtml {
  const lines = (item.live.pinned?.content ?? []).map((n) => (n.content ?? []).map((t) => t.text ?? '').join('')).filter(Boolean);
  return { before: [], after: lines.length ? [`【置顶信息】\n${lines.join('\n')}`] : [] };
}
