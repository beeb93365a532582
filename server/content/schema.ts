import { z } from 'zod';
import { OrgIdSchema } from '../orgs/schema.ts';
import { validateDoc, type TiptapDoc } from './tiptap.ts';
import { RenderSchema, StoryboardSchema } from '../video/schema.ts';
import { LiveInfoSchema, LiveInfoInputSchema, LiveInfoPatchSchema } from '../live/item-schema.ts';

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

export const ITEM_KINDS = ['notice', 'rumor-guide', 'video', 'live'] as const;
export const KIND_LABELS: Record<string, string> = { notice: '微公告', 'rumor-guide': '谣言识破攻略', video: '微视频', live: '直播' };
/** Site column per kind: the page lives at `/<column>/<slug>/`. */
export const KIND_COLUMNS: Record<string, string> = { notice: 'notices', 'rumor-guide': 'rumors', video: 'videos', live: 'live' };

const safeUrl = z.string().trim().max(2000).regex(/^(https?:\/\/|\/(?!\/))/i, '只允许 http(s) 或站内相对地址');

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

export const VERDICTS = ['false', 'misleading', 'unproven', 'true'] as const;
export const VERDICT_LABELS: Record<(typeof VERDICTS)[number], string> = { false: '谣言', misleading: '误导', unproven: '未经证实', true: '属实' };

export const ClaimSchema = z.object({
  claim: z.string().trim().min(1, '说法不能为空').max(300),
  verdict: z.enum(VERDICTS),
  evidence: z.string().trim().min(1, '请写明依据').max(3000),
  sources: z.array(z.object({ name: z.string().trim().min(1, '来源名称不能为空').max(100), url: safeUrl })).max(20).default([]),
});

export const HistoryEntrySchema = z.object({
  at: z.string(),
  actorId: z.string(),
  from: z.enum(ITEM_STATUSES).nullable(),
  to: z.enum(ITEM_STATUSES),
  comment: z.string().optional(),
});

/** Fields an editor writes, shared by every kind. */
const EditableFields = {
  title: z.string().trim().min(1, '标题不能为空').max(100, '标题最多 100 个字'),
  summary: z.string().trim().max(300, '摘要最多 300 个字').default(''),
  body: BodySchema,
  tags: TagsSchema.default([]),
  groupIds: z.array(z.string().max(80)).max(50).default([]),
  cover: z.string().max(500).optional(),
  variants: VariantsSchema.default({}),
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
};

/** Per-kind fields; a new kind adds an entry here and to the unions below. */
export const KindFields = {
  notice: {},
  'rumor-guide': {
    claims: z.array(ClaimSchema).min(1, '至少写一条说法').max(20),
    tips: z.array(z.string().trim().min(1).max(300)).max(20).default([]),
  },
  /** A short video: the storyboard editors write and the render that review approves and publishing uses. */
  video: {
    storyboard: StoryboardSchema,
    render: RenderSchema.optional(),
  },
  /** A live column or online Q&A: its updates live in their own collection (server/live). */
  live: {
    live: LiveInfoSchema,
  },
};

export const NoticeSchema = z.object({ kind: z.literal('notice'), ...EditableFields, ...RecordFields, ...KindFields.notice });
export const RumorGuideSchema = z.object({ kind: z.literal('rumor-guide'), ...EditableFields, ...RecordFields, ...KindFields['rumor-guide'] });
export const VideoItemSchema = z.object({ kind: z.literal('video'), ...EditableFields, ...RecordFields, ...KindFields.video });
export const LiveItemSchema = z.object({ kind: z.literal('live'), ...EditableFields, ...RecordFields, ...KindFields.live });
export const ItemSchema = z.discriminatedUnion('kind', [NoticeSchema, RumorGuideSchema, VideoItemSchema, LiveItemSchema]);
export type Item = z.infer<typeof ItemSchema>;
export type ItemKind = Item['kind'];

export const CreateItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notice'), orgId: OrgIdSchema.optional(), ...EditableFields, ...KindFields.notice }),
  z.object({ kind: z.literal('rumor-guide'), orgId: OrgIdSchema.optional(), ...EditableFields, ...KindFields['rumor-guide'] }),
  z.object({ kind: z.literal('video'), orgId: OrgIdSchema.optional(), ...EditableFields, storyboard: StoryboardSchema }),
  z.object({ kind: z.literal('live'), orgId: OrgIdSchema.optional(), ...EditableFields, live: LiveInfoInputSchema }),
]);
export type CreateItem = z.infer<typeof CreateItemSchema>;

/** A partial edit; `version` is required (optimistic concurrency), `correction` is required when the item is published. */
export const UpdateItemSchema = z.object({
  version: z.number().int().positive(),
  title: EditableFields.title.optional(),
  summary: z.string().trim().max(300, '摘要最多 300 个字').optional(),
  body: BodySchema.optional(),
  tags: TagsSchema.optional(),
  groupIds: z.array(z.string().max(80)).max(50).optional(),
  cover: z.string().max(500).nullable().optional(),
  variants: VariantsSchema.optional(),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, '只允许小写字母、数字和 -').optional(),
  claims: KindFields['rumor-guide'].claims.optional(),
  tips: z.array(z.string().trim().min(1).max(300)).max(20).optional(),
  /** Video items only; a new storyboard makes the current render stale (render again before review). */
  storyboard: StoryboardSchema.optional(),
  /** Live items only: mode, place, coverage, pinned block (merged into the current values). */
  live: LiveInfoPatchSchema.optional(),
  correction: z.string().trim().min(1).max(500).optional(),
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
