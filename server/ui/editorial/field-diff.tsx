/** @jsxImportSource hono/jsx */
import type { Item, Revision } from '../../content/schema.ts';
import type { KindRegistry } from '../../kinds/types.ts';
import { fieldLabel, valueWord, wordFor } from '../../editorial/fields.ts';
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

/** Any value as readable lines: objects as “名称：值”, lists one entry per line, known values in Chinese. */
function readable(value: unknown, key = ''): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v, i) => (v && typeof v === 'object' ? `${i + 1}. ${readable(v)}` : readable(v, key))).join('\n');
  if (typeof value === 'object') {
    return Object.entries(value as Content)
      .filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => `${wordFor(k)}：${v && typeof v === 'object' ? `\n${readable(v, k)}` : readable(v, k)}`)
      .join('\n');
  }
  return valueWord(key, String(value));
}

/** A cover crop in words: aspect, rectangle and focal point. */
function cropText(value: unknown): string {
  if (!value || typeof value !== 'object') return '';
  const c = value as { aspect?: string; x?: number; y?: number; width?: number; height?: number; focusX?: number; focusY?: number };
  const pct = (v: number | undefined) => `${Math.round((v ?? 0.5) * 100)}%`;
  return `${c.aspect === 'free' ? '自由比例' : c.aspect}，从 (${c.x}, ${c.y}) 起 ${c.width}×${c.height} 像素，焦点 横 ${pct(c.focusX)} 纵 ${pct(c.focusY)}`;
}

/** The shared editable fields and the kind's own (from its update schema), in the order the editor shows them. */
export function fieldTexts(item: Content & { title: string }, ownFields: string[]): FieldText[] {
  const variants = (item.variants ?? {}) as { wechat?: { title?: string; digest?: string }; weibo?: { text?: string } };
  const out: FieldText[] = [
    { key: 'title', label: '标题', text: item.title },
    { key: 'summary', label: '摘要', text: str(item.summary) },
    { key: 'tags', label: '标签', text: arr<string>(item.tags).join('，') },
    { key: 'cover', label: '封面图', text: str(item.cover) },
    { key: 'coverCrop', label: '封面裁剪', text: cropText(item.coverCrop) },
    { key: 'wechatTitle', label: '微信标题', text: variants.wechat?.title ?? '' },
    { key: 'wechatDigest', label: '微信摘要', text: variants.wechat?.digest ?? '' },
    { key: 'weiboText', label: '微博正文', text: variants.weibo?.text ?? '' },
  ];
  for (const key of ownFields) {
    const value = item[key];
    if (value === undefined) continue;
    // a list of records (claims, scenes) diffs entry by entry; anything else as one field
    if (Array.isArray(value) && value.some((v) => v && typeof v === 'object')) value.forEach((v, i) => out.push({ key: `${key}.${i}`, label: fieldLabel(`${key}.${i}`) || `${wordFor(key)} ${i + 1}`, text: readable(v) }));
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value as Content)) {
        if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) v.forEach((x, i) => out.push({ key: `${key}.${sub}.${i}`, label: fieldLabel(`${key}.${sub}.${i}`) || `${wordFor(sub)} ${i + 1}`, text: readable(x) }));
        else out.push({ key: `${key}.${sub}`, label: `${fieldLabel(key) || wordFor(key)} · ${wordFor(sub)}`, text: readable(v, sub) });
      }
    } else out.push({ key, label: fieldLabel(key) || wordFor(key), text: readable(value, key) });
  }
  return out;
}

interface Row {
  label: string;
  segments: Segment[];
  changed: boolean;
}

/** Field-by-field comparison: every field of either version, changed ones with an inline diff. */
export function diffFields(base: Revision | undefined, item: Item, kinds: Pick<KindRegistry, 'find'>): Row[] | undefined {
  if (!base?.content) return undefined;
  const own = Object.keys(kinds.find(item.kind)?.schemas.update ?? {});
  const before = fieldTexts({ ...base.content, title: base.title }, own);
  const after = fieldTexts(item as unknown as Content & { title: string }, own);
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
