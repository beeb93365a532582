import { z } from 'zod';
import { CreateItemBaseFields, EditableFields, RecordFields } from '../../content/schema.ts';

/** 微公告: a short notice, nothing beyond the shared fields. */
export const NoticeSchema = z.object({ kind: z.literal('notice'), ...EditableFields, ...RecordFields });
export const CreateNoticeSchema = z.object({ kind: z.literal('notice'), ...CreateItemBaseFields });
export type Notice = z.infer<typeof NoticeSchema>;
export type CreateNotice = z.input<typeof CreateNoticeSchema>;

declare module '../../content/schema.ts' {
  interface ItemKinds {
    notice: { item: Notice; create: CreateNotice };
  }
}
