import { describe, expect, test } from 'vitest';
import { kindRegistry } from '../../server/kinds/registry.ts';
import { createKindRegistry, kindModuleProblems } from '../../server/kinds/create-registry.ts';
import { KIND_PARTS, type AnyKindModule } from '../../server/kinds/types.ts';
import { makeSnapshot } from '../site/fixtures.ts';

describe('kind registry', () => {
  test('registers notice, rumor-guide and video, each once', () => {
    const kinds = kindRegistry.list.map((k) => k.kind);
    expect(kinds).toEqual(expect.arrayContaining(['notice', 'rumor-guide', 'video']));
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  test.each(kindRegistry.list.map((k) => [k.kind, k] as const))('%s implements every part', (_kind, k) => {
    for (const part of KIND_PARTS) expect(k[part as keyof AnyKindModule], part).not.toBeUndefined();
    expect(kindModuleProblems(k)).toEqual([]);
    // the stored record is the one the kind says it is
    expect((k.schemas.item.shape as Record<string, { value?: unknown }>).kind!.value).toBe(k.kind);
    expect((k.schemas.create.shape as Record<string, { value?: unknown }>).kind!.value).toBe(k.kind);
  });

  test('refuses a half-added kind, naming the missing parts', () => {
    const { html: _html, review: _review, ...half } = kindRegistry.list[0]!;
    expect(() => createKindRegistry([{ ...half, kind: 'half' } as unknown as AnyKindModule])).toThrow(/half.*html: missing.*review: missing/);
  });

  test('refuses an optional part left undefined instead of null', () => {
    const k = kindRegistry.list[0]!;
    expect(() => createKindRegistry([{ ...k, kind: 'no-api', api: undefined } as unknown as AnyKindModule])).toThrow(/api: missing/);
    expect(() => createKindRegistry([{ ...k, editor: { ...k.editor, fields: undefined } } as unknown as AnyKindModule])).toThrow(/editor: malformed/);
  });

  test('refuses the same kind twice', () => {
    expect(() => createKindRegistry([kindRegistry.list[0]!, kindRegistry.list[0]!])).toThrow(/twice/);
  });

  test('an unknown kind is a 400 naming kind and listing the kinds there are', () => {
    expect(() => kindRegistry.get('podcast')).toThrow(/^kind: 未知稿件类型“podcast”，可用：notice、rumor-guide、video/);
  });

  test('the API schemas accept each kind and route kind-specific fields to their owners', () => {
    expect(kindRegistry.schemas.create.safeParse({ kind: 'notice', title: '停课通知', body: { type: 'doc', content: [] } }).success).toBe(true);
    expect(kindRegistry.schemas.create.safeParse({ kind: 'podcast', title: '停课通知', body: { type: 'doc', content: [] } }).success).toBe(false);
    expect(kindRegistry.ownersOf('claims').map((k) => k.kind)).toEqual(['rumor-guide']);
    expect(kindRegistry.ownersOf('storyboard').map((k) => k.kind)).toEqual(['video']);
  });

  test('every column has a distinct path segment and a Chinese name', () => {
    const keys = kindRegistry.columns.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const c of kindRegistry.columns) expect(c.name).toMatch(/\p{Script=Han}/u);
  });

  test('kind parts render escaped HTML and text for a published sample of each current kind', () => {
    const hostile = '<script>alert(1)</script>&“谣言”';
    for (const [n, kind] of [[1, 'notice'], [2, 'rumor-guide'], [3, 'video']] as const) {
      const item = makeSnapshot(n, { kind, title: hostile });
      const k = kindRegistry.get(kind);
      if (kind === 'rumor-guide') (item as { claims: { claim: string }[] }).claims[0]!.claim = hostile;
      for (const part of ['site', 'feed', 'wechat'] as const) {
        const html = k.html[part](item);
        for (const block of [...html.before, ...html.after]) expect(block).not.toContain('<script>');
      }
      const ld = k.jsonLd(item, { siteUrl: 'https://example.org/', siteTitle: '连心', imageUrl: 'https://example.org/card.jpg' });
      if (ld) expect(JSON.stringify(ld)).toContain('"@context":"https://schema.org"');
      expect(k.weibo(item).before.every((t) => typeof t === 'string')).toBe(true);
    }
  });
});

describe('nothing outside server/kinds branches on a kind', () => {
  test('no `kind === …` / `case …` on a registered kind in server/ or src/', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join, relative } = await import('node:path');
    const root = join(import.meta.dirname, '..', '..');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return path === join(root, 'server', 'kinds') ? [] : files(path);
        return /\.(ts|tsx|astro|mjs)$/.test(name) ? [path] : [];
      });
    const names = kindRegistry.list.map((k) => k.kind.replace(/[-]/g, '\\-')).join('|');
    const branch = new RegExp(`(kind\\s*[!=]==?\\s*['"\`](${names})['"\`]|case\\s+['"\`](${names})['"\`]\\s*:|\\[\\s*['"\`](${names})['"\`]\\s*\\]\\s*:)`);
    const found = [...files(join(root, 'server')), ...files(join(root, 'src'))].flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => (branch.test(line) ? `${relative(root, f)}:${i + 1}: ${line.trim()}` : ''))
        .filter(Boolean),
    );
    expect(found).toEqual([]);
  });
});
