import { z } from 'zod';
import { OrgIdSchema } from '../orgs/schema.ts';
import { LINE_SAFE_MESSAGE, lineSafe, SafeUrlSchema, XML_SAFE_MESSAGE, xmlSafe } from '../security/fields.ts';

// the body-link rule (no `/\\host`, no quotes or markup): the cover is an <img src> on the site
const safeUrl = SafeUrlSchema.max(500);
const SlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, '只允许小写字母、数字和 -（最多 80 个字符）');
const ItemIdsSchema = z.array(z.string().min(1).max(128)).max(200, '一个系列最多 200 篇').refine((ids) => new Set(ids).size === ids.length, '同一篇稿件不能在系列里出现两次');

/** A series (系列): ordered items under one title, e.g. 大丰人好呢. Items point to it with `seriesId` and `seriesOrder`. */
export const SeriesSchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string().default(''),
  cover: z.string().optional(),
  orgId: OrgIdSchema,
  createdBy: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Series = z.infer<typeof SeriesSchema>;

const title = z.string('标题应为文本').trim().min(1, '标题不能为空').max(60, '标题最多 60 个字').refine(lineSafe, LINE_SAFE_MESSAGE);
const description = z.string('简介应为文本').trim().max(500, '简介最多 500 个字').refine(xmlSafe, XML_SAFE_MESSAGE);

export const CreateSeriesSchema = z.object({
  title,
  description: description.default(''),
  cover: safeUrl.optional(),
  orgId: OrgIdSchema.optional(),
  slug: SlugSchema.optional(),
  /** Items in order; each gets `seriesId` and `seriesOrder` 1, 2, 3… */
  itemIds: ItemIdsSchema.optional(),
});
export type CreateSeries = z.infer<typeof CreateSeriesSchema>;

/** A partial edit with `version` (a stale one is 409); `itemIds` replaces the membership and order. */
export const UpdateSeriesSchema = z.object({
  version: z.number('version 应为数字').int().positive(),
  title: title.optional(),
  description: description.optional(),
  cover: safeUrl.nullable().optional(),
  slug: SlugSchema.optional(),
  itemIds: ItemIdsSchema.optional(),
});
export type UpdateSeries = z.infer<typeof UpdateSeriesSchema>;

/** One member as the API and the workbench show it. */
export const SeriesMemberSchema = z.object({ id: z.string(), kind: z.string(), title: z.string(), status: z.string(), slug: z.string(), seriesOrder: z.number() });
export type SeriesMember = z.infer<typeof SeriesMemberSchema>;
export const SeriesWithItemsSchema = SeriesSchema.extend({ items: z.array(SeriesMemberSchema) });
export type SeriesWithItems = z.infer<typeof SeriesWithItemsSchema>;

/** What the site is built from: `<dataDir>/published/series/<id>.json`. */
export const PublishedSeriesSchema = SeriesSchema.pick({ id: true, slug: true, title: true, description: true, cover: true, orgId: true, updatedAt: true }).extend({ orgName: z.string(), url: z.string().regex(/^\/series\/[a-z0-9-]+\/$/) });
export type PublishedSeries = z.infer<typeof PublishedSeriesSchema>;
