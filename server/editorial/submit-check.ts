import { ValidationError, type Issue } from '../errors.ts';
import type { Item } from '../content/schema.ts';
import type { KindRegistry } from '../kinds/types.ts';
import { channelIssues } from '../channels/rules.ts';
import { locateIssue } from './fields.ts';

interface ZodIssueLike {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
}

/** zod's own English messages (no custom one given) in Chinese. */
function chineseMessage(issue: ZodIssueLike): string {
  if (/[\u4e00-\u9fff]/.test(issue.message)) return issue.message;
  const unit = issue.origin === 'array' ? '项' : '个字';
  if (issue.code === 'too_small') return Number(issue.minimum) <= 1 && issue.origin !== 'array' ? '不能为空' : `至少 ${issue.minimum} ${unit}`;
  if (issue.code === 'too_big') return `最多 ${issue.maximum} ${unit}`;
  if (issue.code === 'invalid_type') return '缺少或格式不对';
  if (issue.code === 'invalid_value' || issue.code === 'invalid_enum_value') return '取值不在可选范围内';
  return '格式不对';
}

const valueAt = (item: unknown, path: ReadonlyArray<PropertyKey>) => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), item);

/**
 * Everything that keeps an item from going to review: the strict schema of its kind (drafts are
 * saved leniently) and the channel rules. Messages name the field in Chinese (“说法 1 · 来源第 2 行缺少网址”).
 */
export function submitIssues(item: Item, { kinds, channels = true, warnings = false }: { kinds: Pick<KindRegistry, 'get'>; channels?: boolean; warnings?: boolean }): Issue[] {
  const issues: Issue[] = [];
  const parsed = kinds.get(item.kind).schemas.item.safeParse(item);
  if (!parsed.success) {
    for (const z of parsed.error.issues as unknown as ZodIssueLike[]) {
      const path = z.path.map(String).join('.');
      issues.push(locateIssue({ path, message: chineseMessage(z) }, valueAt(item, z.path)));
    }
  }
  if (channels) {
    for (const c of channelIssues(item)) {
      if ((c.warning && !warnings) || issues.some((i) => i.path === c.path)) continue;
      issues.push({ path: c.path, message: c.message });
    }
  }
  return issues;
}

/** Refuses (400, naming the first field) an item that is not ready for review. */
export function assertReadyForReview(item: Item, options: { kinds: Pick<KindRegistry, 'get'>; channels?: boolean }): void {
  const issues = submitIssues(item, options);
  if (issues.length) throw new ValidationError(issues);
}
