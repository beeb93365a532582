/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { startItemFromGroup } from '../../groups/answers.ts';
import { addFeedback, escalateGroup, mergeGroups, moveConcerns, MoveConcernsSchema } from '../../groups/edit.ts';
import { ValidationError } from '../../errors.ts';
import { acceptGroups, AcceptGroupsSchema, groupsOf, updateGroup } from '../../groups/service.ts';
import { parseInput } from '../../validate.ts';
import { formAction, many, one } from '../shared/forms.ts';
import { editHref } from '../home/panels.ts';
import { ESCALATED_HREF, groupsHref, pickWeek } from './common.tsx';

/** Form actions of the 每周会办 page: accept, rename and decide, merge, move or split, escalate, feedback, draft an item. */
const app = new Hono<AppEnv>();

/** Back to the week the form was on (carried in the action URL), or to the 下级上报 queue. */
const back = (c: Context<AppEnv>) => (c.req.query('back') === 'escalated' ? ESCALATED_HREF : groupsHref(pickWeek(c.var.deps, c.req.query('week'))));


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

app.post('/groups/:id/move', (c) =>
  formAction(c, back(c), async ({ user, form }) => {
    const split = one(form, 'mode') === 'split';
    const to = one(form, 'to');
    const title = one(form, 'title').trim();
    // an empty split title is left out: the service answers `title: 拆分出新分组时需要标题`
    const input = parseInput(MoveConcernsSchema, { concernIds: many(form, 'concernIds'), ...(split ? (title ? { title } : {}) : { to }) });
    if (!split && !to) throw ValidationError.field('to', '请选择目标分组');
    // an unknown target names the field rather than answering 404 (nothing has changed yet)
    if (!split && !(await groupsOf(c.var.deps).get(to))) throw ValidationError.field('to', `目标分组 ${to} 不存在`);
    const { to: target } = await moveConcerns({ deps: c.var.deps, actor: user, id: c.req.param('id'), input });
    return { ok: split ? `已拆分为新分组「${target.title}」（${input.concernIds.length} 条）` : `已把 ${input.concernIds.length} 条关切移到「${target.title}」` };
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
    const kind = one(form, 'kind') || (c.var.deps.kinds.list.find((k) => k.fromGroup)?.kind ?? '');
    const item = await startItemFromGroup({ deps: c.var.deps, actor: user, id: c.req.param('id'), input: { kind } });
    return { ok: `已起草《${item.title}》`, to: editHref(item) };
  }),
);

export default app;
