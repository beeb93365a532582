import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

const FLASH_COOKIE = 'lx_flash';

/** A one-time message shown on the next page (after a redirect). */
export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export function setFlash(c: Context, flash: Flash): void {
  setCookie(c, FLASH_COOKIE, encodeURIComponent(JSON.stringify(flash)), { path: '/workbench', httpOnly: true, sameSite: 'Lax', maxAge: 60 });
}

/** Reads and clears the flash message. */
export function takeFlash(c: Context): Flash | undefined {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return undefined;
  deleteCookie(c, FLASH_COOKIE, { path: '/workbench' });
  try {
    const parsed = JSON.parse(decodeURIComponent(raw)) as Flash;
    return (parsed.kind === 'ok' || parsed.kind === 'error') && typeof parsed.text === 'string' ? { kind: parsed.kind, text: parsed.text.slice(0, 500) } : undefined;
  } catch {
    return undefined;
  }
}

/** Redirects to a path inside the workbench only (never an open redirect). */
export function safeNext(next: unknown, fallback = '/workbench'): string {
  return typeof next === 'string' && /^\/workbench(\/|\?|$)/.test(next) && !next.includes('//') ? next : fallback;
}
