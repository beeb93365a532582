import { z } from 'zod';
import { OrgIdSchema } from '../orgs/schema.ts';
import { validateDoc, type TiptapDoc } from './tiptap.ts';
import { CoverCropInputSchema, CoverCropSchema } from '../media/crop-schema.ts';
import { LINE_SAFE_MESSAGE, SafeUrlSchema as StrictUrlSchema, TagSchema, XML_SAFE_MESSAGE, lineSafe, xmlSafe } from '../security/fields.ts';

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

/** An http(s) or site-relative URL, by the one URL rule body links follow (security/url.ts). */
export const SafeUrlSchema = StrictUrlSchema;

/** A tiptap JSON document, checked deeply against the allowed nodes, marks and URLs. */
export const BodySchema = z
  .looseObject({ type: z.literal('doc', '正文根节点应为 doc'), content: z.array(z.unknown()).optional() })
  .superRefine((doc, ctx) => {
    for (const issue of validateDoc(doc, '')) ctx.addIssue({ code: 'custom', path: issue.path ? issue.path.split('.').filter(Boolean) : [], message: issue.message });
  })
  .meta({ description: 'tiptap JSON 文档（StarterKit + link + image）' }) as unknown as z.ZodType<TiptapDoc>;

export const TagsSchema = z.array(z.string().trim().min(1).max(20, '标签最多 20 个字')).max(10, '最多 10 个标签');

export const VariantsSchema = z.object({
  wechat: z.object({ title: z.string().max(64).refine(lineSafe, LINE_SAFE_MESSAGE).optional(), digest: z.string().max(256).refine(xmlSafe, XML_SAFE_MESSAGE).optional() }).optional(),
  weibo: z.object({ text: z.string().max(2000).refine(xmlSafe, XML_SAFE_MESSAGE).optional() }).optional(),
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
  cover: z.string().max(2000).optional(),
  /** The cover's crop and focal point, as data (server/media/crop.ts cuts the image at publish time). */
  coverCrop: CoverCropSchema.optional(),
  variants: VariantsSchema.default({}),
};

/**
 * What an editor sends is checked harder than what is stored (records from before a rule tightened
 * must still read): plain text without characters XML cannot carry, safe URLs, path-safe tags.
 */
const StrictInputFields = {
  title: EditableFields.title.refine(lineSafe, LINE_SAFE_MESSAGE),
  summary: z.string().trim().max(300, '摘要最多 300 个字').refine(xmlSafe, XML_SAFE_MESSAGE).default(''),
  tags: z.array(TagSchema).max(10, '最多 10 个标签').default([]),
  cover: StrictUrlSchema.optional(),
  // what an editor sends has no `source` (the snapshot sets it to the cover it cut) and no other key
  coverCrop: CoverCropInputSchema.optional(),
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
  /** The series (系列) the item belongs to and its place in it (1, 2, 3…); set through /api/series. */
  seriesId: z.string().max(80).optional(),
  seriesOrder: z.number().int().min(1).optional(),
  /** A correction of a published item waiting for review; the published snapshot stays live until it is approved. */
  pendingCorrection: z.object({ at: z.string(), by: z.string(), note: z.string() }).optional(),
  /** Everyone who changed the content since the last approval: none of them may approve it (four-eyes). */
  editorsSinceApproval: z.array(z.string()).optional(),
  /** An approved item given a publishing time (ISO) by `scheduledBy`; the scheduler publishes it then. */
  scheduledAt: z.string().optional(),
  scheduledBy: z.string().optional(),
  /** The reviewer an item in review waits on; none means the org's queue. */
  assigneeId: z.string().optional(),
  /** Slugs the item was published under before an admin changed it; the site redirects them. */
  previousSlugs: z.array(z.string()).optional(),
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
export const CreateItemBaseFields = { orgId: OrgIdSchema.optional(), ...EditableFields, ...StrictInputFields };

/**
 * A partial edit of the shared fields; `version` is required (optimistic concurrency), `correction` is
 * required when the item is published. The API's schema adds every registered kind's own update fields.
 * Drafts are saved leniently: whatever the editor typed is kept (an empty title, an over-long WeChat
 * title), only sizes past any sensible one and unsafe bodies are refused; the kind's strict schema and
 * the channel rules run at submit (server/editorial/submit-check.ts).
 */
export const UpdateItemBaseFields = {
  version: z.number().int().positive(),
  // lenient lengths (a draft saves whatever was typed; the kind's strict schema runs at submit), but never
  // characters XML cannot carry, unsafe URLs or path-unsafe tags
  title: z.string().trim().max(500, '标题最多 500 个字').refine(lineSafe, LINE_SAFE_MESSAGE).optional(),
  summary: z.string().trim().max(2000, '摘要最多 2000 个字').refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
  body: BodySchema.optional(),
  tags: z.array(TagSchema).max(50, '最多 50 个标签').optional(),
  groupIds: z.array(z.string().max(80)).max(50).optional(),
  cover: StrictUrlSchema.nullable().optional(),
  /** A crop of the uploaded cover (null removes it); checked against the image's size. A new cover drops the old crop. */
  coverCrop: CoverCropInputSchema.nullable().optional(),
  variants: z
    .object({
      wechat: z.object({ title: z.string().max(500).refine(lineSafe, LINE_SAFE_MESSAGE).optional(), digest: z.string().max(2000).refine(xmlSafe, XML_SAFE_MESSAGE).optional() }).optional(),
      weibo: z.object({ text: z.string().max(5000).refine(xmlSafe, XML_SAFE_MESSAGE).optional() }).optional(),
    })
    .optional(),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, '只允许小写字母、数字和 -').optional(),
  /** Joins (or with null leaves) a series; without seriesOrder the item goes to the end. */
  seriesId: z.string().min(1).max(80).nullable().optional(),
  seriesOrder: z.number().int().min(1).max(10_000).optional(),
  correction: z.string().trim().min(1).max(500).refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
};
export const UpdateItemBaseSchema = z.object(UpdateItemBaseFields);
/** An edit: the shared fields plus the item kind's own (checked against the kind by the content service). */
export type UpdateItem = z.infer<typeof UpdateItemBaseSchema> & { [field: string]: unknown };

export const TransitionSchema = z.object({
  to: z.enum(ITEM_STATUSES),
  comment: z.string().trim().max(1000).optional(),
  version: z.number().int().positive().optional(),
  /** On submit: the reviewer to ask (else the org's queue). */
  assigneeId: z.string().max(80).optional(),
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
  /** The other editable fields (summary, tags, cover, variants, claims, tips, storyboard); older revisions lack it. */
  content: z.record(z.string(), z.unknown()).optional(),
  actorId: z.string(),
  reason: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Revision = z.infer<typeof RevisionSchema> & { body: TiptapDoc };
