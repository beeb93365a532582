/** @jsxImportSource hono/jsx */
import { PLATFORM_LABELS, STATUS_LABELS, type Concern } from '../../concerns/schema.ts';
import type { GroupUndo } from '../../groups/desk.ts';
import type { Group } from '../../groups/schema.ts';
import { concernHref, Csrf } from './common.tsx';

const short = (text: string, n = 80) => (text.length > n ? `${text.slice(0, n)}…` : text);

/** The week's concerns in no group and no suggestion, with checkboxes: make a new group, or add to one. */
export function UngroupedForm({ concerns, groups, week, csrf }: { concerns: Concern[]; groups: Group[]; week: string; csrf: string }) {
  return (
    <form method="post" action={`/workbench/groups/ungrouped?week=${week}`} class="stack card" data-guard>
      <Csrf token={csrf} />
      <input type="hidden" name="week" value={week} />
      <fieldset class="checks stacked">
        <legend>勾选要归类的关切</legend>
        {concerns.map((cn) => (
          <label for={`ug-${cn.id}`} data-ungrouped-concern={cn.id}>
            <input type="checkbox" id={`ug-${cn.id}`} name="concernIds" value={cn.id} /> {short(cn.text)}
            <span class="meta">
              {PLATFORM_LABELS[cn.source.platform] ?? cn.source.platform} · {STATUS_LABELS[cn.status]} · <a href={concernHref(cn)}>详情</a>
            </span>
          </label>
        ))}
      </fieldset>
      <div class="row">
        <label for="ug-title">新建分组</label>
        <input id="ug-title" name="title" maxlength={100} class="grow" placeholder="新分组标题" />
        <button type="submit" name="mode" value="new">
          新建分组
        </button>
      </div>
      {groups.length > 0 && (
        <div class="row">
          <label for="ug-to">加入已有分组</label>
          <select id="ug-to" name="to" class="grow">
            {groups.map((g) => (
              <option value={g.id}>{`${g.title}（${g.concernIds.length} 条）`}</option>
            ))}
          </select>
          <button type="submit" name="mode" value="add">
            加入分组
          </button>
        </div>
      )}
    </form>
  );
}

/** The last step of the week the user can take back. */
export function UndoBar({ undo, week, csrf }: { undo: GroupUndo; week: string; csrf: string }) {
  return (
    <form method="post" action={`/workbench/groups/undo/${undo.id}?week=${week}`} class="row card" data-undo={undo.id}>
      <Csrf token={csrf} />
      <span class="grow">最近的操作：{undo.label}</span>
      <button type="submit">撤销</button>
    </form>
  );
}
