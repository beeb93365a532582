import type { Block } from '../reports/outline.ts';
import { toCsv } from '../reach/dashboard.ts';
import { DIMENSION_LABELS, DIMENSIONS, type Evaluation, type OrgRow } from './schema.ts';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const n = (v: number) => v.toLocaleString('zh-CN');
const kinds = (e: Evaluation, r: OrgRow) => Object.entries(r.metrics.published).map(([k, v]) => `${e.kindLabels[k] ?? k}${v}`).join('、') || '0';

function orgTable(e: Evaluation): Block {
  return {
    type: 'table',
    head: ['名次', '组织', '总分', ...DIMENSIONS.map((d) => `${DIMENSION_LABELS[d]}（${e.weights[d]}）`)],
    rows: e.orgs.map((r) => [String(r.rank), r.name + (r.commended ? `（${r.commended}）` : ''), r.score.toFixed(1), ...DIMENSIONS.map((d) => (r.scores[d] ?? 0).toFixed(1))]),
  };
}

function figuresTable(e: Evaluation): Block {
  return {
    type: 'table',
    head: ['组织', '成员/活跃', '收集关切/按时归类', '回应率', '平均回应（小时）', '线下办理', '周报按时/应报', '发布稿件', '阅读', '网络评论'],
    rows: e.orgs.map((r) => {
      const m = r.metrics;
      return [r.name, `${m.members}/${m.activeMembers}`, `${m.concernsLogged}/${m.concernsOnTime}`, pct(m.responseRate), m.avgHoursToAnswer === null ? '—' : String(m.avgHoursToAnswer), String(m.handledOffline), `${m.weeklyOnTime}/${m.weeksWithConcerns}`, `${m.publishedTotal}（${kinds(e, r)}）`, n(m.views), String(m.comments)];
    }),
  };
}

function totals(e: Evaluation) {
  const t = { logged: 0, answered: 0, handled: 0, published: 0, views: 0, comments: 0, members: 0, active: 0 };
  for (const r of e.orgs) {
    t.logged += r.metrics.concernsLogged;
    t.answered += r.metrics.answered;
    t.handled += r.metrics.handledOffline;
    t.published += r.metrics.publishedTotal;
    t.views += r.metrics.views;
    t.comments += r.metrics.comments;
    t.members += r.metrics.members;
    t.active += r.metrics.activeMembers;
  }
  return t;
}

/** The yearly evaluation (每年评优) as a document outline. */
export function outlineYearly(e: Evaluation): Block[] {
  const t = totals(e);
  return [
    { type: 'title', text: `${e.orgName}${e.label}网宣志愿服务工作考评` },
    { type: 'subtitle', text: `考评时段：${e.from} 至 ${e.to}` },
    { type: 'heading', text: '一、总体情况' },
    { type: 'paragraph', text: `全年共有网宣志愿者 ${n(t.members)} 人，其中活跃 ${n(t.active)} 人；收集网民关切 ${n(t.logged)} 条，${n(t.answered)} 条在规定时间内得到回应，线下办理 ${n(t.handled)} 件；发布稿件 ${n(t.published)} 篇，累计阅读 ${n(t.views)} 次；登记网络评论 ${n(t.comments)} 条。` },
    { type: 'heading', text: '二、考评办法' },
    { type: 'paragraph', text: `按${DIMENSIONS.map((d) => `${DIMENSION_LABELS[d]} ${e.weights[d]}`).join('、')} 的权重计分。各项以参评单位中的最好成绩为满分 100 分折算，加权后得总分。` },
    { type: 'heading', text: '三、单位排名' },
    orgTable(e),
    { type: 'subheading', text: '各单位主要数据' },
    figuresTable(e),
    { type: 'heading', text: '四、优秀网宣志愿者' },
    { type: 'table', head: ['名次', '姓名', '所在组织', '得分', '收集关切', '发布稿件', '网络评论', '稿件阅读'], rows: e.members.slice(0, 20).map((m) => [String(m.rank), m.name + (m.commended ? `（${m.commended}）` : ''), m.orgName, m.score.toFixed(1), String(m.concerns), String(m.items), String(m.comments), n(m.views)]) },
  ];
}

/** The monthly circular (通报): how the month went, who did well, what lags, what to do next. */
export function outlineCircular(e: Evaluation, previous?: Evaluation): Block[] {
  const t = totals(e);
  const before = previous ? totals(previous) : undefined;
  const change = (now: number, then: number | undefined) => (then === undefined ? '' : then === 0 ? '' : `（环比${now >= then ? '增长' : '下降'} ${Math.abs(((now - then) / then) * 100).toFixed(1)}%）`);
  const best = e.orgs.slice(0, 3);
  const lagging = e.orgs.filter((r) => r.metrics.concernsLogged > 0 && (r.metrics.responseRate ?? 0) < 0.6);
  const silent = e.orgs.filter((r) => r.metrics.concernsLogged === 0);
  const missingWeekly = e.orgs.filter((r) => r.metrics.weeksWithConcerns > r.metrics.weeklyOnTime);
  return [
    { type: 'title', text: `关于${e.label}网宣志愿服务工作情况的通报` },
    { type: 'subtitle', text: `${e.orgName} · ${e.from} 至 ${e.to}` },
    { type: 'heading', text: '一、总体情况' },
    { type: 'paragraph', text: `本月共收集网民关切 ${n(t.logged)} 条${change(t.logged, before?.logged)}，按时回应 ${n(t.answered)} 条，线下办理 ${n(t.handled)} 件；发布稿件 ${n(t.published)} 篇，阅读 ${n(t.views)} 次${change(t.views, before?.views)}；登记网络评论 ${n(t.comments)} 条。` },
    { type: 'heading', text: '二、排名情况' },
    orgTable(e),
    figuresTable(e),
    { type: 'heading', text: '三、予以表扬' },
    { type: 'list', items: [...best.filter((r) => r.score > 0).map((r) => `${r.name}：综合得分 ${r.score.toFixed(1)}，回应率 ${pct(r.metrics.responseRate)}，阅读 ${n(r.metrics.views)} 次。`), ...e.members.filter((m) => m.score > 0).slice(0, 5).map((m) => `${m.name}（${m.orgName}）：收集关切 ${m.concerns} 条，发布稿件 ${m.items} 篇，网络评论 ${m.comments} 条。`)] },
    { type: 'heading', text: '四、存在问题' },
    { type: 'list', items: [...lagging.map((r) => `${r.name}回应率 ${pct(r.metrics.responseRate)}，低于 60%。`), ...silent.map((r) => `${r.name}本月未收集网民关切。`), ...missingWeekly.map((r) => `${r.name}有 ${r.metrics.weeksWithConcerns - r.metrics.weeklyOnTime} 周未按时归类上报周报。`)].concat(lagging.length + silent.length + missingWeekly.length ? [] : ['本月各单位均按要求完成工作。']) },
    { type: 'heading', text: '五、下步要求' },
    { type: 'paragraph', text: '各单位要坚持日收集、周归类、月回应、年评优，对网民关切做到件件有回应、事事有着落；排名靠后的单位要对照问题抓好整改，下月通报整改情况。' },
  ];
}

/** The rankings as CSV (orgs, then members), for Excel. */
export function evaluationCsv(e: Evaluation, table: 'orgs' | 'members'): string {
  if (table === 'members') return toCsv(['名次', '姓名', '所在组织', '得分', '收集关切', '发布稿件', '网络评论', '稿件阅读', '表彰'], e.members.map((m) => [m.rank, m.name, m.orgName, m.score, m.concerns, m.items, m.comments, m.views, m.commended ?? '']));
  return toCsv(
    ['名次', '组织', '总分', ...DIMENSIONS.map((d) => DIMENSION_LABELS[d]), '成员', '活跃成员', '收集关切', '按时归类', '回应率', '平均回应小时', '线下办理', '周报按时', '应报周数', '发布稿件', '阅读', '网络评论', '表彰'],
    e.orgs.map((r) => {
      const m = r.metrics;
      return [r.rank, r.name, r.score, ...DIMENSIONS.map((d) => r.scores[d] ?? 0), m.members, m.activeMembers, m.concernsLogged, m.concernsOnTime, m.responseRate === null ? '' : Math.round(m.responseRate * 1000) / 10 + '%', m.avgHoursToAnswer, m.handledOffline, m.weeklyOnTime, m.weeksWithConcerns, m.publishedTotal, m.views, m.comments, r.commended ?? ''];
    }),
  );
}
