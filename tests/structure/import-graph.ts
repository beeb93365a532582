import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface Edge {
  to: string;
  /** `import type` / `export type`: erased when compiled, so no load order between the files. */
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' || name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Static imports and re-exports between files under `root` (relative paths; packages left out). */
export function importGraph(root: string): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  const base = resolve(root, '..');
  for (const file of sourceFiles(root)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const edges: Edge[] = [];
    for (const st of source.statements) {
      let spec: ts.Expression | undefined;
      let typeOnly = false;
      if (ts.isImportDeclaration(st)) {
        spec = st.moduleSpecifier;
        typeOnly = Boolean(st.importClause?.isTypeOnly);
      } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
        spec = st.moduleSpecifier;
        typeOnly = st.isTypeOnly;
      }
      if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
      edges.push({ to: relative(base, resolve(dirname(file), spec.text)), typeOnly });
    }
    graph.set(relative(base, file), edges);
  }
  return graph;
}

/** Every import cycle (each once, as the list of files around it), following only the edges `follow` keeps. */
export function findCycles(graph: Map<string, Edge[]>, follow: (e: Edge) => boolean = (e) => !e.typeOnly): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const e of graph.get(node) ?? []) {
      if (!follow(e) || !graph.has(e.to)) continue;
      if (state.get(e.to) === 'open') {
        const cycle = stack.slice(stack.indexOf(e.to));
        const key = [...cycle].sort().join('|');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, e.to]);
        }
      } else if (!state.has(e.to)) visit(e.to);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
