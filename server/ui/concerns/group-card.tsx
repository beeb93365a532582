/** @jsxImportSource hono/jsx */
import { STATUS_LABELS, type Concern } from '../../concerns/schema.ts';
import type { Group } from '../../groups/schema.ts';
import { formatTime, type Lookups } from '../shared/lookups.ts';
import { concernHref, Csrf, groupsHref } from './common.tsx';

/** Pieces of an accepted group (每周会办 and 下级上报): its concerns, feedback, and the move/split form. */

const short = (text: string, n = 60) => (text.length > n ? `${text.slice(0, n)}…` : text);

/** Where a form action sends the user back to: the week of the 每周会办 page, or the escalated queue. */
export const actionUrl = (g: Group, action: string, week: string, back?: 'escalated') => `/workbench/groups/${g.id}/${action}?${new URLSearchParams({ week, ...(back ? { back } : {}) })}`;

/** "延续自上周：<title>" with a link to last week's group (when it still exists). */
export function ContinuesFrom({ previous }: { previous: Group | undefined }) {
  if (!previous) return null;
  return (
    <p class="meta" data-continues-from={previous.id}>
      延续自上周：<a href={`${groupsHref(previous.week)}#g-${previous.id}`}>{previous.title}</a>
    </p>
  );
}

/** The group's concerns as a plain list. */
export function MemberList({ members }: { members: Concern[] }) {
  return (
    <ul class="rows">
      {members.map((cn) => (
        <li>
          <a href={concernHref(cn)}>{short(cn.text)}</a>
          <span class="meta">{STATUS_LABELS[cn.status]}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The group's concerns with checkboxes, and two ways out for the checked ones:
 * 移到分组 (another group of the same week and org) or 拆分为新分组 (a new group titled here).
 */
export function MoveForm({ group, members, others, week, csrf }: { group: Group; members: Concern[]; others: Group[]; week: string; csrf: string }) {
  const id = group.id;
  return (
    <form method="post" action={actionUrl(group, 'move', week)} class="stack" data-move-form={id}>
      <Csrf token={csrf} />
      <fieldset class="checks stacked">
        <legend>选择要移动或拆分的关切</legend>
        {members.map((cn) => (
          <label for={`mv-${id}-${cn.id}`}>
            <input type="checkbox" id={`mv-${id}-${cn.id}`} name="concernIds" value={cn.id} /> {short(cn.text)}
            <span class="meta">{STATUS_LABELS[cn.status]}</span>
          </label>
        ))}
      </fieldset>
      {others.length > 0 && (
        <div class="row">
          <label for={`to-${id}`}>移到分组</label>
          <select id={`to-${id}`} name="to" class="grow">
            {others.map((o) => (
              <option value={o.id}>{`${o.title}（${o.concernIds.length} 条）`}</option>
            ))}
          </select>
          <button type="submit" name="mode" value="move" data-confirm="确定把勾选的关切移到所选分组吗？可撤销。">
            移动
          </button>
        </div>
      )}
      <div class="row">
        <label for={`split-${id}`}>拆分为新分组</label>
        <input id={`split-${id}`} name="title" maxlength={100} class="grow" placeholder="新分组标题" />
        <button type="submit" name="mode" value="split" data-confirm="确定把勾选的关切拆分为新分组吗？可撤销。">
          拆分
        </button>
      </div>
    </form>
  );
}

/** Feedback from parent orgs (逐级反馈) as a timeline. */
export function FeedbackList({ group, names }: { group: Group; names: Lookups }) {
  if (group.feedback.length === 0) return null;
  return (
    <ul class="timeline" aria-label="上级反馈">
      {group.feedback.map((f) => (
        <li>
          <time datetime={f.at}>{formatTime(f.at)}</time>
          {names.orgName(f.fromOrgId)}反馈：{f.text}
        </li>
      ))}
    </ul>
  );
}

/** The parent org's feedback form (逐级反馈). */
export function FeedbackForm({ group, week, csrf, back }: { group: Group; week: string; csrf: string; back?: 'escalated' }) {
  return (
    <form method="post" action={actionUrl(group, 'feedback', week, back)} class="row">
      <Csrf token={csrf} />
      <label for={`fb-${group.id}`}>上级反馈</label>
      <input id={`fb-${group.id}`} name="text" maxlength={2000} required class="grow" />
      <button type="submit">反馈</button>
    </form>
  );
}
