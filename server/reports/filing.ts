import { z } from 'zod';
import type { Deps } from '../context.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.ts';
import type { Org } from '../orgs/schema.ts';
import { descendantIds, getOrg } from '../orgs/service.ts';
import { hasRole } from '../auth/permissions.ts';
import type { User } from '../users/schema.ts';
import { assertEditor, assertInScope } from '../concerns/access.ts';
import { IsoDateTimeSchema, IsoWeekSchema } from '../concerns/schema.ts';
import { concernsOf } from '../concerns/service.ts';
import { weekRange } from '../concerns/week.ts';
import { WeeklyReportSchema } from './schema.ts';
import { docText, validateDoc, type TiptapDoc } from '../content/tiptap.ts';
import type { Written } from './outline.ts';
import { buildWeeklyReport } from './service.ts';
import { XML_SAFE_MESSAGE, xmlSafe } from '../security/fields.ts';

/** The written part of a weekly report and its way up: draft → submitted (frozen) → received, feedback flowing down. */
export const ReportFilingSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  orgId: z.string(),
  week: IsoWeekSchema,
  /** 本周综述 and 研判建议: plain text, shown escaped, kept as the team wrote it. */
  summary: z.string().max(5000).default(''),
  assessment: z.string().max(5000).default(''),
  /** The same two sections as written in the editor (tiptap documents); the text above is their plain text. */
  summaryDoc: z.unknown().optional(),
  assessmentDoc: z.unknown().optional(),
  status: z.enum(['draft', 'submitted', 'received']),
  submittedAt: IsoDateTimeSchema.optional(),
  submittedBy: z.string().optional(),
  /** Submitted after the deadline (the Monday after the week, 24:00 China time). */
  late: z.boolean().optional(),
  /** The generated report as it was when submitted: later changes to concerns do not alter what was filed. */
  snapshot: WeeklyReportSchema.optional(),
  receivedAt: IsoDateTimeSchema.optional(),
  receivedBy: z.string().optional(),
  feedback: z.array(z.object({ at: IsoDateTimeSchema, fromOrgId: z.string(), authorId: z.string(), text: z.string() })).default([]),
});
export type ReportFiling = z.infer<typeof ReportFilingSchema>;
export const FilingTextSchema = z.object({
  // the path is put before the message by parseInput (`summary: …`)
  summary: z.string().trim().max(5000, '本周综述不能超过 5000 字').refine(xmlSafe, XML_SAFE_MESSAGE),
  assessment: z.string().trim().max(5000, '研判建议不能超过 5000 字').refine(xmlSafe, XML_SAFE_MESSAGE),
  /** tiptap documents from the editor; when given, they win and the text is taken from them. */
  summaryDoc: z.unknown().optional(),
  assessmentDoc: z.unknown().optional(),
});

const SECTION_LABEL = { summary: '本周综述', assessment: '研判建议' } as const;

/** The text and document of one section: a document is checked like an item body (nodes, marks, links) and must fit 5000 characters. */
function section(field: 'summary' | 'assessment', text: string, doc: unknown): { text: string; doc?: TiptapDoc } {
  if (doc === undefined || doc === null || doc === '') return { text };
  const issues = validateDoc(doc, `${field}Doc`);
  if (issues.length) throw new ValidationError(issues);
  const plain = docText(doc as TiptapDoc).replace(/\n{2,}/g, '\n').trim();
  if ([...plain].length > 5000) throw ValidationError.field(field, `${SECTION_LABEL[field]}不能超过 5000 字`);
  return plain ? { text: plain, doc: doc as TiptapDoc } : { text: '' };
}
export const FilingFeedbackSchema = z.object({ text: z.string().trim().min(1, '反馈内容不能为空').max(2000, '反馈最多 2000 字').refine(xmlSafe, XML_SAFE_MESSAGE) });

/** The written sections of a filing, for the renderers. */
export const writtenOf = (f: ReportFiling): Written => ({ summary: f.summary, assessment: f.assessment, summaryDoc: f.summaryDoc as TiptapDoc | undefined, assessmentDoc: f.assessmentDoc as TiptapDoc | undefined });

export const filingsOf = (deps: Deps) => deps.store.collection<ReportFiling>('report-filings');
const filingId = (orgId: string, week: string) => `${orgId}--${week}`;
export const STATUS_TEXT: Record<ReportFiling['status'] | 'missing', string> = { draft: '草稿', submitted: '已提交', received: '已接收', missing: '未报送' };

/** Deadline: the end of the Monday after the week, China time. */
export function filingDeadline(week: string): Date {
  return new Date(weekRange(week).end.getTime() + 86_400_000);
}

export async function getFiling({ deps, actor, orgId, week }: { deps: Deps; actor: User; orgId: string; week: string }): Promise<ReportFiling | undefined> {
  const org = await getOrg({ deps, id: orgId });
  // The org itself and everyone above it (who receives it) may read it.
  if (actor.orgId !== org.parentId) await assertInScope(deps, actor, orgId, '查看该组织的周报');
  return filingsOf(deps).get(filingId(orgId, week));
}

/** Save 本周综述 and 研判建议 (editors of the org, while the report is a draft). */
export async function saveFilingText({ deps, actor, orgId, week, input }: { deps: Deps; actor: User; orgId: string; week: string; input: z.infer<typeof FilingTextSchema> }): Promise<ReportFiling> {
  assertEditor(actor, '编写周报');
  if (actor.orgId !== orgId) throw new ForbiddenError('只能编写本组织的周报');
  const current = await filingsOf(deps).get(filingId(orgId, week));
  if (current && current.status !== 'draft') throw new ConflictError(`status: 周报${STATUS_TEXT[current.status]}，内容已冻结`);
  const summary = section('summary', input.summary, input.summaryDoc);
  const assessment = section('assessment', input.assessment, input.assessmentDoc);
  const written = { summary: summary.text, assessment: assessment.text, summaryDoc: summary.doc, assessmentDoc: assessment.doc };
  const filing = current
    ? await filingsOf(deps).update(current.id, undefined, (f) => {
        const { summaryDoc: _s, assessmentDoc: _a, ...rest } = f;
        return { ...rest, summary: written.summary, assessment: written.assessment, ...(written.summaryDoc ? { summaryDoc: written.summaryDoc } : {}), ...(written.assessmentDoc ? { assessmentDoc: written.assessmentDoc } : {}) };
      })
    : await filingsOf(deps).insert({ id: filingId(orgId, week), orgId, week, summary: written.summary, assessment: written.assessment, ...(written.summaryDoc ? { summaryDoc: written.summaryDoc } : {}), ...(written.assessmentDoc ? { assessmentDoc: written.assessmentDoc } : {}), status: 'draft', feedback: [] });
  await deps.store.audit.append({ actor: actor.id, action: 'report.save', target: { type: 'report', id: filing.id }, afterVersion: filing.version, data: {} });
  return filing;
}

/** A reviewer of the org submits the report to the parent: its generated part is frozen as a snapshot. */
export async function submitFiling({ deps, actor, orgId, week }: { deps: Deps; actor: User; orgId: string; week: string }): Promise<ReportFiling> {
  if (!hasRole(actor, 'reviewer') || actor.orgId !== orgId) throw new ForbiddenError('提交周报需要本组织的「审核」角色');
  const org = await getOrg({ deps, id: orgId });
  if (!org.parentId) throw ValidationError.field('orgId', '市级组织没有上级，无需报送');
  const current = await filingsOf(deps).get(filingId(orgId, week));
  if (current && current.status !== 'draft') throw new ConflictError(`status: 周报${STATUS_TEXT[current.status]}`);
  if (!current?.summary) throw ValidationError.field('summary', '提交前请填写本周综述');
  const snapshot = await buildWeeklyReport({ deps, actor, orgId, week });
  const now = deps.clock();
  const filing = await filingsOf(deps).update(current.id, undefined, (f) => ({ ...f, status: 'submitted', submittedAt: now.toISOString(), submittedBy: actor.id, late: now > filingDeadline(week), snapshot }));
  await deps.store.audit.append({ actor: actor.id, action: 'report.submit', target: { type: 'report', id: filing.id }, afterVersion: filing.version, data: { late: filing.late } });
  return filing;
}

async function assertParent(deps: Deps, actor: User, orgId: string, action: string): Promise<void> {
  const org = await getOrg({ deps, id: orgId });
  if (org.parentId !== actor.orgId) throw new ForbiddenError(`${action}只能由上级组织进行`);
  assertEditor(actor, action);
}

/** The parent org acknowledges a submitted report. */
export async function receiveFiling({ deps, actor, orgId, week }: { deps: Deps; actor: User; orgId: string; week: string }): Promise<ReportFiling> {
  await assertParent(deps, actor, orgId, '接收周报');
  const current = await filingsOf(deps).get(filingId(orgId, week));
  if (!current || current.status === 'draft') throw new ConflictError('status: 该周报尚未提交');
  if (current.status === 'received') return current;
  const filing = await filingsOf(deps).update(current.id, undefined, (f) => ({ ...f, status: 'received', receivedAt: deps.clock().toISOString(), receivedBy: actor.id }));
  await deps.store.audit.append({ actor: actor.id, action: 'report.receive', target: { type: 'report', id: filing.id }, afterVersion: filing.version, data: {} });
  return filing;
}

/** Feedback from the parent (逐级反馈): on the report and on every concern it covers, where their reporters see it. */
export async function feedbackFiling({ deps, actor, orgId, week, input }: { deps: Deps; actor: User; orgId: string; week: string; input: z.infer<typeof FilingFeedbackSchema> }): Promise<ReportFiling> {
  await assertParent(deps, actor, orgId, '反馈周报');
  const current = await filingsOf(deps).get(filingId(orgId, week));
  if (!current?.snapshot) throw new ConflictError('status: 该周报尚未提交');
  const at = deps.clock().toISOString();
  const filing = await filingsOf(deps).update(current.id, undefined, (f) => ({ ...f, status: 'received', receivedAt: f.receivedAt ?? at, receivedBy: f.receivedBy ?? actor.id, feedback: [...f.feedback, { at, fromOrgId: actor.orgId, authorId: actor.id, text: input.text }] }));
  // The report covers every concern of the week in the org and below it.
  const scope = await descendantIds({ deps, id: orgId });
  const covered = (await concernsOf(deps).query({ where: { week, orgId: { in: [...scope] } } })).records;
  for (const c of covered) {
    await concernsOf(deps).update(c.id, undefined, (x) => ({ ...x, feedback: [...x.feedback, { at, fromOrgId: actor.orgId, text: `周报反馈：${input.text}` }] }));
  }
  await deps.store.audit.append({ actor: actor.id, action: 'report.feedback', target: { type: 'report', id: filing.id }, afterVersion: filing.version, data: { concerns: covered.length } });
  return filing;
}

/** The parent's view: each child org's report for the week, including who has not filed. */
export async function childFilings({ deps, actor, week }: { deps: Deps; actor: User; week: string }): Promise<{ org: Org; filing: ReportFiling | undefined }[]> {
  const children = (await deps.store.collection<Org>('orgs').query({ where: { parentId: actor.orgId } })).records.sort((a, b) => a.name.localeCompare(b.name, 'zh'));
  return Promise.all(children.map(async (org) => ({ org, filing: await filingsOf(deps).get(filingId(org.id, week)) })));
}
