/** @jsxImportSource hono/jsx */
import { VERDICT_LABELS, type Item, type Revision } from '../../content/schema.ts';
import { diffText, type Segment } from '../review/diff.ts';

/** One field of an item as text, for the field-by-field diff. */
interface FieldText {
  key: string;
  label: string;
  text: string;
}

type Content = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const arr = <T,>(v: unknown) => (Array.isArray(v) ? (v as T[]) : []);

/** The editable fields besides the body, in the order the editor shows them. */
export function fieldTexts(item: Content & { title: string; kind: string }): FieldText[] {
  const variants = (item.variants ?? {}) as { wechat?: { title?: string; digest?: string }; weibo?: { text?: string } };
  const out: FieldText[] = [
    { key: 'title', label: '标题', text: item.title },
    { key: 'summary', label: '摘要', text: str(item.summary) },
    { key: 'tags', label: '标签', text: arr<string>(item.tags).join('，') },
    { key: 'cover', label: '封面图', text: str(item.cover) },
    { key: 'wechatTitle', label: '微信标题', text: variants.wechat?.title ?? '' },
    { key: 'wechatDigest', label: '微信摘要', text: variants.wechat?.digest ?? '' },
    { key: 'weiboText', label: '微博正文', text: variants.weibo?.text ?? '' },
  ];
  if (item.kind === 'rumor-guide') {
    const claims = arr<{ claim?: string; verdict?: string; evidence?: string; sources?: { name?: string; url?: string }[] }>(item.claims);
    claims.forEach((c, i) =>
      out.push({
        key: `claims.${i}`,
        label: `说法 ${i + 1}`,
        text: [`${c.claim ?? ''}【${VERDICT_LABELS[c.verdict as keyof typeof VERDICT_LABELS] ?? c.verdict ?? ''}】`, `依据：${c.evidence ?? ''}`, ...(c.sources ?? []).map((s, j) => `来源 ${j + 1}：${s.name ?? ''} ${s.url ?? ''}`)].join('\n'),
      }),
    );
    out.push({ key: 'tips', label: '识别技巧', text: arr<string>(item.tips).join('\n') });
  }
  if (item.kind === 'video' && item.storyboard) {
    const board = item.storyboard as { format?: string; transition?: string; scenes?: { text?: string; seconds?: number; image?: string }[]; music?: { src?: string } };
    out.push({ key: 'storyboard.format', label: '分镜 · 画幅与转场', text: `${board.format ?? ''} · ${board.transition ?? ''}${board.music?.src ? ` · 配乐 ${board.music.src}` : ''}` });
    (board.scenes ?? []).forEach((s, i) => out.push({ key: `storyboard.scenes.${i}`, label: `分镜 ${i + 1}`, text: `${s.text ?? ''}（${s.seconds ?? 0} 秒${s.image ? `，图 ${s.image}` : ''}）` }));
  }
  return out;
}

interface Row {
  label: string;
  segments: Segment[];
  changed: boolean;
}

/** Field-by-field comparison: every field of either version, changed ones with an inline diff. */
export function diffFields(base: Revision | undefined, item: Item): Row[] | undefined {
  if (!base?.content) return undefined;
  const before = fieldTexts({ ...base.content, title: base.title, kind: item.kind });
  const after = fieldTexts(item as unknown as Content & { title: string; kind: string });
  const keys = [...new Set([...after.map((f) => f.key), ...before.map((f) => f.key)])];
  return keys.map((key) => {
    const a = before.find((f) => f.key === key);
    const b = after.find((f) => f.key === key);
    const label = (b ?? a)!.label;
    const x = a?.text ?? '';
    const y = b?.text ?? '';
    return { label, segments: x === y ? [{ op: 'equal', text: y }] : diffText(x, y), changed: x !== y };
  });
}

function Segments({ segments }: { segments: Segment[] }) {
  return <>{segments.map((s) => (s.op === 'insert' ? <ins>{s.text}</ins> : s.op === 'delete' ? <del>{s.text}</del> : <>{s.text}</>))}</>;
}

/** The field diff card: changed fields first with their inline diff, then the unchanged ones. */
export function FieldDiff({ rows, caption }: { rows: Row[] | undefined; caption: string }) {
  const changed = rows?.filter((r) => r.changed) ?? [];
  const same = rows?.filter((r) => !r.changed && r.segments.some((s) => s.text)) ?? [];
  return (
    <section class="card field-diff" aria-labelledby="field-diff-title" data-field-diff>
      <h2 id="field-diff-title">字段改动</h2>
      {!rows ? (
        <p class="empty">对比的版本没有记录标题和正文以外的字段（较早的修订）。</p>
      ) : (
        <>
          <p class="meta" data-field-diff-summary>
            {caption}：{changed.length ? `改动了 ${changed.length} 个字段（${changed.map((r) => r.label).join('、')}）` : '标题、摘要、标签、封面、渠道版本等字段都没有改动'}。
          </p>
          <dl class="field-rows">
            {changed.map((r) => (
              <div class="field-row changed" data-field={r.label}>
                <dt>{r.label}</dt>
                <dd class="diff-text">
                  <Segments segments={r.segments} />
                </dd>
              </div>
            ))}
          </dl>
          {same.length > 0 && (
            <details>
              <summary>未改动的字段（{same.length}）</summary>
              <dl class="field-rows">
                {same.map((r) => (
                  <div class="field-row">
                    <dt>{r.label}</dt>
                    <dd class="diff-text">{r.segments.map((s) => s.text).join('')}</dd>
                  </div>
                ))}
              </dl>
            </details>
          )}
        </>
      )}
    </section>
  );
}
