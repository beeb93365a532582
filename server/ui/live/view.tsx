/** @jsxImportSource hono/jsx */
import type { LiveUpdate, Question } from '../../kinds/live/updates-schema.ts';
import { UPDATE_TYPE_LABELS, UPDATE_TYPES, UPDATE_STATE_LABELS } from '../../kinds/live/updates-schema.ts';
import { docText, type TiptapDoc } from '../../content/tiptap.ts';
import { formatTime } from '../shared/lookups.ts';
import { Csrf } from '../shared/form-card.tsx';

/** `5 分钟前`: how long an update has waited (reviewers publish the oldest first). */
export function age(seconds: number): string {
  if (seconds < 60) return `${seconds} 秒前`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} 分钟前`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} 小时前`;
  return `${Math.floor(seconds / 86400)} 天前`;
}

/** One paragraph per line of a plain textarea. */
export const paragraphsOf = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
export const linesOf = (doc: TiptapDoc | undefined) => (doc?.content ?? []).map((n) => docText(n)).join('\n');


/** A one-button form (publish, accept, …). */
export function ActionButton({ action, csrf, label, fields = {}, danger }: { action: string; csrf: string; label: string; fields?: Record<string, string>; danger?: boolean }) {
  return (
    <form method="post" action={action} class="inline">
      <Csrf token={csrf} />
      {Object.entries(fields).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class={danger ? 'link-button' : undefined}>
        {label}
      </button>
    </form>
  );
}

export function UpdateText({ u }: { u: LiveUpdate }) {
  return (
    <>
      {u.question && (
        <p class="meta">
          网友{u.question.nickname ? `「${u.question.nickname}」` : ''}问：{u.question.text}
        </p>
      )}
      {u.clarification && (
        <p class="meta">
          网传：{u.clarification.claim}
          {u.clarification.verdict ? ` · 结论：${u.clarification.verdict}` : ''}
          {u.clarification.guideUrl ? ` · 攻略：${u.clarification.guideUrl}` : ''}
        </p>
      )}
      <p>{docText(u.body as TiptapDoc)}</p>
      {u.answeredBy && <p class="meta">答问：{u.answeredBy}</p>}
    </>
  );
}

export function PendingUpdate({ u, base, csrf, canPublish, reason }: { u: LiveUpdate & { ageSeconds: number }; base: string; csrf: string; canPublish: boolean; reason: string | undefined }) {
  return (
    <li class="card" data-update={u.id}>
      <p class="meta">
        <strong>{UPDATE_TYPE_LABELS[u.type]}</strong> · {u.authorName} · 等待 <span data-age={String(u.ageSeconds)}>{age(u.ageSeconds)}</span>
      </p>
      <UpdateText u={u} />
      <div class="buttons">
        {canPublish ? <ActionButton action={`${base}/updates/${u.id}/publish`} csrf={csrf} label="发布" fields={{ version: String(u.version) }} /> : reason && <span class="meta">{reason}</span>}
        <ActionButton action={`${base}/updates/${u.id}/withdraw`} csrf={csrf} label="删除此待发布更新" fields={{ version: String(u.version) }} danger />
      </div>
    </li>
  );
}

export function PublishedUpdate({ u, base, csrf, canCorrect, canWithdraw }: { u: LiveUpdate; base: string; csrf: string; canCorrect: boolean; canWithdraw: boolean }) {
  return (
    <li class="card" data-update={u.id}>
      <p class="meta">
        #{u.seq} <strong>{UPDATE_TYPE_LABELS[u.type]}</strong> · {UPDATE_STATE_LABELS[u.state]} {formatTime(u.publishedAt)} · {u.authorName}
        {u.state === 'published' && (
          <>
            {' '}
            · <a href={`/api/items/${u.itemId}/updates/${u.id}/export/weibo`}>微博文案</a>
          </>
        )}
      </p>
      {u.state === 'withdrawn' ? <p class="note">已撤回（{formatTime(u.withdrawal?.at)}）：{u.withdrawal?.note}</p> : <UpdateText u={u} />}
      {u.corrections.map((c) => (
        <p class="note">
          已更正（{formatTime(c.at)}）：{c.note}
        </p>
      ))}
      {u.state === 'published' && (canCorrect || canWithdraw) && (
        <details>
          <summary>更正或撤回</summary>
          {canCorrect && (
            <form method="post" action={`${base}/updates/${u.id}/correct`} class="stack">
              <Csrf token={csrf} />
              <input type="hidden" name="version" value={String(u.version)} />
              <label for={`fix-${u.id}`}>更正后的内容</label>
              <textarea id={`fix-${u.id}`} name="text" rows={3} required>
                {docText(u.body as TiptapDoc)}
              </textarea>
              <label for={`note-${u.id}`}>公开的更正说明（页面显示“已更正”）</label>
              <input id={`note-${u.id}`} name="correction" required maxlength={300} />
              <button type="submit">提交更正</button>
            </form>
          )}
          {canWithdraw && (
            <form method="post" action={`${base}/updates/${u.id}/withdraw`} class="stack">
              <Csrf token={csrf} />
              <input type="hidden" name="version" value={String(u.version)} />
              <label for={`wd-${u.id}`}>公开的撤回说明</label>
              <input id={`wd-${u.id}`} name="comment" required maxlength={300} />
              <button type="submit">撤回此更新</button>
            </form>
          )}
        </details>
      )}
    </li>
  );
}

/** The form for a new update; a guest only answers, so the type is fixed for them. */
export function NewUpdateForm({ base, csrf, guest, qa, answerable }: { base: string; csrf: string; guest: boolean; qa: boolean; answerable: Question[] }) {
  const types = guest ? (['answer'] as const) : UPDATE_TYPES;
  return (
    <form method="post" action={`${base}/updates`} class="stack card">
      <Csrf token={csrf} />
      <label for="lu-type">类型</label>
      <select id="lu-type" name="type">
        {types.map((t) => (
          <option value={t} selected={qa && t === 'answer'}>
            {UPDATE_TYPE_LABELS[t]}
          </option>
        ))}
      </select>
      <label for="lu-text">内容（简短，每行一段）</label>
      <textarea id="lu-text" name="text" rows={4} required maxlength={2000}></textarea>
      <details>
        <summary>辟谣、答问和时间（按需填写）</summary>
        <label for="lu-claim">辟谣：网传说法</label>
        <input id="lu-claim" name="claim" maxlength={300} />
        <label for="lu-verdict">辟谣：结论</label>
        <select id="lu-verdict" name="verdict">
          <option value="">（链接攻略时可不选）</option>
          <option value="false">谣言</option>
          <option value="misleading">误导</option>
          <option value="unproven">未经证实</option>
          <option value="true">属实</option>
        </select>
        <label for="lu-guide">辟谣：谣言识破攻略地址</label>
        <input id="lu-guide" name="guideUrl" placeholder="/rumors/…/" maxlength={500} />
        <label for="lu-question">答问：回答的问题</label>
        <select id="lu-question" name="questionId">
          <option value="">（不引用问题）</option>
          {answerable.map((q) => (
            <option value={q.id}>{q.text.slice(0, 40)}</option>
          ))}
        </select>
        <label for="lu-by">答问嘉宾（默认为你的姓名）</label>
        <input id="lu-by" name="answeredBy" maxlength={60} />
        <label for="lu-at">发生时间（默认现在）</label>
        <input id="lu-at" name="at" type="datetime-local" />
      </details>
      <button type="submit">提交（待审核人员发布）</button>
    </form>
  );
}

export function QuestionRow({ q, base, csrf, canModerate }: { q: Question; base: string; csrf: string; canModerate: boolean }) {
  return (
    <li class="card" data-question={q.id}>
      <p class="meta">
        {q.nickname ?? '匿名网友'} · {formatTime(q.createdAt)}
      </p>
      <p>{q.text}</p>
      {canModerate && (
        <div class="buttons">
          {q.state !== 'accepted' && <ActionButton action={`${base}/questions/${q.id}/accepted`} csrf={csrf} label="采纳" />}
          {q.state !== 'rejected' && <ActionButton action={`${base}/questions/${q.id}/rejected`} csrf={csrf} label="不采纳" danger />}
        </div>
      )}
    </li>
  );
}
