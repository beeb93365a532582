import { z } from 'zod';
import { CreateItemBaseFields, EditableFields, RecordFields } from '../../content/schema.ts';
import { RenderSchema, StoryboardSchema, storyboardSha, type Render } from '../../video/schema.ts';

/** A short video: the storyboard editors write and the render that review approves and publishing uses. */
export const VideoItemSchema = z.object({ kind: z.literal('video'), ...EditableFields, ...RecordFields, storyboard: StoryboardSchema, render: RenderSchema.optional() });
export const CreateVideoSchema = z.object({ kind: z.literal('video'), ...CreateItemBaseFields, storyboard: StoryboardSchema });
/** A new storyboard makes the current render stale (render again before review). */
export const VideoUpdateFields = { storyboard: StoryboardSchema.optional() };
/** Drafts may hold any storyboard-shaped object; rendering parses it strictly. */
export const VideoDraftSchema = z.object({ storyboard: z.looseObject({}).optional(), render: z.looseObject({}).optional() });

export type VideoItem = z.infer<typeof VideoItemSchema>;
export type CreateVideo = z.input<typeof CreateVideoSchema>;

declare module '../../content/schema.ts' {
  interface ItemKinds {
    video: { item: VideoItem; create: CreateVideo };
  }
}

/** True when the item's render was made from its current storyboard. */
export function hasCurrentRender(item: VideoItem): item is VideoItem & { render: Render } {
  return Boolean(item.render && (!item.render.storyboardSha || item.render.storyboardSha === storyboardSha(item.storyboard)));
}
