import { z } from 'zod';
import { ItemSchema as CoreItemSchema, NoticeSchema, VERDICTS } from '../content/schema.ts';

export const VerdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof VerdictSchema>;

/** The video helper's render output: `file` and `poster` are media paths relative to the data dir. */
export const RenderSchema = z.object({
  file: z.string().regex(/^media\/[A-Za-z0-9_./-]+$/).refine((p) => !p.includes('..'), '不允许 ..'),
  poster: z.string().regex(/^media\/[A-Za-z0-9_./-]+$/).refine((p) => !p.includes('..'), '不允许 ..'),
  duration: z.number().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  sha256: z.string().optional(),
  renderedAt: z.string().optional(),
});

// The video kind joins the core's ItemSchema with the video helper's branch; until then the site
// reads its published shape with the same common fields (the core schema wins when both match).
const VideoItemSchema = NoticeSchema.extend({ kind: z.literal('video'), storyboard: z.unknown().optional(), render: RenderSchema.optional() });

export const SiteItemSchema = z.union([CoreItemSchema, VideoItemSchema]);

/** What the core writes to `<dataDir>/published/items/<id>.json` on publish, retract or correction. */
export const PublishedItemSchema = z.intersection(
  SiteItemSchema,
  z.object({
    bodyHtml: z.string(),
    orgName: z.string(),
    url: z.string().regex(/^\/(notices|rumors|videos|live)\/[^/]+\/$/),
    column: z.string().optional(),
  }),
);
export type PublishedItem = z.infer<typeof PublishedItemSchema>;
