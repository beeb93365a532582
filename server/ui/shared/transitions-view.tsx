/** @jsxImportSource hono/jsx */
import type { Item } from '../../content/schema.ts';
import type { User } from '../../users/schema.ts';
import { hasRole } from '../../auth/permissions.ts';

export interface TransitionChoice {
  to: string;
  label: string;
  comment: boolean;
}

/**
 * The review-flow buttons: exactly the steps allowedTransitions offers this user (the API checks
 * again). Steps that need a comment share one comment box.
 */
export function TransitionForms({ item, transitions, csrf, back, user, reviewers = [] }: { item: Item; transitions: TransitionChoice[]; csrf: string; back: string; user: User; reviewers?: Pick<User, 'id' | 'displayName' | 'username'>[] }) {
  const fourEyes = hasRole(user, 'reviewer') && item.status === 'in-review' && (item.authorId === user.id || item.lastEditorId === user.id);
  const needsComment = transitions.some((t) => t.comment);
  return (
    <section class="transitions card" aria-labelledby="transitions-title">
      <h2 id="transitions-title">流转</h2>
      {fourEyes && (
        <p class="note" data-four-eyes>
          四眼原则：你撰写或最后修改了这篇稿件，不能由你审核通过，请其他审核人员审核。
        </p>
      )}
      {transitions.length === 0 ? (
        <p class="empty">当前状态下你没有可做的流转。</p>
      ) : (
        <form method="post" action={`/workbench/items/${item.id}/transition`} class="stack transition-form" data-transition-form>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="version" value={String(item.version)} />
          <input type="hidden" name="back" value={back} />
          {transitions.some((t) => t.to === 'in-review') && (
            <>
              <label for="transition-assignee">提交给</label>
              <select id="transition-assignee" name="assigneeId">
                <option value="">本组织审核队列（任一审核人员）</option>
                {reviewers.map((r) => (
                  <option value={r.id}>
                    {r.displayName}（{r.username}）
                  </option>
                ))}
              </select>
            </>
          )}
          {needsComment && (
            <>
              <label for="transition-comment">审核意见（退回、撤回时必填）</label>
              <textarea id="transition-comment" name="comment" rows={3} maxlength={1000}></textarea>
            </>
          )}
          <div class="buttons">
            {transitions.map((t) => (
              <button type="submit" name="to" value={t.to} class={t.to === 'approved' || t.to === 'published' || t.to === 'in-review' ? 'primary' : t.comment ? 'danger' : ''} data-needs-comment={t.comment ? '1' : undefined}>
                {t.label}
              </button>
            ))}
          </div>
        </form>
      )}
    </section>
  );
}
