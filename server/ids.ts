import { randomBytes } from 'node:crypto';
import { ValidationError } from './errors.ts';

/** A new record id: `<prefix>_<16 hex>`; safe as a file name. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Ids that become paths under the data dir must not climb out of it. */
export function assertSafeId(id: string, field = 'id'): string {
  if (!SAFE_ID.test(id)) throw ValidationError.field(field, `非法的标识 ${JSON.stringify(id.slice(0, 40))}（只允许字母、数字、- 和 _）`);
  return id;
}
