import { z } from 'zod';
import { OrgIdSchema } from '../orgs/schema.ts';
import { validateDoc, type TiptapDoc } from './tiptap.ts';

export const ITEM_STATUSES = ['draft', 'in-review', 'changes-requested', 'approved', 'published', 'retracted'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const STATUS_LABELS: Record<ItemStatus, string> = {
  draft: '草稿',
  'in-review': '待审核',
  'changes-requested': '退回修改',
  approved: '已通过',
  published: '已发布',
  retracted: '已撤回',
};

/** An http(s) or site-relative URL. */
export const SafeUrlSchema = z.string().trim().max(2000).regex(/^(https?:\/\/|\/(?!\/))/i, '只允许 http(s) 或站内相对地址');

/** A tiptap JSON document, checked deeply against the allowed nodes, marks and URLs. */
export const BodySchema = z
  .looseObject({ type: z.literal('doc', '正文根节点应为 doc'), content: z.array(z.unknown()).optional() })
  .superRefine((doc, ctx) => {
    for (const issue of validateDoc(doc, '')) ctx.addIssue({ code: 'custom', path: issue.path ? issue.path.split('.').filter(Boolean) : [], message: issue.message });
  })
  .meta({ description: 'tiptap JSON 文档（StarterKit + link + image）' }) as unknown as z.ZodType<TiptapDoc>;

export const TagsSchema = z.array(z.string().trim().min(1).max(20, '标签最多 20 个字')).max(10, '最多 10 个标签');

export const VariantsSchema = z.object({
  wechat: z.object({ title: z.string().max(64).optional(), digest: z.string().max(256).optional() }).optional(),
  weibo: z.object({ text: z.string().max(2000).optional() }).optional(),
});

export const HistoryEntrySchema = z.object({
  at: z.string(),
  actorId: z.string(),
  from: z.enum(ITEM_STATUSES).nullable(),
  to: z.enum(ITEM_STATUSES),
  comment: z.string().optional(),
});

/** Fields an editor writes, shared by every kind. */
export const EditableFields = {
  title: z.string().trim().min(1, '标题不能为空').max(100, '标题最多 100 个字'),
  summary: z.string().trim().max(300, '摘要最多 300 个字').default(''),
  body: BodySchema,
  tags: TagsSchema.default([]),
  groupIds: z.array(z.string().max(80)).max(50).default([]),
  cover: z.string().max(500).optional(),
  variants: VariantsSchema.default({}),
};

/** Fields the system keeps on every item. */
export const RecordFields = {
  id: z.string(),
  slug: z.string(),
  orgId: OrgIdSchema,
  authorId: z.string(),
  lastEditorId: z.string(),
  status: z.enum(ITEM_STATUSES),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().optional(),
  corrections: z.array(z.object({ at: z.string(), note: z.string() })).default([]),
  retraction: z.object({ at: z.string(), note: z.string() }).optional(),
  history: z.array(HistoryEntrySchema).default([]),
};

/**
 * The kinds, filled in by the kind modules (server/kinds/<kind>/) through declaration merging:
 * `declare module '../../content/schema.ts' { interface ItemKinds { video: { item: VideoItem; create: CreateVideo } } }`.
 * Content never imports a kind; the union types below grow as kinds are registered.
 */
export interface ItemKinds {}
type KindPart<P extends string> = { [K in keyof ItemKinds]: ItemKinds[K] extends Record<P, infer V> ? V : never }[keyof ItemKinds];
/** A stored item of any registered kind (a union narrowed by `kind`). */
export type Item = KindPart<'item'>;
export type ItemKind = Item['kind'];
/** Create input of any registered kind (the API validates it with the registry's union schema). */
export type CreateItem = KindPart<'create'>;

/** The record as content sees it, whatever the kind: every shared field, the kind's own fields kept as they are. */
export const ItemRecordSchema = z.looseObject({ kind: z.string(), ...EditableFields, ...RecordFields });
/** Create input shared by every kind; a kind's create schema extends it with a `kind` literal and its own fields. */
export const CreateItemBaseFields = { orgId: OrgIdSchema.optional(), ...EditableFields };

/**
 * A partial edit of the shared fields; `version` is required (optimistic concurrency), `correction` is
 * required when the item is published. The API's schema adds every registered kind's own update fields.
 */
export const UpdateItemBaseFields = {
  version: z.number().int().positive(),
  title: EditableFields.title.optional(),
  summary: z.string().trim().max(300, '摘要最多 300 个字').optional(),
  body: BodySchema.optional(),
  tags: TagsSchema.optional(),
  groupIds: z.array(z.string().max(80)).max(50).optional(),
  cover: z.string().max(500).nullable().optional(),
  variants: VariantsSchema.optional(),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, '只允许小写字母、数字和 -').optional(),
  correction: z.string().trim().min(1).max(500).optional(),
};
export const UpdateItemBaseSchema = z.object(UpdateItemBaseFields);
/** An edit: the shared fields plus the item kind's own (checked against the kind by the content service). */
export type UpdateItem = z.infer<typeof UpdateItemBaseSchema> & { [field: string]: unknown };

export const TransitionSchema = z.object({
  to: z.enum(ITEM_STATUSES),
  comment: z.string().trim().max(1000).optional(),
  version: z.number().int().positive().optional(),
});
export type Transition = z.infer<typeof TransitionSchema>;

export const ListItemsQuerySchema = z.object({
  kind: z.string().optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  org: z.string().optional(),
  author: z.string().optional(),
  tag: z.string().optional(),
  q: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListItemsQuery = z.infer<typeof ListItemsQuerySchema>;

/** A stored copy of an item's content at a moment (every save and transition). */
export const RevisionSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  itemVersion: z.number().int(),
  status: z.enum(ITEM_STATUSES),
  title: z.string(),
  body: z.unknown(),
  actorId: z.string(),
  reason: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Revision = z.infer<typeof RevisionSchema> & { body: TiptapDoc };
