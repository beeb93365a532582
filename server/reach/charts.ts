import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Server-side rendering only: the page gets plain SVG (no client bundle), its text stays text, so Chinese labels
// use the page's fonts and stay selectable and searchable.
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

// unquoted: echarts writes it into a double-quoted style attribute
const FONT = 'Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif';
const COLORS = ['#b22222', '#2f6fb0', '#3a8f5c', '#d48a1d', '#7b4fa6', '#5c6670'];

/** The same colour for a channel in every chart (index in CHANNELS). */
export const colorAt = (i: number) => COLORS[i % COLORS.length]!;

function render(option: Record<string, unknown>, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: COLORS, textStyle: { fontFamily: FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Cut long labels (item titles) so axes stay readable. */
const short = (s: string, n = 14) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A line chart over days, one line per series. */
export function lineChartSvg({ title, days, series, width = 640, height = 300 }: { title: string; days: string[]; series: { name: string; data: number[]; color?: string | undefined }[]; width?: number; height?: number }): string {
  return render(
    {
      title: { text: title, left: 8, top: 4, textStyle: { fontSize: 15, fontFamily: FONT } },
      // the legend under the title, on the left: a chart that scrolls sideways on a phone still shows it
      legend: { top: 28, left: 8, textStyle: { fontFamily: FONT } },
      grid: { left: 16, right: 24, top: 64, bottom: 36 },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisLabel: { fontFamily: FONT } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily: FONT } },
      series: series.map((s) => ({ type: 'line', name: s.name, data: s.data, showSymbol: days.length <= 31, smooth: false, ...(s.color ? { itemStyle: { color: s.color }, lineStyle: { color: s.color } } : {}) })),
    },
    width,
    height,
  );
}

/** Horizontal bars, biggest on top (orgs, items, columns). */
export function barChartSvg({ title, labels, series, width = 640, height }: { title: string; labels: string[]; series: { name: string; data: number[] }[]; width?: number; height?: number }): string {
  const h = height ?? Math.max(176, 86 + labels.length * 30);
  return render(
    {
      title: { text: title, left: 8, top: 4, textStyle: { fontSize: 15, fontFamily: FONT } },
      legend: series.length > 1 ? { top: 28, left: 8, textStyle: { fontFamily: FONT } } : undefined,
      // as wide as the longest label (14 characters at most), not a fixed 200 px
      grid: { left: 16, right: 56, top: series.length > 1 ? 60 : 44, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily: FONT } },
      yAxis: { type: 'category', inverse: true, data: labels.map((l) => short(l)), axisLabel: { fontFamily: FONT } },
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, label: { show: series.length === 1, position: 'right', fontFamily: FONT } })),
    },
    width,
    h,
  );
}

/** A ring of shares (channels). */
export function pieChartSvg({ title, slices, width = 380, height = 300 }: { title: string; slices: { name: string; value: number; color?: string | undefined }[]; width?: number; height?: number }): string {
  return render(
    {
      title: { text: title, left: 8, top: 4, textStyle: { fontSize: 15, fontFamily: FONT } },
      series: [{ type: 'pie', radius: ['38%', '64%'], center: ['50%', '56%'], data: slices.map((x) => ({ name: x.name, value: x.value, ...(x.color ? { itemStyle: { color: x.color } } : {}) })), label: { formatter: '{b}\n{d}%', fontFamily: FONT, overflow: 'none' } }],
    },
    width,
    height,
  );
}
