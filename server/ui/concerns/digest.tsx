/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { createMonthlyDigest, DigestSchema } from '../../groups/answers.ts';
import { parseInput } from '../../validate.ts';
import { formAction, one } from '../shared/forms.ts';
import { editHref } from '../home/panels.ts';
import { Csrf, pickWeek, reportHref } from './common.tsx';

/** The monthly 网民关切回应 digest (the 20th is the activity day): a button on the reports page → a draft notice's editor. */
const app = new Hono<AppEnv>();

/** The month (2026-11) of a date in Asia/Shanghai. */
const monthOf = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);

export function DigestForm({ action, month, csrf }: { action: string; month: Date; csrf: string }) {
  return (
    <section class="card" aria-labelledby="digest-title">
      <h2 id="digest-title">月度“网民关切回应”</h2>
      <p class="meta">每月 20 日为活动日：把本组织当月已回应的分组及回应稿件汇成一篇通知草稿。</p>
      <form method="post" action={action} class="row" data-digest>
        <Csrf token={csrf} />
        <label for="digest-month">月份（如 2026-11）</label>
        <input id="digest-month" name="month" value={monthOf(month)} pattern="\d{4}-\d{2}" required />
        <button type="submit" class="primary">
          生成回应汇总草稿
        </button>
      </form>
    </section>
  );
}

app.post('/reports/monthly-digest', (c) =>
  formAction(c, reportHref(c.req.query('org') || (c.var.user?.orgId ?? ''), pickWeek(c.var.deps, c.req.query('week'))), async ({ user, form }) => {
    const item = await createMonthlyDigest({ deps: c.var.deps, actor: user, input: parseInput(DigestSchema, { month: one(form, 'month').trim() }) });
    return { ok: `已生成《${item.title}》草稿`, to: editHref(item) };
  }),
);

export default app;
