import { weiboLength, WEIBO_LIMIT } from '../../exports/weibo-count.ts';
import { weiboHashtags } from '../../channels/rules.ts';
import type { ClaimInput } from './claims.ts';

/** What the previews show; bodyHtml comes from tiptap's own serializer (text escaped by the schema). */
export interface PreviewState {
  title: string;
  summary: string;
  cover: string;
  tags: string[];
  wechatTitle: string;
  wechatDigest: string;
  weiboText: string;
  bodyHtml: string;
  claims: ClaimInput[] | undefined;
  tips: string[] | undefined;
  orgName: string;
  sitePath: string;
}

const VERDICTS: Record<string, string> = { false: '谣言', misleading: '误导', unproven: '未经证实', true: '属实' };

function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string | null | undefined)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const child of children) if (child !== null && child !== undefined) el.append(child);
  return el;
}

function body(html: string, cls: string): HTMLElement {
  const div = h('div', { class: cls });
  div.innerHTML = html;
  return div;
}

function claimsBlock(state: PreviewState): HTMLElement | null {
  if (!state.claims) return null;
  return h(
    'section',
    {},
    h('h2', {}, '说法与结论'),
    ...state.claims.map((c) => h('article', { class: 'site-claim' }, h('p', {}, h('span', { class: `verdict verdict-${c.verdict}` }, VERDICTS[c.verdict] ?? c.verdict), ' ', c.claim), h('p', {}, c.evidence))),
    state.tips?.length ? h('h2', {}, '识别技巧') : null,
    state.tips?.length ? h('ol', {}, ...state.tips.map((t) => h('li', {}, t))) : null,
  );
}

const today = () => new Date().toLocaleDateString('zh-CN');

function site(state: PreviewState): HTMLElement {
  return h(
    'article',
    { class: 'site-article' },
    h('h1', {}, state.title || '（无标题）'),
    h('p', { class: 'site-meta' }, `${state.orgName} · ${today()}`),
    state.cover ? h('img', { class: 'site-cover', src: state.cover, alt: '' }) : null,
    state.summary ? h('p', { class: 'site-summary' }, state.summary) : null,
    body(state.bodyHtml, 'site-body'),
    claimsBlock(state),
    state.tags.length ? h('p', { class: 'site-tags' }, state.tags.map((t) => `#${t}`).join(' ')) : null,
  );
}

function wechat(state: PreviewState): HTMLElement {
  const title = state.wechatTitle || state.title;
  const digest = state.wechatDigest || state.summary;
  return h(
    'div',
    { class: 'phone wechat' },
    h('p', { class: 'phone-caption' }, '消息列表中的卡片'),
    h('div', { class: 'wechat-card' }, state.cover ? h('img', { src: state.cover, alt: '' }) : h('div', { class: 'wechat-cover-empty' }, '无封面'), h('strong', {}, title || '（无标题）'), h('p', {}, digest)),
    h('p', { class: 'phone-caption' }, '文章页'),
    h('article', { class: 'wechat-article' }, h('h1', {}, title || '（无标题）'), h('p', { class: 'wechat-account' }, `${state.orgName} ${today()}`), body(state.bodyHtml, 'wechat-body'), claimsBlock(state)),
  );
}

function weibo(state: PreviewState): HTMLElement {
  const text = state.weiboText || `【${state.title}】${state.summary}`;
  const hashtags = weiboHashtags(state.tags).join('');
  // the post as the export writes it: the text, the #话题# from the tags, the link
  const length = weiboLength(`${text.replace(/\s+/g, ' ').trim()} ${hashtags}${hashtags ? ' ' : ''}https://t.cn/x`);
  return h(
    'div',
    { class: 'phone weibo' },
    h('div', { class: 'weibo-card' }, h('strong', { class: 'weibo-name' }, state.orgName), h('p', { class: 'weibo-text' }, text, hashtags ? h('span', { class: 'weibo-tags' }, ` ${hashtags}`) : null), h('p', { class: 'weibo-link' }, `网页链接 ${location.origin}${state.sitePath}`)),
    h('p', { class: length > WEIBO_LIMIT && state.weiboText ? 'counter over' : 'counter' }, `按微博规则连同话题和链接计 ${length} / ${WEIBO_LIMIT} 字${state.weiboText ? '' : '（未填写微博正文，导出时按标题和摘要生成并自动截短）'}`),
  );
}

/** Redraws the three channel previews. */
export function renderPreviews(state: PreviewState): void {
  const views: Record<string, (s: PreviewState) => HTMLElement> = { site, wechat, weibo };
  for (const panel of document.querySelectorAll<HTMLElement>('[data-preview]')) panel.replaceChildren(views[panel.dataset.preview!]!(state));
}

/** Tabs with arrow-key navigation (WAI-ARIA tabs pattern). */
export function setupTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')!)!.hidden = !on;
    }
    tab.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight') select(tabs[(i + 1) % tabs.length]!);
      if (e.key === 'ArrowLeft') select(tabs[(i - 1 + tabs.length) % tabs.length]!);
    });
  });
}
