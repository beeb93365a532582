/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { startItemFromGroup } from '../../groups/answers.ts';
import { addFeedback, escalateGroup, mergeGroups, moveConcerns, MoveConcernsSchema } from '../../groups/edit.ts';
import { ValidationError } from '../../errors.ts';
import { addToGroup, AddToGroupSchema, undoable, undoStep } from '../../groups/desk.ts';
import { acceptGroups, AcceptGroupsSchema, getGroup, groupsOf, updateGroup } from '../../groups/service.ts';
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

/** Where a form about concerns wants to go back to (`?next=`, the concern's page), if it is a workbench page. */
const backTo = (c: Context<AppEnv>) => {
  const next = c.req.query('next') ?? '';
  return next.startsWith('/workbench/') && !next.startsWith('//') ? next : back(c);
};

// Ungrouped concerns (checked on the 每周会办 page or one on its own page): a new group, or into an existing one.
app.post('/groups/ungrouped', async (c) => {
  return formAction(c, backTo(c), async ({ user, form }) => {
    const deps = c.var.deps;
    const week = pickWeek(deps, one(form, 'week') || c.req.query('week'));
    const concernIds = many(form, 'concernIds');
    if (one(form, 'mode') === 'add') {
      const to = one(form, 'to');
      if (!to) throw ValidationError.field('to', '请选择要加入的分组');
      const input = parseInput(AddToGroupSchema, { concernIds });
      const target = await getGroup({ deps, actor: user, id: to }).catch(() => {
        throw ValidationError.field('to', `分组 ${to} 不存在`);
      });
      await undoable({ deps, actor: user, week: target.week, label: `加入分组「${target.title}」`, groupIds: [to], concernIds }, () => addToGroup({ deps, actor: user, id: to, input }));
      return { ok: `已把 ${concernIds.length} 条关切加入「${target.title}」`, to: backTo(c) };
    }
    const input = parseInput(AcceptGroupsSchema, { week, groups: [{ title: one(form, 'title'), concernIds }] });
    const { result } = await undoable({ deps, actor: user, week, label: `新建分组「${input.groups[0]!.title}」`, groupIds: [], concernIds }, () => acceptGroups({ deps, actor: user, input }));
    return { ok: `已新建分组「${result[0]!.title}」（${concernIds.length} 条）`, to: backTo(c) };
  });
});

app.post('/groups/undo/:id', (c) =>
  formAction(c, back(c), async ({ user }) => {
    const undo = await undoStep({ deps: c.var.deps, actor: user, id: c.req.param('id') });
    return { ok: `已撤销：${undo.label}` };
  }),
);

app.post('/groups/:id/merge', (c) =>
  formAction(c, back(c), async ({ user, form }) => {
    const deps = c.var.deps;
    const id = c.req.param('id');
    const from = many(form, 'from');
    const current = await getGroup({ deps, actor: user, id });
    const { result: group } = await undoable({ deps, actor: user, week: current.week, label: `合并到「${current.title}」`, groupIds: [id, ...from] }, () =>
      mergeGroups({ deps, actor: user, id, input: { from } }),
    );
    return { ok: `已合并到「${group.title}」，可撤销` };
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
    const current = await getGroup({ deps: c.var.deps, actor: user, id: c.req.param('id') });
    const { result } = await undoable(
      { deps: c.var.deps, actor: user, week: current.week, label: split ? `从「${current.title}」拆分` : `从「${current.title}」移动关切`, groupIds: [current.id, ...(input.to ? [input.to] : [])], concernIds: input.concernIds },
      () => moveConcerns({ deps: c.var.deps, actor: user, id: c.req.param('id'), input }),
    );
    const target = result.to;
    return { ok: split ? `已拆分为新分组「${target.title}」（${input.concernIds.length} 条）` : `已把 ${input.concernIds.length} 条关切移到「${target.title}」` };
  }),
);

app.post('/groups/:id/escalate', (c) =>
  formAction(c, back(c), async ({ user, form }) => {
    const note = one(form, 'note').trim();
    const current = await getGroup({ deps: c.var.deps, actor: user, id: c.req.param('id') });
    const { result: group } = await undoable({ deps: c.var.deps, actor: user, week: current.week, label: `上报「${current.title}」`, groupIds: [current.id] }, () =>
      escalateGroup({ deps: c.var.deps, actor: user, id: current.id, input: note ? { note } : {} }),
    );
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
    // The draft buttons sit in the card's form: what was typed (title, 会办决定) is saved before drafting.
    if (form['decision'] !== undefined || form['title'] !== undefined) {
      const current = await getGroup({ deps: c.var.deps, actor: user, id: c.req.param('id') });
      const title = one(form, 'title').trim() || current.title;
      const decision = form['decision'] !== undefined ? one(form, 'decision').trim() : current.decision;
      if (title !== current.title || decision !== current.decision) {
        await updateGroup({ deps: c.var.deps, actor: user, id: current.id, input: { version: Number(one(form, 'version')) || current.version, title, decision } });
      }
    }
    const item = await startItemFromGroup({ deps: c.var.deps, actor: user, id: c.req.param('id'), input: { kind } });
    return { ok: `已起草《${item.title}》`, to: editHref(item) };
  }),
);

export default app;
