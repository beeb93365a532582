import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { AppError } from '../errors.ts';
import { outlineReport, REPORT_TITLE, type Block, type Written } from './outline.ts';
import { reportChartPngs } from './charts.ts';
import type { WeeklyReport } from './schema.ts';
import { stripXmlInvalidDeep } from '../security/text.ts';

// Fonts every Chinese Windows Word has; the document stays print-ready without embedding fonts.
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const HEADING_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '808080' };

type ChartImages = Map<string, { png: Buffer; width: number; height: number; title: string }>;
/** Width of a chart on the A4 page, in pixels at 96 dpi (the text column is about 16 cm). */
const CHART_WIDTH = 560;

/** The report as a Word document (A4, page numbers in the footer, the charts as pictures), as bytes. */
export async function renderReportDocx(input: WeeklyReport, writtenInput?: Written): Promise<Buffer> {
  // concern and group titles and the written parts are user text: word/document.xml must stay well-formed whatever they hold
  const report = stripXmlInvalidDeep(input);
  const written = writtenInput && stripXmlInvalidDeep(writtenInput);
  const charts = await reportChartPngs(report);
  return renderBlocksDocx({ title: `${REPORT_TITLE} ${report.orgName} ${report.week}`, description: REPORT_TITLE, blocks: outlineReport(report, written), charts });
}

/** Any outline of blocks as an A4 official-style Word document (the weekly report, the evaluation, circulars); user text is stripped of XML-invalid characters. */
export async function renderBlocksDocx({ title, description, blocks: input, charts = new Map() }: { title: string; description: string; blocks: Block[]; charts?: ChartImages }): Promise<Buffer> {
  const blocks = stripXmlInvalidDeep(input);
  const doc = new Document({
    creator: '连心',
    title,
    description,
    styles: { default: { document: { run: { font: BODY_FONT, size: 28 }, paragraph: { spacing: { line: 460 } } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 24 })] })],
          }),
        },
        children: blocks.flatMap((b) => blockDocx(b, charts)),
      },
    ],
  });
  try {
    return await Packer.toBuffer(doc);
  } catch (error) {
    throw new AppError(500, 'docx_failed', '生成 Word 文档失败', { cause: error });
  }
}

function blockDocx(block: Block, charts: ChartImages): (Paragraph | Table)[] {
  switch (block.type) {
    case 'chart': {
      const chart = charts.get(block.key);
      if (!chart) return [];
      const size = { width: CHART_WIDTH, height: Math.round((chart.height * CHART_WIDTH) / chart.width) };
      return [
        new Paragraph({ alignment: AlignmentType.CENTER, children: [new ImageRun({ type: 'png', data: chart.png, transformation: size, altText: { name: chart.title, description: chart.title, title: chart.title } })] }),
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [new TextRun({ text: `图：${chart.title}`, size: 22 })] }),
      ];
    }
    case 'title':
      return [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [new TextRun({ text: block.text, font: TITLE_FONT, size: 44, bold: true, color: 'B71C1C' })] })];
    case 'subtitle':
      return [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 300 }, children: [new TextRun({ text: block.text, size: 28 })] })];
    case 'heading':
      return [new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 240 }, children: [new TextRun({ text: block.text, font: HEADING_FONT, size: 32, color: '000000' })] })];
    case 'subheading':
      return [new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: block.text, font: HEADING_FONT, size: 28, bold: true, color: '000000' })] })];
    case 'paragraph':
      return [new Paragraph({ indent: { firstLine: 560 }, children: [new TextRun(block.text)] })];
    case 'quotes':
      return block.items.map((q) => new Paragraph({ indent: { left: 560 }, children: [new TextRun({ text: `“${q}”`, italics: true, size: 26 })] }));
    case 'list':
      return block.items.map((item) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(item)] }));
    case 'table':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, children: block.head.map((h) => cell(h, true)) }),
            ...block.rows.map((row) => new TableRow({ children: row.map((c) => cell(c, false)) })),
          ],
        }),
        new Paragraph({ children: [] }),
      ];
  }
}

function cell(text: string, header: boolean): TableCell {
  return new TableCell({
    borders: { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER },
    ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'F2F2F2', color: 'auto' } } : {}),
    children: [new Paragraph({ spacing: { line: 320 }, children: [new TextRun({ text, size: 24, bold: header })] })],
  });
}
