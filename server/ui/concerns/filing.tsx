/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { hasRole } from '../../auth/permissions.ts';
import type { Org } from '../../orgs/schema.ts';
import type { User } from '../../users/schema.ts';
import { feedbackFiling, FilingFeedbackSchema, FilingTextSchema, receiveFiling, saveFilingText, STATUS_TEXT, submitFiling, type ReportFiling } from '../../reports/filing.ts';
import { parseInput } from '../../validate.ts';
import { raw } from 'hono/html';
import { ValidationError } from '../../errors.ts';
import { renderBodyHtml, type TiptapDoc } from '../../content/tiptap.ts';
import { formAction, one, type FormData } from '../shared/forms.ts';
import { formatTime, type Lookups } from '../shared/lookups.ts';
import { canEdit, Csrf, pickWeek } from './common.tsx';

/** 本周综述 / 研判建议 and the report's way up (提交 → 接收 → 反馈), on the 网情民意周报 page. */
const app = new Hono<AppEnv>();
const where = (c: Context<AppEnv>) => ({ orgId: c.req.query('org') ?? '', week: pickWeek(c.var.deps, c.req.query('week')) });
const backTo = (c: Context<AppEnv>) => `/workbench/reports?${new URLSearchParams({ org: c.req.query('org') ?? '', week: pickWeek(c.var.deps, c.req.query('week')) })}`;
const action = (name: string, orgId: string, week: string) => `/workbench/reports/filing/${name}?${new URLSearchParams({ org: orgId, week })}`;

/** The two sections from the form: the text, and the editor's document (JSON in a hidden field) when there is one. */
function writtenInput(form: FormData) {
  const doc = (field: 'summaryDoc' | 'assessmentDoc') => {
    const raw = one(form, field).trim();
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw ValidationError.field(field, '编辑器内容无法读取，请刷新页面后重试');
    }
  };
  return parseInput(FilingTextSchema, { summary: one(form, 'summary'), assessment: one(form, 'assessment'), summaryDoc: doc('summaryDoc'), assessmentDoc: doc('assessmentDoc') });
}

app.post('/reports/filing/save', (c) =>
  formAction(c, backTo(c), async ({ user, form }) => {
    await saveFilingText({ deps: c.var.deps, actor: user, ...where(c), input: writtenInput(form) });
    return { ok: '已保存本周综述与研判建议' };
  }),
);
app.post('/reports/filing/submit', (c) =>
  formAction(c, backTo(c), async ({ user, form }) => {
    // What was typed is saved first, then submitted.
    if (form['summary'] !== undefined) await saveFilingText({ deps: c.var.deps, actor: user, ...where(c), input: writtenInput(form) });
    const filing = await submitFiling({ deps: c.var.deps, actor: user, ...where(c) });
    return { ok: filing.late ? '周报已提交上级（逾期）' : '周报已提交上级' };
  }),
);
app.post('/reports/filing/receive', (c) =>
  formAction(c, backTo(c), async ({ user }) => {
    await receiveFiling({ deps: c.var.deps, actor: user, ...where(c) });
    return { ok: '已接收该周报' };
  }),
);
app.post('/reports/filing/feedback', (c) =>
  formAction(c, backTo(c), async ({ user, form }) => {
    await feedbackFiling({ deps: c.var.deps, actor: user, ...where(c), input: parseInput(FilingFeedbackSchema, { text: one(form, 'text') }) });
    return { ok: '已反馈，报送的组织和相关关切的登记人都能看到' };
  }),
);

export default app;

/** A written section as it was written: the editor's document as sanitised HTML, else the plain text. */
function WrittenSection({ text, doc }: { text: string | undefined; doc: unknown }) {
  if (!text) return <p class="prewrap">（未填写）</p>;
  if (doc) return <div class="prose">{raw(renderBodyHtml(doc as TiptapDoc))}</div>;
  return <p class="prewrap">{text}</p>;
}

/** The written part of the report and its state, with what the viewer may do about it. */
export function FilingPanel({ filing, org, week, user, csrf, names }: { filing: ReportFiling | undefined; org: Org; week: string; user: User; csrf: string; names: Lookups }) {
  const status = filing?.status ?? 'draft';
  const own = user.orgId === org.id;
  const parent = org.parentId !== undefined && user.orgId === org.parentId;
  const editable = own && canEdit(user) && status === 'draft';
  return (
    <section class="card" aria-labelledby="filing-title" data-filing={status}>
      <h2 id="filing-title">
        本周综述与研判建议 <span class={`status filing-${status}`}>{filing ? STATUS_TEXT[status] : '草稿'}</span>
        {filing?.late && <span class="status overdue-note"> 逾期</span>}
      </h2>
      {filing?.submittedAt && <p class="meta">提交于 {formatTime(filing.submittedAt)}（{names.userName(filing.submittedBy ?? '')}）{filing.receivedAt && `；上级接收于 ${formatTime(filing.receivedAt)}`}</p>}
      {editable ? (
        <form method="post" action={action('save', org.id, week)} class="stack" data-guard>
          <Csrf token={csrf} />
          <label for="f-summary">本周综述</label>
          <textarea id="f-summary" name="summary" rows={5} maxlength={5000} data-rich="summaryDoc">
            {filing?.summary ?? ''}
          </textarea>
          <input type="hidden" name="summaryDoc" value={filing?.summaryDoc ? JSON.stringify(filing.summaryDoc) : ''} />
          <label for="f-assessment">研判建议</label>
          <textarea id="f-assessment" name="assessment" rows={4} maxlength={5000} data-rich="assessmentDoc">
            {filing?.assessment ?? ''}
          </textarea>
          <input type="hidden" name="assessmentDoc" value={filing?.assessmentDoc ? JSON.stringify(filing.assessmentDoc) : ''} />
          <p class="actions">
            <button type="submit">保存</button>
            {hasRole(user, 'reviewer') && org.parentId && (
              <button type="submit" class="primary" formaction={action('submit', org.id, week)} data-confirm="提交后周报内容将冻结，确定提交上级吗？">
                提交上级
              </button>
            )}
          </p>
        </form>
      ) : (
        <div data-filing-text>
          <h3>本周综述</h3>
          <WrittenSection text={filing?.summary} doc={filing?.summaryDoc} />
          <h3>研判建议</h3>
          <WrittenSection text={filing?.assessment} doc={filing?.assessmentDoc} />
        </div>
      )}
      {!editable && own && status === 'draft' && hasRole(user, 'reviewer') && org.parentId && (
        // A reviewer who does not write (审核 only) submits what the editors saved.
        <form method="post" action={action('submit', org.id, week)} class="inline" data-submit-filing>
          <Csrf token={csrf} />
          <button type="submit" class="primary" data-confirm="提交后周报内容将冻结，确定提交上级吗？">
            提交上级
          </button>
        </form>
      )}
      {filing && filing.feedback.length > 0 && (
        <ul class="timeline" aria-label="上级反馈" data-filing-feedback>
          {filing.feedback.map((f) => (
            <li>
              <time datetime={f.at}>{formatTime(f.at)}</time>
              {names.orgName(f.fromOrgId)}反馈：{f.text}
            </li>
          ))}
        </ul>
      )}
      {parent && canEdit(user) && filing && filing.status !== 'draft' && (
        <div class="stack">
          {filing.status === 'submitted' && (
            <form method="post" action={action('receive', org.id, week)} class="inline">
              <Csrf token={csrf} />
              <button type="submit" class="primary">
                接收周报
              </button>
            </form>
          )}
          <form method="post" action={action('feedback', org.id, week)} class="row">
            <Csrf token={csrf} />
            <label for="f-feedback">反馈给{org.name}</label>
            <input id="f-feedback" name="text" maxlength={2000} required class="grow" />
            <button type="submit">反馈</button>
          </form>
        </div>
      )}
    </section>
  );
}

/** The parent's list of its child orgs' reports for the week: who filed, late, received, and who has not. */
export function ChildFilings({ rows, week }: { rows: { org: Org; filing: ReportFiling | undefined }[]; week: string }) {
  if (rows.length === 0) return null;
  return (
    <section class="card" aria-labelledby="children-filings" data-child-filings>
      <h2 id="children-filings">下级周报报送情况</h2>
      <ul class="rows">
        {rows.map(({ org, filing }) => {
          const state = filing && filing.status !== 'draft' ? filing.status : 'missing';
          return (
            <li data-child-filing={org.id} data-state={state}>
              <a href={`/workbench/reports?${new URLSearchParams({ org: org.id, week })}`}>{org.name}</a>
              <span class={`status filing-${state}`}>{STATUS_TEXT[state]}</span>
              {filing?.late && <span class="status overdue-note">逾期</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
