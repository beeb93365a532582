import { z } from 'zod';
import { OrgIdSchema } from '../orgs/schema.ts';

export const ROLES = ['reporter', 'editor', 'reviewer', 'admin', 'guest'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = { reporter: '网络志愿者', editor: '编辑', reviewer: '审核', admin: '管理员', guest: '嘉宾' };

/** A guest answers questions in one live item only (`guestOf` = that item's id). */
const GuestOf = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, '只允许稿件 id');

export const UsernameSchema = z.string().trim().regex(/^[a-z0-9][a-z0-9_.-]{1,31}$/, '用户名为 2–32 位小写字母、数字、. _ -');
export const PasswordSchema = z.string().min(8, '密码至少 8 位').max(200);

/** A user as the API shows it; never carries the password hash. */
export const UserSchema = z.object({
  id: z.string(),
  username: UsernameSchema,
  displayName: z.string().min(1).max(40),
  orgId: OrgIdSchema,
  roles: z.array(z.enum(ROLES)).min(1),
  active: z.boolean(),
  guestOf: z.string().optional(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const StoredUserSchema = UserSchema.extend({ passwordHash: z.string() });
export type StoredUser = z.infer<typeof StoredUserSchema>;

export const CreateUserSchema = z.object({
  username: UsernameSchema,
  displayName: z.string().trim().min(1, '姓名不能为空').max(40),
  orgId: OrgIdSchema,
  roles: z.array(z.enum(ROLES)).min(1, '至少选择一个角色'),
  password: PasswordSchema,
  guestOf: GuestOf.optional(),
}).refine((u) => !u.roles.includes('guest') || Boolean(u.guestOf), { path: ['guestOf'], message: '嘉宾必须指定所属的直播稿件（guestOf）' });
export type CreateUser = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = z.object({
  version: z.number().int().positive(),
  displayName: z.string().trim().min(1).max(40).optional(),
  orgId: OrgIdSchema.optional(),
  roles: z.array(z.enum(ROLES)).min(1, '至少选择一个角色').optional(),
  active: z.boolean().optional(),
  password: PasswordSchema.optional(),
  guestOf: GuestOf.optional(),
});
export type UpdateUser = z.infer<typeof UpdateUserSchema>;
