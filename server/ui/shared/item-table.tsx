/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { STATUS_LABELS, type Item } from '../../content/schema.ts';
import { formatTime, type Lookups } from './lookups.ts';

type Row = Pick<Item, 'id' | 'kind' | 'status' | 'orgId' | 'authorId' | 'updatedAt'>;

/** The items table of the list page and the review queue; the title cell is the caller's. */
export function ItemTable<T extends Row>({ caption, timeLabel, items, names, kindLabel, title }: { caption: string; timeLabel: string; items: T[]; names: Lookups; kindLabel: (kind: string) => string; title: (item: T) => Child }) {
  return (
    <table class="list">
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">标题</th>
          <th scope="col">类型</th>
          <th scope="col">状态</th>
          <th scope="col">组织</th>
          <th scope="col">作者</th>
          <th scope="col">{timeLabel}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr>
            <td>{title(item)}</td>
            <td>{kindLabel(item.kind)}</td>
            <td>
              <span class={`status status-${item.status}`}>{STATUS_LABELS[item.status]}</span>
            </td>
            <td>{names.orgName(item.orgId)}</td>
            <td>{names.userName(item.authorId)}</td>
            <td>{formatTime(item.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
