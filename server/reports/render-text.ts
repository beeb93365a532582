import { outlineReport, REPORT_TITLE, type Block, type Written } from './outline.ts';
import type { WeeklyReport } from './schema.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A standalone, print-ready HTML page of the report; every piece of text is escaped. */
export function renderReportHtml(report: WeeklyReport, written?: Written): string {
  const body = outlineReport(report, written).map(blockHtml).filter(Boolean).join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${REPORT_TITLE} · ${report.orgName} · ${report.week}`)}</title>
<style>
body{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.7;color:#222}
h1{text-align:center;color:#b71c1c;letter-spacing:.3em}.subtitle{text-align:center;color:#555}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left}th{background:#f3f3f3}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.8rem;border-left:3px solid #ccc;color:#444}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,blockquote{break-inside:avoid}}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function blockHtml(block: Block): string {
  switch (block.type) {
    case 'title':
      return `<h1>${escapeHtml(block.text)}</h1>`;
    case 'subtitle':
      return `<p class="subtitle">${escapeHtml(block.text)}</p>`;
    case 'heading':
      return `<h2>${escapeHtml(block.text)}</h2>`;
    case 'subheading':
      return `<h3>${escapeHtml(block.text)}</h3>`;
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'quotes':
      return block.items.map((q) => `<blockquote>${escapeHtml(q)}</blockquote>`).join('\n');
    case 'list':
      return `<ul>${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'chart':
      return '';
    case 'table':
      return `<table><thead><tr>${block.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${block.rows
        .map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
  }
}

const escapeMd = (s: string) => s.replace(/([\\`*_[\]<>|#])/g, '\\$1').replace(/\r?\n/g, ' ');

/** The report as Markdown (tables GitHub-flavoured). */
export function renderReportMarkdown(report: WeeklyReport, written?: Written): string {
  return `${outlineReport(report, written).map(blockMd).filter(Boolean).join('\n\n')}\n`;
}

function blockMd(block: Block): string {
  switch (block.type) {
    case 'title':
      return `# ${escapeMd(block.text)}`;
    case 'subtitle':
      return `**${escapeMd(block.text)}**`;
    case 'heading':
      return `## ${escapeMd(block.text)}`;
    case 'subheading':
      return `### ${escapeMd(block.text)}`;
    case 'paragraph':
      return escapeMd(block.text);
    case 'quotes':
      return block.items.map((q) => `> ${escapeMd(q)}`).join('\n>\n');
    case 'list':
      return block.items.map((i) => `- ${escapeMd(i)}`).join('\n');
    case 'chart':
      return '';
    case 'table':
      return [`| ${block.head.map(escapeMd).join(' | ')} |`, `| ${block.head.map(() => '---').join(' | ')} |`, ...block.rows.map((r) => `| ${r.map(escapeMd).join(' | ')} |`)].join('\n');
  }
}
