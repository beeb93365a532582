/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { startItemFromGroup } from '../groups/answers.ts';
import { addFeedback, escalateGroup, mergeGroups } from '../groups/edit.ts';
import { acceptGroups, AcceptGroupsSchema, updateGroup } from '../groups/service.ts';
import { parseInput } from '../validate.ts';
import { formAction, many, one } from './forms.ts';
import { editHref } from './home-panels.ts';
import { groupsHref, pickWeek } from './concerns-common.tsx';

/** Form actions of the 每周会办 page: accept, rename and decide, merge, escalate, feedback, draft an item. */
const app = new Hono<AppEnv>();

/** Back to the week the form was on (carried in the action URL). */
const back = (c: Context<AppEnv>) => groupsHref(pickWeek(c.var.deps, c.req.query('week')));


app.post('/groups/accept', async (c) =>
  formAction(c, back(c), async ({ user, form }) => {
    const input = parseInput(AcceptGroupsSchema, {
      week: one(form, 'week'),
      groups: [{ title: one(form, 'title'), concernIds: many(form, 'concernIds'), ...(one(form, 'continuesFrom') ? { continuesFrom: one(form, 'continuesFrom') } : {}) }],
    });
    const [group] = await acceptGroups({ deps: c.var.deps, actor: user, input });
    return { ok: `已接受分组「${group!.title}」` };
  }),
);

app.post('/groups/:id/update', (c) =>
  formAction(c, back(c), async ({ user, form }) => {
    const group = await updateGroup({ deps: c.var.deps, actor: user, id: c.req.param('id'), input: { version: Number(one(form, 'version')), title: one(form, 'title').trim(), decision: one(form, 'decision').trim() } });
    return { ok: `已保存「${group.title}」` };
  }),
);

app.post('/groups/:id/merge', (c) =>
  formAction(c, back(c), async ({ user, form }) => {
    const group = await mergeGroups({ deps: c.var.deps, actor: user, id: c.req.param('id'), input: { from: many(form, 'from') } });
    return { ok: `已合并到「${group.title}」` };
  }),
);

app.post('/groups/:id/escalate', (c) =>
  formAction(c, back(c), async ({ user, form }) => {
    const note = one(form, 'note').trim();
    const group = await escalateGroup({ deps: c.var.deps, actor: user, id: c.req.param('id'), input: note ? { note } : {} });
    return { ok: `已上报「${group.title}」` };
  }),
);

app.post('/groups/:id/feedback', (c) =>
  formAction(c, back(c), async ({ user, form }) => {
    const group = await addFeedback({ deps: c.var.deps, actor: user, id: c.req.param('id'), input: { text: one(form, 'text').trim() } });
    return { ok: `已反馈到「${group.title}」及其关切` };
  }),
);

app.post('/groups/:id/items', (c) =>
  formAction(c, back(c), async ({ user, form }) => {
    const kind = one(form, 'kind') === 'rumor-guide' ? 'rumor-guide' : 'notice';
    const item = await startItemFromGroup({ deps: c.var.deps, actor: user, id: c.req.param('id'), input: { kind } });
    return { ok: `已起草《${item.title}》`, to: editHref(item) };
  }),
);

export default app;
