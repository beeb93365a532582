import type { WeeklyReport } from './schema.ts';

/** One chart of the weekly report: drawn by echarts on the server as SVG (the page), then as PNG (the Word file). */
export interface ReportChart {
  key: 'category' | 'platform' | 'trend' | 'rate';
  title: string;
  svg: string;
  width: number;
  height: number;
}

const WIDTH = 640;
const pct = (rate: number | null) => (rate === null ? 0 : Math.round(rate * 1000) / 10);

/** The report's charts: concerns by category and by platform, the last six weeks (collected, answered), the response rate per week. Empty ones are left out. */
export async function reportCharts(report: WeeklyReport): Promise<ReportChart[]> {
  // echarts is loaded when a report is drawn, not at server start-up
  const { barChartSvg, lineChartSvg } = await import('../reach/charts.ts');
  const charts: ReportChart[] = [];
  const bars = (key: ReportChart['key'], title: string, rows: { name: string; received: number; answered: number }[]) => {
    if (rows.length === 0) return;
    const shown = rows.slice(0, 12);
    const height = Math.max(176, 86 + shown.length * 30);
    const svg = barChartSvg({ title, labels: shown.map((r) => r.name), series: [{ name: '收集', data: shown.map((r) => r.received) }, { name: '已回应', data: shown.map((r) => r.answered) }], width: WIDTH, height });
    charts.push({ key, title, svg, width: WIDTH, height });
  };
  bars('category', '按类别', report.byCategory);
  bars('platform', '按平台', report.byPlatform ?? []);
  const trend = report.trend ?? [];
  if (trend.some((t) => t.received > 0)) {
    const days = trend.map((t) => t.week);
    const height = 280;
    // lineChartSvg labels days by their last five characters: 2026-W48 shows as W48
    charts.push({ key: 'trend', title: '近六周收集与回应', width: WIDTH, height, svg: lineChartSvg({ title: '近六周收集与回应', days, series: [{ name: '收集', data: trend.map((t) => t.received) }, { name: '已回应', data: trend.map((t) => t.answered) }], width: WIDTH, height }) });
    charts.push({ key: 'rate', title: `回应率（${report.responseRate.withinDays} 日内，%）`, width: WIDTH, height, svg: lineChartSvg({ title: `回应率（${report.responseRate.withinDays} 日内，%）`, days, series: [{ name: '回应率', data: trend.map((t) => pct(t.rate)) }], width: WIDTH, height }) });
  }
  return charts;
}

/** The charts as PNG (twice the size, for print), with Noto Sans SC so the Chinese labels are glyphs, not boxes. */
export async function reportChartPngs(report: WeeklyReport): Promise<Map<string, { png: Buffer; width: number; height: number; title: string }>> {
  const [{ loadSharp }, { ensureFontconfig }] = await Promise.all([import('../media/sharp.ts'), import('../media/fonts.ts')]);
  ensureFontconfig();
  const sharp = await loadSharp();
  const out = new Map<string, { png: Buffer; width: number; height: number; title: string }>();
  for (const chart of await reportCharts(report)) {
    const png = await sharp(Buffer.from(chart.svg), { density: 144 }).flatten({ background: '#ffffff' }).png().toBuffer();
    out.set(chart.key, { png, width: chart.width, height: chart.height, title: chart.title });
  }
  return out;
}
