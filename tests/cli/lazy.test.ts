import { describe, expect, test } from 'vitest';
import { commands } from '../../scripts/commands/index.ts';

describe('the CLI command catalog', () => {
  test('each lazily loaded command has the name, summary and usage the catalog lists for --help', async () => {
    expect(commands.length).toBeGreaterThan(10);
    for (const c of commands) {
      const load = (c as { load?: () => Promise<{ name: string; summary: string; usage: string }> }).load;
      if (!load) continue; // an eagerly imported command carries its own text
      const loaded = await load();
      expect({ name: loaded.name, summary: loaded.summary, usage: loaded.usage }, c.name).toEqual({ name: c.name, summary: c.summary, usage: c.usage });
    }
  });

  test('names are unique', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
