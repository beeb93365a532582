import type { TiptapNode } from '../content/tiptap.ts';
import { REPORT_STATUS_LABELS, type WeeklyReport } from './schema.ts';

/** Format-neutral blocks of the report, so Word, HTML and Markdown say exactly the same thing. */
export type Block =
  | { type: 'title'; text: string }
  | { type: 'subtitle'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'subheading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'quotes'; items: string[] }
  | { type: 'list'; items: string[] }
  | { type: 'table'; head: string[]; rows: string[][] }
  /** A chart of the report (reportCharts key): an image in Word, left out of plain text. */
  | { type: 'chart'; key: string; title: string };

/** 本周综述 and 研判建议 as the team wrote them: plain text, and the tiptap document when written in the editor. */
export interface Written {
  summary: string;
  assessment: string;
  summaryDoc?: TiptapNode | undefined;
  assessmentDoc?: TiptapNode | undefined;
}

export const REPORT_TITLE = '网情民意周报';

/** Rate as a percentage with one decimal, or — when nothing was received. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A tiptap document as blocks: headings, paragraphs, lists (nested lists flattened), quotes; marks dropped. */
export function docBlocks(doc: TiptapNode): Block[] {
  const text = (n: TiptapNode): string => (n.type === 'text' ? (n.text ?? '') : n.type === 'hardBreak' ? ' ' : (n.content ?? []).map(text).join(''));
  const listItems = (n: TiptapNode): string[] => (n.content ?? []).flatMap((item) => (item.content ?? []).flatMap((c) => (c.type === 'bulletList' || c.type === 'orderedList' ? listItems(c) : [text(c).trim()]))).filter(Boolean);
  const out: Block[] = [];
  for (const node of doc.content ?? []) {
    if (node.type === 'heading') out.push({ type: 'subheading', text: text(node).trim() });
    else if (node.type === 'bulletList' || node.type === 'orderedList') out.push({ type: 'list', items: listItems(node) });
    else if (node.type === 'blockquote') out.push({ type: 'quotes', items: (node.content ?? []).map((c) => text(c).trim()).filter(Boolean) });
    else if (node.type === 'table') out.push(...paragraphs((node.content ?? []).map((row) => (row.content ?? []).map(text).join(' | ')).join('\n')));
    else out.push(...paragraphs(text(node)));
  }
  return out.filter((b) => b.type !== 'subheading' || b.text);
}

const writtenBlocks = (title: string, text: string, doc: TiptapNode | undefined): Block[] =>
  text.trim() ? [{ type: 'heading', text: title }, ...(doc ? docBlocks(doc) : paragraphs(text))] : [];

/** 较上周: the change in concerns collected, as a phrase. */
function weekOverWeek(report: WeeklyReport): string {
  const trend = report.trend ?? [];
  const previous = trend.at(-2);
  if (!previous) return '';
  const diff = report.totals.received - previous.received;
  const ratio = previous.received ? `，${diff >= 0 ? '增长' : '下降'} ${formatRate(Math.abs(diff) / previous.received)}` : '';
  return `较上周（${previous.received} 条）${diff === 0 ? '持平' : `${diff > 0 ? '增加' : '减少'} ${Math.abs(diff)} 条${ratio}`}。`;
}

const paragraphs = (text: string): Block[] => text.split(/\n+/).map((t) => t.trim()).filter(Boolean).map((t) => ({ type: 'paragraph', text: t }));

/** The report as blocks, in reading order. */
export function outlineReport(report: WeeklyReport, written?: Written): Block[] {
  const t = report.totals;
  const r = report.responseRate;
  const blocks: Block[] = [
    { type: 'title', text: REPORT_TITLE },
    { type: 'subtitle', text: `${report.orgName} · ${report.week}（${report.from} 至 ${report.to}）` },
    // The team's own words (本周综述, 研判建议) come before the generated sections.
    ...writtenBlocks('本周综述', written?.summary ?? '', written?.summaryDoc),
    ...writtenBlocks('研判建议', written?.assessment ?? '', written?.assessmentDoc),
    { type: 'heading', text: '一、总体情况' },
    {
      type: 'paragraph',
      text: `本周共收集网民关切 ${t.received} 条，已回应 ${t.answered} 条，已办理 ${t.handled} 条，已回复 ${t.replied} 条，关闭 ${t.closed} 条，尚待回应 ${t.open} 条（其中逾期 ${t.overdue} 条）；重复反映 ${t.duplicates} 条。${r.withinDays} 日内回应率 ${formatRate(r.rate)}（${r.answered}/${r.received}）。${weekOverWeek(report)}`,
    },
    ...((report.trend ?? []).some((w) => w.received > 0)
      ? [{ type: 'chart', key: 'trend', title: '近六周收集与回应' } as const, { type: 'chart', key: 'rate', title: '回应率' } as const]
      : []),
    { type: 'heading', text: '二、分类统计' },
    countTable('类别', report.byCategory),
    ...(report.byCategory.length ? [{ type: 'chart', key: 'category', title: '按类别' } as const] : []),
    ...(report.byPlatform?.length ? [countTable('平台', report.byPlatform), { type: 'chart', key: 'platform', title: '按平台' } as const] : []),
    { type: 'heading', text: '三、分区县统计' },
    countTable('区县', report.byDistrict),
    { type: 'heading', text: '四、重点关切' },
  ];
  if (report.groups.length === 0) blocks.push({ type: 'paragraph', text: '本周暂无归组的关切。' });
  report.groups.forEach((g, i) => {
    blocks.push({ type: 'subheading', text: `${i + 1}. ${g.title}（${g.size} 条 · ${REPORT_STATUS_LABELS[g.status]}）` });
    if (g.quotes.length) blocks.push({ type: 'quotes', items: g.quotes });
    const notes: string[] = [];
    if (g.decision) notes.push(`会办决定：${g.decision}`);
    if (g.escalatedTo) notes.push(`已上报：${g.escalatedTo}`);
    for (const item of g.items) notes.push(`回应：${item.title}${item.url ? `（${item.url}）` : ''}`);
    for (const f of g.feedback) notes.push(`${f.from}反馈：${f.text}`);
    if (notes.length) blocks.push({ type: 'list', items: notes });
  });
  blocks.push({ type: 'heading', text: '五、会办决定' });
  blocks.push(report.decisions.length ? { type: 'list', items: report.decisions.map((d) => `${d.group}：${d.decision}`) } : { type: 'paragraph', text: '无。' });
  blocks.push({ type: 'heading', text: '六、上报事项' });
  blocks.push(
    report.escalations.length
      ? { type: 'list', items: report.escalations.map((e) => `${e.group}（${e.from} → ${e.to}）${e.note ? `：${e.note}` : ''}`) }
      : { type: 'paragraph', text: '无。' },
  );
  blocks.push({ type: 'heading', text: '七、回应率' });
  blocks.push({
    type: 'table',
    head: ['统计口径', '收集', `${r.withinDays} 日内回应`, '回应率'],
    rows: [[report.orgName, String(r.received), String(r.answered), formatRate(r.rate)]],
  });
  if (report.children.length) {
    blocks.push({ type: 'heading', text: '八、下级单位汇总' });
    blocks.push({
      type: 'table',
      head: ['单位', '收集', '回应', '回应率', '分组'],
      rows: report.children.map((c) => [c.orgName, String(c.received), String(c.answered), formatRate(c.rate), String(c.groups)]),
    });
  }
  blocks.push({ type: 'paragraph', text: `生成时间：${report.generatedAt.slice(0, 16).replace('T', ' ')}（UTC）` });
  return blocks;
}

function countTable(label: string, rows: WeeklyReport['byCategory']): Block {
  if (rows.length === 0) return { type: 'paragraph', text: '无。' };
  return {
    type: 'table',
    head: [label, '收集', '已回应', '回应占比'],
    rows: rows.map((row) => [row.name, String(row.received), String(row.answered), formatRate(row.received ? row.answered / row.received : null)]),
  };
}
