/** @jsxImportSource hono/jsx */
import { ChartFigure } from '../shared/chart.tsx';
import type { Deps } from '../../context.ts';
import type { Item } from '../../content/schema.ts';
import { itemReach } from '../../reach/dashboard.ts';
import { listShortLinks, shortUrl } from '../../reach/service.ts';
import { CHANNEL_LABELS, type Channel, type ShortLink, type Summary } from '../../reach/schema.ts';

export interface PanelData {
  item: Pick<Item, 'id' | 'title'>;
  summary: Summary;
  links: (ShortLink & { url: string })[];
  chart: string | null;
}

/** What the reach panel on a published item's page needs. */
export async function loadReachPanel(deps: Deps, item: Pick<Item, 'id' | 'title'>): Promise<PanelData> {
  const [summary, links] = await Promise.all([itemReach({ deps, item }), listShortLinks({ deps, itemId: item.id })]);
  const days = summary.byDay.slice(-30);
  const { lineChartSvg } = await import('../../reach/charts.ts');
  const chart = days.length > 1 ? lineChartSvg({ title: '每日阅读', days: days.map((d) => d.day), series: [{ name: '阅读', data: days.map((d) => d.views) }, { name: '分享/转发', data: days.map((d) => d.shares) }], width: 640, height: 240 }) : null;
  return { item, summary, links: links.map((l) => ({ ...l, url: shortUrl(deps, l.id) })), chart };
}

const n = (v: number) => v.toLocaleString('zh-CN');

/** The reach panel: totals, per channel, a daily chart and the item's short links (with QR codes). */
export function ReachPanel({ data, csrf, canLink }: { data: PanelData; csrf: string; canLink: boolean }) {
  const { summary: s } = data;
  const channels = Object.entries(s.byChannel) as [Channel, Summary['byChannel'][string]][];
  return (
    <section class="card reach-panel" aria-labelledby="reach-title" data-reach-panel>
      <h2 id="reach-title">传播数据</h2>
      <dl class="kpis">
        <div><dt>阅读</dt><dd data-kpi="views">{n(s.views)}</dd></div>
        <div><dt>读者（按日去重）</dt><dd>{n(s.uniques)}</dd></div>
        <div><dt>分享/转发</dt><dd>{n(s.shares)}</dd></div>
        <div><dt>短链点击</dt><dd>{n(s.clicks)}</dd></div>
      </dl>
      {channels.length > 0 && (
        <table class="list">
          <caption>按渠道</caption>
          <thead><tr><th scope="col">渠道</th><th scope="col">阅读</th><th scope="col">分享</th><th scope="col">转发</th><th scope="col">点赞/在看</th><th scope="col">评论</th><th scope="col">短链点击</th></tr></thead>
          <tbody>
            {channels.map(([ch, m]) => (
              <tr><td>{CHANNEL_LABELS[ch] ?? ch}</td><td>{n(m.views)}</td><td>{n(m.shares)}</td><td>{n(m.reposts)}</td><td>{n(m.likes)}</td><td>{n(m.comments)}</td><td>{n(m.clicks)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {data.chart && <ChartFigure svg={data.chart} label={`《${data.item.title}》每日阅读`} />}
      <h3>短链接</h3>
      {data.links.length === 0 ? <p class="meta">还没有短链接。</p> : (
        <ul class="links">
          {data.links.map((l) => (
            <li>
              {CHANNEL_LABELS[l.channel]}：<a href={l.url}>{l.url}</a> · <a href={`/workbench/reach/links/${l.id}/qr.svg`} download={`qr-${l.id}.svg`}>二维码</a>
            </li>
          ))}
        </ul>
      )}
      {canLink && (
        <form method="post" action={`/workbench/reach/links`} class="filters">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="itemId" value={data.item.id} />
          <div class="field">
            <label for="link-channel">渠道</label>
            <select id="link-channel" name="channel">
              {(['wechat', 'weibo', 'video', 'link'] as const).map((ch) => <option value={ch}>{CHANNEL_LABELS[ch]}</option>)}
            </select>
          </div>
          <button type="submit">生成短链接</button>
        </form>
      )}
      <p><a href={`/workbench/reach?item=${data.item.id}`}>在传播看板中查看</a></p>
    </section>
  );
}
