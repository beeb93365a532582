/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Deps } from '../../context.ts';
import { hasRole } from '../../auth/permissions.ts';
import { isoWeekOf, nextWeek, previousWeek, weekRange } from '../../concerns/week.ts';
import { IsoWeekSchema } from '../../concerns/schema.ts';
import type { User } from '../../users/schema.ts';

/** Shared bits of the concerns pages (网民关切): sub navigation, selects, week and percent formatting. */

export const concernHref = (c: { id: string }) => `/workbench/concerns/${c.id}`;
export const groupsHref = (week: string) => `/workbench/groups?week=${encodeURIComponent(week)}`;
export const ESCALATED_HREF = '/workbench/groups/escalated';
export const reportHref = (org: string, week: string) => `/workbench/reports?${new URLSearchParams({ org, week })}`;

/** The requested ISO week if valid, else the current week of the clock. */
export function pickWeek(deps: Deps, raw: string | undefined): string {
  return raw && IsoWeekSchema.safeParse(raw).success ? raw : isoWeekOf(deps.clock());
}

export const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

export const canLog = (user: User) => hasRole(user, 'reporter') || hasRole(user, 'editor') || hasRole(user, 'admin');
export const canEdit = (user: User) => hasRole(user, 'editor') || hasRole(user, 'admin');

type SubKey = 'list' | 'import' | 'groups' | 'escalated' | 'reports';

/** Links between the concerns pages. */
export function ConcernsNav({ current, week }: { current: SubKey; week: string }) {
  const link = (key: SubKey, href: string, label: string) => (
    <li>
      <a href={href} aria-current={current === key ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav class="subnav" aria-label="网民关切">
      <ul>
        {link('list', `/workbench/concerns?week=${week}`, '关切登记')}
        {link('import', '/workbench/concerns/import', '批量导入')}
        {link('groups', groupsHref(week), '每周会办')}
        {link('escalated', ESCALATED_HREF, '下级上报')}
        {link('reports', `/workbench/reports?week=${week}`, '网情民意周报')}
      </ul>
    </nav>
  );
}

/** A labelled select; `all` adds an empty first option with that text. */
export function Select({ id, name, label, options, value, all, required }: { id: string; name: string; label: string; options: [string, string][]; value?: string | undefined; all?: string; required?: boolean }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} required={required}>
        {all !== undefined && <option value="">{all}</option>}
        {options.map(([v, text]) => (
          <option value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A week picker (ISO week text, e.g. 2026-W48) with a submit button. */
export function WeekField({ value, id = 'f-week', optional }: { value: string; id?: string; optional?: boolean }) {
  return (
    <div class="field">
      <label for={id}>{optional ? '周（如 2026-W48，留空为全部）' : '周（ISO 周，如 2026-W48）'}</label>
      <input id={id} name="week" value={value} pattern="\d{4}-W\d{2}" required={!optional} />
    </div>
  );
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** ‹ 上一周 · this week's dates · 下一周 › : moving between weeks without typing 2026-W49. */
export function WeekArrows({ week, href }: { week: string; href: (week: string) => string }) {
  const range = weekRange(week);
  return (
    <nav class="week-arrows row" aria-label="切换周" data-week-arrows>
      <a href={href(previousWeek(week))} rel="prev">
        ‹ 上一周
      </a>
      <span>
        {week}（{range.monday} 至 {range.sunday}）
      </span>
      <a href={href(nextWeek(week))} rel="next">
        下一周 ›
      </a>
    </nav>
  );
}

/** A field error shown next to a form (role=alert so screen readers announce it). */
export function FormError({ message }: { message?: string | undefined }): Child {
  return message ? (
    <p class="flash flash-error" role="alert" id="form-error">
      {message}
    </p>
  ) : null;
}
