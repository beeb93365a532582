import { z } from 'zod';
import { OrgIdSchema } from '../orgs/schema.ts';
import { validateDoc, type TiptapDoc } from './tiptap.ts';
import { RenderSchema, StoryboardSchema } from '../video/schema.ts';
import { LINE_SAFE_MESSAGE, SafeUrlSchema, TagSchema, XML_SAFE_MESSAGE, lineSafe, xmlSafe } from '../security/fields.ts';

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

export const ITEM_KINDS = ['notice', 'rumor-guide', 'video'] as const;
export const KIND_LABELS: Record<string, string> = { notice: '微公告', 'rumor-guide': '谣言识破攻略', video: '微视频', 'live-event': '直播' };
/** Site column per kind: the page lives at `/<column>/<slug>/`. */
export const KIND_COLUMNS: Record<string, string> = { notice: 'notices', 'rumor-guide': 'rumors', video: 'videos', 'live-event': 'live' };

const safeUrl = SafeUrlSchema;

/** A tiptap JSON document, checked deeply against the allowed nodes, marks and URLs. */
export const BodySchema = z
  .looseObject({ type: z.literal('doc', '正文根节点应为 doc'), content: z.array(z.unknown()).optional() })
  .superRefine((doc, ctx) => {
    for (const issue of validateDoc(doc, '')) ctx.addIssue({ code: 'custom', path: issue.path ? issue.path.split('.').filter(Boolean) : [], message: issue.message });
  })
  .meta({ description: 'tiptap JSON 文档（StarterKit + link + image）' }) as unknown as z.ZodType<TiptapDoc>;

export const TagsSchema = z.array(TagSchema).max(10, '最多 10 个标签');

export const VariantsSchema = z.object({
  wechat: z.object({ title: z.string().max(64).refine(lineSafe, LINE_SAFE_MESSAGE).optional(), digest: z.string().max(256).refine(xmlSafe, XML_SAFE_MESSAGE).optional() }).optional(),
  weibo: z.object({ text: z.string().max(2000).refine(xmlSafe, XML_SAFE_MESSAGE).optional() }).optional(),
});

export const VERDICTS = ['false', 'misleading', 'unproven', 'true'] as const;
export const VERDICT_LABELS: Record<(typeof VERDICTS)[number], string> = { false: '谣言', misleading: '误导', unproven: '未经证实', true: '属实' };

export const ClaimSchema = z.object({
  claim: z.string().trim().min(1, '说法不能为空').max(300).refine(xmlSafe, XML_SAFE_MESSAGE),
  verdict: z.enum(VERDICTS),
  evidence: z.string().trim().min(1, '请写明依据').max(3000).refine(xmlSafe, XML_SAFE_MESSAGE),
  sources: z.array(z.object({ name: z.string().trim().min(1, '来源名称不能为空').max(100).refine(lineSafe, LINE_SAFE_MESSAGE), url: safeUrl })).max(20).default([]),
});

export const HistoryEntrySchema = z.object({
  at: z.string(),
  actorId: z.string(),
  from: z.enum(ITEM_STATUSES).nullable(),
  to: z.enum(ITEM_STATUSES),
  comment: z.string().optional(),
});

/** Fields of a stored item, shared by every kind (records written before a rule tightened still read). */
const StoredFields = {
  title: z.string().trim().min(1, '标题不能为空').max(100, '标题最多 100 个字'),
  summary: z.string().trim().max(300, '摘要最多 300 个字').default(''),
  body: BodySchema,
  tags: z.array(z.string().trim().min(1).max(20, '标签最多 20 个字')).max(10, '最多 10 个标签').default([]),
  groupIds: z.array(z.string().max(80)).max(50).default([]),
  cover: z.string().max(2000).optional(),
  variants: VariantsSchema.default({}),
};

/** Fields an editor writes, checked at the edge: plain text without XML-invalid characters, safe URLs, path-safe tags. */
const EditableFields = {
  ...StoredFields,
  title: StoredFields.title.refine(lineSafe, LINE_SAFE_MESSAGE),
  summary: z.string().trim().max(300, '摘要最多 300 个字').refine(xmlSafe, XML_SAFE_MESSAGE).default(''),
  tags: TagsSchema.default([]),
  cover: SafeUrlSchema.optional(),
};

const RecordFields = {
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
  /** A correction of a published item waiting for review; the published snapshot stays live until it is approved. */
  pendingCorrection: z.object({ at: z.string(), by: z.string(), note: z.string() }).optional(),
  /** Everyone who changed the content since the last approval: none of them may approve it (four-eyes). */
  editorsSinceApproval: z.array(z.string()).optional(),
};

/** Per-kind fields; a new kind adds an entry here and to the unions below. */
export const KindFields = {
  notice: {},
  'rumor-guide': {
    claims: z.array(ClaimSchema).min(1, '至少写一条说法').max(20),
    tips: z.array(z.string().trim().min(1).max(300).refine(xmlSafe, XML_SAFE_MESSAGE)).max(20).default([]),
  },
  /** A short video: the storyboard editors write and the render that review approves and publishing uses. */
  video: {
    storyboard: StoryboardSchema,
    render: RenderSchema.optional(),
  },
};

export const NoticeSchema = z.object({ kind: z.literal('notice'), ...StoredFields, ...RecordFields, ...KindFields.notice });
export const RumorGuideSchema = z.object({ kind: z.literal('rumor-guide'), ...StoredFields, ...RecordFields, ...KindFields['rumor-guide'] });
export const VideoItemSchema = z.object({ kind: z.literal('video'), ...StoredFields, ...RecordFields, ...KindFields.video });
export const ItemSchema = z.discriminatedUnion('kind', [NoticeSchema, RumorGuideSchema, VideoItemSchema]);
export type Item = z.infer<typeof ItemSchema>;
export type ItemKind = Item['kind'];

export const CreateItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notice'), orgId: OrgIdSchema.optional(), ...EditableFields, ...KindFields.notice }),
  z.object({ kind: z.literal('rumor-guide'), orgId: OrgIdSchema.optional(), ...EditableFields, ...KindFields['rumor-guide'] }),
  z.object({ kind: z.literal('video'), orgId: OrgIdSchema.optional(), ...EditableFields, storyboard: StoryboardSchema }),
]);
export type CreateItem = z.infer<typeof CreateItemSchema>;

/** A partial edit; `version` is required (optimistic concurrency), `correction` is required when the item is published. */
export const UpdateItemSchema = z.object({
  version: z.number().int().positive(),
  title: EditableFields.title.optional(),
  summary: EditableFields.summary.unwrap().optional(),
  body: BodySchema.optional(),
  tags: TagsSchema.optional(),
  groupIds: z.array(z.string().max(80)).max(50).optional(),
  cover: SafeUrlSchema.nullable().optional(),
  variants: VariantsSchema.optional(),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, '只允许小写字母、数字和 -').optional(),
  claims: KindFields['rumor-guide'].claims.optional(),
  tips: KindFields['rumor-guide'].tips.unwrap().optional(),
  /** Video items only; a new storyboard makes the current render stale (render again before review). */
  storyboard: StoryboardSchema.optional(),
  correction: z.string().trim().min(1).max(500).refine(xmlSafe, XML_SAFE_MESSAGE).optional(),
});
export type UpdateItem = z.infer<typeof UpdateItemSchema>;

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
