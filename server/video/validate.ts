import { ValidationError, issuesFromZod } from '../errors.ts';
import { StoryboardSchema, type Storyboard } from './schema.ts';

/** Parses a storyboard; throws a ValidationError whose message starts with the field path. */
export function parseStoryboard(input: unknown, prefix = ''): Storyboard {
  const result = StoryboardSchema.safeParse(input);
  if (!result.success) throw new ValidationError(issuesFromZod(result.error, prefix));
  return result.data;
}
