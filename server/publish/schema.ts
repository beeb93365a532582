import { z } from 'zod';

// TODO(merge): the item part mirrors the brief's field list until server/content/schema.ts lands;
// at merge this file imports ItemSchema from there and keeps only the snapshot extension.

const IsoDate = z.string().min(1);

const TiptapNode: z.ZodType<{ type: string; [k: string]: unknown }> = z.looseObject({ type: z.string() });

const Base = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: z.string().min(1),
  summary: z.string().default(''),
  body: TiptapNode,
  tags: z.array(z.string().min(1)).default([]),
  groupIds: z.array(z.string()).default([]),
  cover: z.string().optional(),
  orgId: z.string(),
  authorId: z.string(),
  lastEditorId: z.string().optional(),
  status: z.enum(['draft', 'in-review', 'changes-requested', 'approved', 'published', 'retracted']),
  version: z.number().int(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  publishedAt: IsoDate.optional(),
  variants: z
    .object({
      wechat: z.object({ title: z.string().optional(), digest: z.string().optional() }).optional(),
      weibo: z.object({ text: z.string().optional() }).optional(),
    })
    .default({}),
  corrections: z.array(z.object({ at: IsoDate, note: z.string() })).default([]),
  retraction: z.object({ at: IsoDate, note: z.string() }).optional(),
  history: z.array(z.looseObject({ at: IsoDate })).default([]),
});

export const VerdictSchema = z.enum(['false', 'misleading', 'unproven', 'true']);
export type Verdict = z.infer<typeof VerdictSchema>;

export const ClaimSchema = z.object({
  claim: z.string().min(1),
  verdict: VerdictSchema,
  evidence: z.string(),
  sources: z.array(z.object({ name: z.string(), url: z.string() })).default([]),
});

export const RenderSchema = z.object({
  file: z.string(),
  poster: z.string(),
  duration: z.number().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  sha256: z.string().optional(),
  renderedAt: IsoDate.optional(),
});

export const ItemSchema = z.discriminatedUnion('kind', [
  Base.extend({ kind: z.literal('notice') }),
  Base.extend({ kind: z.literal('rumor-guide'), claims: z.array(ClaimSchema).default([]), tips: z.array(z.string()).default([]) }),
  Base.extend({ kind: z.literal('video'), storyboard: z.unknown().optional(), render: RenderSchema.optional() }),
]);
export type Item = z.infer<typeof ItemSchema>;

/** What the core writes to `<dataDir>/published/items/<id>.json` on publish, retract or correction. */
export const PublishedItemSchema = z.intersection(
  ItemSchema,
  z.object({
    bodyHtml: z.string(),
    orgName: z.string(),
    url: z.string().regex(/^\/(notices|rumors|videos|live)\/[^/]+\/$/),
  }),
);
export type PublishedItem = z.infer<typeof PublishedItemSchema>;
