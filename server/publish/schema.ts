import { z } from 'zod';
import { kindRegistry } from '../kinds/registry.ts';
import type { Published } from '../kinds/types.ts';
import type { Item } from '../content/schema.ts';

export { VERDICTS, type Verdict } from '../kinds/rumor-guide/schema.ts';

const sections = kindRegistry.columns.map((c) => c.key.replace(/[^a-z0-9-]/g, '')).join('|');

/** What the core writes to `<dataDir>/published/items/<id>.json` on publish, retract or correction. */
export const PublishedItemSchema = z.intersection(
  kindRegistry.schemas.item,
  z.object({
    bodyHtml: z.string(),
    orgName: z.string(),
    url: z.string().regex(new RegExp(`^/(${sections})/[^/]+/$`)),
    column: z.string().optional(),
  }),
) as unknown as z.ZodType<PublishedItem>;
export type PublishedItem = Published<Item>;
