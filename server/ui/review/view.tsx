/** @jsxImportSource hono/jsx */
import type { BlockDiff, Segment } from './diff.ts';
import { diffStats } from './diff.ts';

function Segments({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s) => (s.op === 'insert' ? <ins>{s.text}</ins> : s.op === 'delete' ? <del>{s.text}</del> : <>{s.text}</>))}
    </>
  );
}

const OP_LABELS = { equal: '未改', insert: '新增', delete: '删除', change: '修改' } as const;

/** A block diff with insertions and deletions marked (and labelled for screen readers). */
export function DiffView({ diff, caption }: { diff: BlockDiff[]; caption: string }) {
  const stats = diffStats(diff);
  return (
    <section class="diff card" aria-labelledby="diff-title">
      <h2 id="diff-title">正文改动</h2>
      <p class="meta" data-diff-summary>
        {caption}：新增 {stats.inserted} 段，删除 {stats.deleted} 段，修改 {stats.changed} 段。
        <span class="legend">
          <ins>新增的文字</ins> <del>删除的文字</del>
        </span>
      </p>
      <ol class="diff-blocks">
        {diff.map((d) => (
          <li class={`diff-${d.op}`} data-op={d.op}>
            <span class="diff-kind">
              {OP_LABELS[d.op]} · {d.op === 'change' ? d.kind : d.block.kind}
            </span>
            <div class="diff-text">{d.op === 'change' ? <Segments segments={d.segments} /> : d.op === 'insert' ? <ins>{d.block.text}</ins> : d.op === 'delete' ? <del>{d.block.text}</del> : d.block.text}</div>
          </li>
        ))}
      </ol>
      {diff.length === 0 && <p class="empty">正文为空。</p>}
    </section>
  );
}

/** The title diff on one line. */
export function TitleDiff({ segments }: { segments: Segment[] }) {
  return (
    <p class="title-diff">
      <span class="label">标题：</span>
      <Segments segments={segments} />
    </p>
  );
}
