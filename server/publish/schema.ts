import { z } from 'zod';
import { ItemSchema, VERDICTS } from '../content/schema.ts';

export const VerdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof VerdictSchema>;

/** What the core writes to `<dataDir>/published/items/<id>.json` on publish, retract or correction. */
export const PublishedItemSchema = z.intersection(
  ItemSchema,
  z.object({
    bodyHtml: z.string(),
    orgName: z.string(),
    url: z.string().regex(/^\/(notices|rumors|videos|live)\/[^/]+\/$/),
    column: z.string().optional(),
  }),
);
export type PublishedItem = z.infer<typeof PublishedItemSchema>;
