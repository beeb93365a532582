import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ValidationError } from '../../server/errors.ts';
import { buildEvaluation } from '../../server/evaluation/service.ts';
import { evaluationCsv } from '../../server/evaluation/outline.ts';
import { renderCircularDocx, renderEvaluationDocx } from '../../server/evaluation/render.ts';
import { parsePeriod, previousPeriod } from '../../server/evaluation/period.ts';
import { usageError, type CommandContext } from './types.ts';

export const EVALUATION_USAGE = 'report yearly --year 2026 [--org ID] [--format docx|csv|json] [--out FILE]  |  report circular --month 2026-11 [--org ID] [--out FILE]';

/**
 * `lianxin report yearly` (每年评优: org and member rankings) and `lianxin report circular` (月度通报), over the
 * orgs directly below `--org` (default: the top of the tree).
 */
export async function runEvaluationReport(ctx: CommandContext): Promise<number> {
  const { positionals, values } = parseArgs({ args: ctx.argv, allowPositionals: true, options: { year: { type: 'string' }, month: { type: 'string' }, period: { type: 'string' }, org: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } } });
  const kind = positionals[0];
  const period = kind === 'yearly' ? (values.year ?? values.period) : values.month;
  if (!period) return usageError(EVALUATION_USAGE);
  const p = parsePeriod(period, kind === 'yearly' ? 'year' : 'month');
  if (kind === 'circular' && p.kind !== 'month') throw ValidationError.field('month', '通报按月：--month 2026-11');
  const format = values.format ?? 'docx';
  if (!['docx', 'csv', 'json'].includes(format) || (kind === 'circular' && format === 'csv')) throw ValidationError.field('format', kind === 'circular' ? '通报只支持 docx 或 json' : '只支持 docx、csv 或 json');
  const deps = await ctx.openDeps({ lock: false });
  const orgId = values.org ?? (await deps.store.collection<{ id: string; parentId: string | null; version: number; createdAt: string; updatedAt: string }>('orgs').list((o) => o.parentId === null))[0]?.id;
  const e = await buildEvaluation({ deps, actor: 'system', orgId, period: p.key });
  const name = kind === 'yearly' ? `evaluation-${e.orgId}-${p.key}` : `circular-${e.orgId}-${p.key}`;
  const out = resolve(values.out ?? `${name}.${format}`);
  let body: string | Buffer;
  if (format === 'json') body = JSON.stringify(kind === 'yearly' ? e : { current: e }, null, 2);
  else if (format === 'csv') body = evaluationCsv(e, 'orgs') + '\r\n' + evaluationCsv(e, 'members').replace(/^\uFEFF/, '');
  else if (kind === 'yearly') body = await renderEvaluationDocx(e);
  else body = await renderCircularDocx(e, await buildEvaluation({ deps, actor: 'system', orgId, period: previousPeriod(p).key }));
  await writeFile(out, body);
  const top = e.orgs[0];
  ctx.print({ file: out, format, period: p.key, orgs: e.orgs.length, members: e.members.length, first: top?.name }, `已写入 ${out}（${p.label}，${e.orgs.length} 个单位${top ? `，第一名 ${top.name} ${top.score.toFixed(1)} 分` : ''}）`);
  return 0;
}
