import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { ValidationError, issuesFromZod } from '../errors.ts';

/** A sub-app whose request validation failures become our ValidationError (400 naming the field). */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationError(issuesFromZod(result.error, result.target === 'json' ? '' : result.target));
    },
  });
}

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
    data: z.unknown().optional(),
  }),
});

const errorContent = { content: { 'application/json': { schema: ErrorSchema } } };

/** The error answers every route may give. */
export const errorResponses = {
  400: { description: '输入不合法（message 以字段路径开头）', ...errorContent },
  401: { description: '未登录', ...errorContent },
  403: { description: '无权限（message 说明原因）', ...errorContent },
  404: { description: '不存在', ...errorContent },
  409: { description: '版本冲突或状态不允许', ...errorContent },
};

/** A JSON request body. */
export const jsonBody = <S extends z.ZodType>(schema: S) => ({ content: { 'application/json': { schema } }, required: true });

/** A JSON success response. */
export const jsonOk = <S extends z.ZodType>(schema: S, description = 'OK') => ({ description, content: { 'application/json': { schema } } });

export const IdParams = z.object({ id: z.string().min(1).max(128) });
