import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Deps } from '../../server/context.ts';
import { NotFoundError, ValidationError } from '../../server/errors.ts';
import { IsoWeekSchema } from '../../server/concerns/schema.ts';
import { importConcerns } from '../../server/concerns/service.ts';
import { importFormat, type ImportFormat } from '../../server/concerns/upload.ts';
import { suggestGroups } from '../../server/groups/suggest.ts';
import { renderReportHtml, renderReportMarkdown } from '../../server/reports/render-text.ts';
import { buildWeeklyReport } from '../../server/reports/service.ts';
import type { User } from '../../server/users/schema.ts';
import { findUserByName, publicUser } from '../../server/users/service.ts';
import { parseInput } from '../../server/validate.ts';
import { usageError, type Command } from './types.ts';
import { EVALUATION_USAGE, runEvaluationReport } from './evaluation.ts';

/** The CLI acts as a named user (default `admin`), so org scope and roles apply as on the web. */
async function actingUser(deps: Deps, username = 'admin'): Promise<User> {
  const user = await findUserByName({ deps, username });
  if (!user) throw new NotFoundError(`用户 ${username} 不存在（用 --as 指定）`);
  return publicUser(user);
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import concerns from a CSV, JSON Lines or XLSX file (bad rows listed by line; re-importing adds nothing)',
  usage: 'import concerns FILE [--format csv|jsonl|xlsx] [--as USER]',
  async run(ctx) {
    const { positionals, values } = parseArgs({ args: ctx.argv, allowPositionals: true, options: { format: { type: 'string' }, as: { type: 'string' } } });
    if (positionals[0] !== 'concerns' || !positionals[1]) return usageError(this.usage);
    if (values.format && !['csv', 'jsonl', 'xlsx'].includes(values.format)) throw ValidationError.field('format', '只支持 csv、jsonl 或 xlsx');
    const content = await readFile(resolve(positionals[1])).catch((error: unknown) => {
      throw new NotFoundError(`file: 读不到文件 ${positionals[1]}`, { cause: error });
    });
    const format = importFormat(content, values.format as ImportFormat | undefined, positionals[1]);
    const deps = await ctx.openDeps();
    const result = await importConcerns({ deps, actor: await actingUser(deps, values.as), content, format, name: positionals[1] });
    const lines = [`导入 ${result.imported} 条，跳过已有 ${result.skipped} 条，其中重复反映 ${result.duplicates ?? 0} 条，错误 ${result.errors.length} 行`];
    for (const e of result.errors) lines.push(`  第 ${e.line} 行  ${e.message}`);
    ctx.print({ imported: result.imported, skipped: result.skipped, errors: result.errors }, lines.join('\n'));
    return result.errors.length ? 1 : 0;
  },
};

export const groupCommand: Command = {
  name: 'group',
  summary: 'suggest groups for a week of concerns not yet grouped',
  usage: 'group --week 2026-W48 [--as USER]',
  async run(ctx) {
    const { values } = parseArgs({ args: ctx.argv, options: { week: { type: 'string' }, as: { type: 'string' } } });
    if (!values.week) return usageError(this.usage);
    const week = parseInput(IsoWeekSchema, values.week, 'week');
    const deps = await ctx.openDeps({ lock: false });
    const result = await suggestGroups({ deps, actor: await actingUser(deps, values.as), week });
    const text = [
      `${week}：${result.groups.length} 个建议分组，${result.ungrouped.length} 条未归组`,
      ...result.groups.map((g, i) => `${String(i + 1).padStart(3)}. ${g.title}（${g.size} 条）\n       “${g.quotes[0] ?? ''}”`),
    ].join('\n');
    ctx.print({ week, groups: result.groups.map((g) => ({ title: g.title, size: g.size, categories: g.categories, districts: g.districts, concerns: g.concerns })), ungrouped: result.ungrouped }, text);
    return 0;
  },
};

export const reportCommand: Command = {
  name: 'report',
  summary: 'write the weekly 网情民意周报 (Word, HTML, Markdown), the yearly evaluation 每年评优 or the monthly circular 通报',
  usage: `report weekly --org ID --week 2026-W48 --format docx|html|md [--out FILE] [--as USER]  |  ${EVALUATION_USAGE}`,
  async run(ctx) {
    if (ctx.argv[0] === 'yearly' || ctx.argv[0] === 'circular') return runEvaluationReport(ctx);
    const { positionals, values } = parseArgs({ args: ctx.argv, allowPositionals: true, options: { org: { type: 'string' }, week: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, as: { type: 'string' } } });
    if (positionals[0] !== 'weekly' || !values.org || !values.week) return usageError(this.usage);
    const week = parseInput(IsoWeekSchema, values.week, 'week');
    const format = values.format ?? 'docx';
    if (!['docx', 'html', 'md'].includes(format)) throw ValidationError.field('format', '只支持 docx、html 或 md');
    const deps = await ctx.openDeps({ lock: false });
    const report = await buildWeeklyReport({ deps, actor: await actingUser(deps, values.as), orgId: values.org, week });
    const out = resolve(values.out ?? `weekly-${values.org}-${week}.${format}`);
    const body = format === 'docx' ? await (await import('../../server/reports/render-docx.ts')).renderReportDocx(report) : format === 'html' ? renderReportHtml(report) : renderReportMarkdown(report);
    await writeFile(out, body);
    ctx.print({ file: out, format, received: report.totals.received, groups: report.groups.length }, `已写入 ${out}（${report.totals.received} 条关切，${report.groups.length} 个分组）`);
    return 0;
  },
};
