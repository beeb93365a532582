import type { z } from 'zod';
import { ValidationError, issuesFromZod } from './errors.ts';

/** Parses `input` with `schema` or throws a ValidationError whose issues name the fields. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(issuesFromZod(result.error, prefix));
  return result.data;
}
