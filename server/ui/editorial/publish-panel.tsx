/** @jsxImportSource hono/jsx */
import type { Item } from '../../content/schema.ts';
import type { Deps } from '../../context.ts';
import { itemPath } from '../../content/snapshot.ts';
import { cardPath } from '../../publish/body-html.ts';
import { formatTime } from '../shared/lookups.ts';

/** `datetime-local` value in China time for an ISO instant. */
export function chinaLocalInput(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}

/**
 * What happens after approval: a publishing time (定时发布, cancellable), and once published the
 * public link (checked by the page until it answers) and the channel buttons.
 */
export function PublishPanel({ item, canPublish, csrf, back, now, deps }: { item: Item; canPublish: boolean; csrf: string; back: string; now: Date; deps: Pick<Deps, 'kinds'> }) {
  if (item.status === 'approved') {
    if (!item.scheduledAt && !canPublish) return null;
    return (
      <section class="card publish-panel" aria-labelledby="schedule-title">
        <h2 id="schedule-title">定时发布</h2>
        {item.scheduledAt ? (
          <>
            <p data-scheduled>
              <span class="status status-scheduled">定时发布</span> <time datetime={item.scheduledAt}>{formatTime(item.scheduledAt)}</time>（北京时间）
            </p>
            {canPublish && (
              <form method="post" action={`/workbench/items/${item.id}/unschedule`}>
                <input type="hidden" name="_csrf" value={csrf} />
                <input type="hidden" name="version" value={String(item.version)} />
                <input type="hidden" name="back" value={back} />
                <button type="submit">取消定时</button>
              </form>
            )}
          </>
        ) : (
          <form method="post" action={`/workbench/items/${item.id}/schedule`} class="stack">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="version" value={String(item.version)} />
            <input type="hidden" name="back" value={back} />
            <label for="schedule-at">发布时间（北京时间）</label>
            <input type="datetime-local" id="schedule-at" name="at" required min={chinaLocalInput(now)} value={chinaLocalInput(new Date(now.getTime() + 3_600_000))} />
            <button type="submit">设定时间</button>
          </form>
        )}
      </section>
    );
  }
  if (item.status !== 'published') return null;
  const path = itemPath(item, deps);
  return (
    <section class="card publish-panel" aria-labelledby="published-title" data-publish-panel data-item-id={item.id}>
      <h2 id="published-title">发布</h2>
      <p data-publish-status data-url={path} role="status" aria-live="polite">
        已发布，正在等待公开页面生成…
      </p>
      <div class="buttons channel-buttons">
        <button type="button" data-copy-wechat>
          复制到公众号
        </button>
        <a class="button" href={`/workbench/items/${item.id}/wechat-package`} download>
          下载微信包
        </a>
        <button type="button" data-copy-weibo>
          复制微博文案
        </button>
        <a class="button" href={cardPath(item.id)} download={`${item.slug}.jpg`}>
          下载分享图
        </a>
      </div>
      <p class="meta" data-channel-status role="status" aria-live="polite"></p>
    </section>
  );
}
