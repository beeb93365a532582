import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findCycles, importGraph, type Edge } from './import-graph.ts';

const root = join(import.meta.dirname, '..', '..');
const graph = new Map([...importGraph(join(root, 'server')), ...importGraph(join(root, 'scripts'))]);

describe('import graph', () => {
  test('the detector finds a cycle when there is one', () => {
    const g = new Map<string, Edge[]>([
      ['a.ts', [{ to: 'b.ts', typeOnly: false }]],
      ['b.ts', [{ to: 'c.ts', typeOnly: false }]],
      ['c.ts', [{ to: 'a.ts', typeOnly: false }]],
      ['d.ts', [{ to: 'a.ts', typeOnly: true }]],
    ]);
    expect(findCycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    expect(findCycles(new Map([...g, ['a.ts', [{ to: 'b.ts', typeOnly: true }]]]))).toEqual([]);
  });

  test('reads the real graph (content/service imports content/schema)', () => {
    expect(graph.get('server/content/service.ts')?.some((e) => e.to === 'server/content/schema.ts')).toBe(true);
  });

  test('no file in server/ or scripts/ imports itself in a circle at run time', () => {
    expect(findCycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  test('content never imports a kind (a kind depends on content, never the reverse)', () => {
    const wrong = [...graph].flatMap(([file, edges]) => (file.startsWith('server/content/') ? edges.filter((e) => e.to.startsWith('server/kinds/')).map((e) => `${file} → ${e.to}`) : []));
    expect(wrong).toEqual([]);
  });

  test('no kind imports another kind', () => {
    const kindOf = (f: string) => /^server\/kinds\/([^/]+)\//.exec(f)?.[1];
    const wrong = [...graph].flatMap(([file, edges]) => {
      const own = kindOf(file);
      return own ? edges.filter((e) => kindOf(e.to) && kindOf(e.to) !== own).map((e) => `${file} → ${e.to}`) : [];
    });
    expect(wrong).toEqual([]);
  });
});
