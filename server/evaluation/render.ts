import { renderBlocksDocx } from '../reports/render-docx.ts';
import { outlineCircular, outlineYearly } from './outline.ts';
import type { Evaluation } from './schema.ts';

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function renderEvaluationDocx(e: Evaluation): Promise<Buffer> {
  return renderBlocksDocx({ title: `${e.orgName}${e.label}考评`, description: '网宣志愿服务工作考评', blocks: outlineYearly(e) });
}

export function renderCircularDocx(e: Evaluation, previous?: Evaluation): Promise<Buffer> {
  return renderBlocksDocx({ title: `${e.label}工作通报`, description: '网宣志愿服务工作通报', blocks: outlineCircular(e, previous) });
}
