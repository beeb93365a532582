import { z } from 'zod';

export const ORG_KINDS = ['city', 'district', 'grassroots'] as const;
export const ORG_KIND_LABELS: Record<(typeof ORG_KINDS)[number], string> = { city: '市级', district: '县（市、区）', grassroots: '基层组织' };

export const OrgIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, '只允许小写字母、数字和 -');

export const OrgSchema = z.object({
  id: OrgIdSchema,
  name: z.string().min(1).max(60),
  parentId: OrgIdSchema.nullable(),
  kind: z.enum(ORG_KINDS),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Org = z.infer<typeof OrgSchema>;

export const CreateOrgSchema = z.object({
  id: OrgIdSchema.optional(),
  name: z.string().trim().min(1, '名称不能为空').max(60),
  parentId: OrgIdSchema.nullable(),
  kind: z.enum(ORG_KINDS),
});
export type CreateOrg = z.infer<typeof CreateOrgSchema>;

export const UpdateOrgSchema = z.object({
  version: z.number().int().positive(),
  name: z.string().trim().min(1, '名称不能为空').max(60).optional(),
  parentId: OrgIdSchema.nullable().optional(),
});
export type UpdateOrg = z.infer<typeof UpdateOrgSchema>;
