import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { assertUser } from '../../auth/permissions.ts';
import type { User } from '../../users/schema.ts';
import { safeNext, setFlash } from './flash.ts';

/** A form body: single values as strings, repeated names (checkboxes) as arrays. */
export type FormData = Record<string, string | string[]>;

export async function readForm(c: Context<AppEnv>): Promise<FormData> {
  const raw = await c.req.parseBody({ all: true });
  const out: FormData = {};
  for (const [key, value] of Object.entries(raw)) {
    if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string');
    else if (typeof value === 'string') out[key] = value;
  }
  return out;
}

export const one = (form: FormData, key: string): string => {
  const v = form[key];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};
export const many = (form: FormData, key: string): string[] => {
  const v = form[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/**
 * Runs a form action (POST → redirect): on success flashes `ok` and redirects to what the action
 * returns; an AppError is flashed (its message names the field) and the user is sent back.
 */
export async function formAction(c: Context<AppEnv>, back: string, action: (args: { user: User; form: FormData }) => Promise<{ ok: string; to?: string }>) {
  const form = await readForm(c);
  try {
    const user = assertUser(c.var.user);
    const { ok, to } = await action({ user, form });
    setFlash(c, { kind: 'ok', text: ok });
    return c.redirect(safeNext(to ?? back), 303);
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    setFlash(c, { kind: 'error', text: error.message });
    return c.redirect(safeNext(back), 303);
  }
}
