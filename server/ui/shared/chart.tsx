/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';

/**
 * A chart drawn on the server as SVG (echarts). Below 640 px it keeps a legible width and scrolls sideways in
 * its own box, which takes keyboard focus like the wide tables do; shrunk to a phone's width its labels were 6 px.
 */
export function ChartFigure({ svg, label, name = '' }: { svg: string; label: string; /** data-chart's value */ name?: string }) {
  return (
    <div class="chart-scroll" tabindex={0} role="region" aria-label={`图表：${label}`}>
      <figure class="chart" role="img" aria-label={label} data-chart={name}>
        {raw(svg)}
      </figure>
    </div>
  );
}
