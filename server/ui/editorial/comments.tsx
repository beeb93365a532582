/** @jsxImportSource hono/jsx */
import type { Comment } from '../../comments/schema.ts';
import { formatTime, type Lookups } from '../shared/lookups.ts';

/**
 * The item's discussion: comments on the whole item and on passages of the body (the quote), open
 * or resolved. Selecting text in the site preview fills the quote (client script).
 */
export function CommentsPanel({ itemId, comments, names, csrf, back, canComment }: { itemId: string; comments: Comment[]; names: Lookups; csrf: string; back: string; canComment: boolean }) {
  const open = comments.filter((c) => c.status === 'open').length;
  return (
    <section class="card comments" aria-labelledby="comments-title" data-comments>
      <h2 id="comments-title">
        评论 <span class="count">{open}</span>
        <span class="sr-only">条未解决</span>
      </h2>
      {comments.length === 0 && <p class="empty">还没有评论。</p>}
      <ol class="comment-list">
        {comments.map((c) => (
          <li class={`comment comment-${c.status}`} data-comment-id={c.id} data-quote={c.quote ?? ''}>
            <p class="meta">
              {names.userName(c.authorId)} · <time datetime={c.createdAt}>{formatTime(c.createdAt)}</time> · {c.status === 'open' ? '未解决' : `已解决（${names.userName(c.resolvedBy ?? '')}）`}
            </p>
            {c.quote && <blockquote class="comment-quote">{c.quote}</blockquote>}
            <p class="comment-body">{c.body}</p>
            {canComment && (
              <form method="post" action={`/workbench/items/${itemId}/comments/${c.id}/status`} class="inline">
                <input type="hidden" name="_csrf" value={csrf} />
                <input type="hidden" name="version" value={String(c.version)} />
                <input type="hidden" name="back" value={back} />
                <input type="hidden" name="status" value={c.status === 'open' ? 'resolved' : 'open'} />
                <button type="submit" class="link-button">
                  {c.status === 'open' ? '标为已解决' : '重新打开'}
                </button>
              </form>
            )}
          </li>
        ))}
      </ol>
      {canComment && (
        <form method="post" action={`/workbench/items/${itemId}/comments`} class="stack comment-form" data-comment-form>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="back" value={back} />
          <div class="comment-quote-field" data-quote-box hidden>
            <span class="label">针对的段落：</span>
            <blockquote data-quote-text></blockquote>
            <button type="button" class="link-button" data-clear-quote>
              改为评论整篇
            </button>
          </div>
          <input type="hidden" name="quote" value="" />
          <label for="comment-body">发表评论（@用户名 提醒对方；在左侧网站预览中选中文字可针对该段落评论）</label>
          <textarea id="comment-body" name="body" rows={3} maxlength={2000} required></textarea>
          <button type="submit">发表评论</button>
        </form>
      )}
    </section>
  );
}
