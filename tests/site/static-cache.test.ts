import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { serveSite } from '../../server/publish/static-site.ts';
import { createFileCache, type CachedFile } from '../../server/publish/static-cache.ts';
import { indexSite, readManifest } from '../../server/publish/search-index.ts';
import { makeSnapshot } from './fixtures.ts';
import { tempDir } from '../helpers.ts';

describe('static pages served from memory', () => {
  test('a page rewritten in place with the same length is served new, with a new ETag', async () => {
    const { dir, cleanup } = tempDir();
    const page = join(dir, 'site', 'notices', 'a', 'index.html');
    mkdirSync(join(dir, 'site', 'notices', 'a'), { recursive: true });
    writeFileSync(page, '<p>第一版：积水已排除</p>');
    const app = new Hono().get('*', serveSite({ siteDir: () => join(dir, 'site'), dataDir: dir }));
    const first = await app.request('/notices/a/');
    expect(await first.text()).toBe('<p>第一版：积水已排除</p>');
    expect((await app.request('/notices/a/')).headers.get('etag')).toBe(first.headers.get('etag'));

    writeFileSync(page, '<p>第二版：积水已更正</p>');
    const later = new Date(Date.now() + 2_000);
    utimesSync(page, later, later);
    const second = await app.request('/notices/a/');
    expect(await second.text()).toBe('<p>第二版：积水已更正</p>');
    expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(second.headers.get('content-length')).toBe(String(Buffer.byteLength('<p>第二版：积水已更正</p>')));
    cleanup();
  });

  test('the search manifest is revalidated every time; its hashed term and record files are cached as immutable', async () => {
    const { dir, cleanup } = tempDir();
    mkdirSync(join(dir, 'site', 'search-index'), { recursive: true });
    const files = { 'manifest.json': '{"v":1}', 't17.0123456789ab.json': '{"暴雨":"3,64"}', 'd0.abcdef012345.json': '[]', 'notes.json': '{}' };
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'site', 'search-index', name), body);
    const app = new Hono().get('*', serveSite({ siteDir: () => join(dir, 'site'), dataDir: dir }));
    const cache = async (name: string) => (await app.request(`/search-index/${name}`)).headers.get('cache-control');
    expect(await cache('manifest.json')).toBe('no-cache');
    expect(await cache('t17.0123456789ab.json')).toBe('public, max-age=31536000, immutable');
    expect(await cache('d0.abcdef012345.json')).toBe('public, max-age=31536000, immutable');
    expect(await cache('notes.json')).not.toContain('immutable');
    expect((await app.request('/search-index/t17.0123456789ab.json')).headers.get('content-type')).toContain('application/json');
    cleanup();
  });

  test('compressed copies count in the cache budget: growing an entry past it forgets the least recently used', () => {
    const { dir, cleanup } = tempDir();
    const cache = createFileCache<CachedFile>({ maxBytes: 100, maxEntries: 10 });
    const entry = (name: string, bytes: number): CachedFile => {
      const file = join(dir, name);
      writeFileSync(file, 'x'.repeat(bytes));
      const stat = statSync(file);
      return { file, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, bytes };
    };
    const a = entry('a', 50);
    const b = entry('b', 40);
    cache.put('a', a);
    cache.put('b', b);
    expect(cache.fresh('a')).toBe(a);
    // a is now the most recently used: b's compressed copy pushes the total to 120 and b itself goes first
    expect(cache.grow('b', b, 30)).toBe(true);
    expect(cache.fresh('b')).toBeUndefined();
    expect(cache.fresh('a')).toBe(a);
    // an entry no longer cached is not counted
    expect(cache.grow('b', b, 10)).toBe(false);
    const c = entry('c', 40);
    cache.put('c', c);
    expect(cache.fresh('a')).toBe(a);
    expect(cache.grow('a', a, 20)).toBe(true);
    expect(cache.fresh('c')).toBeUndefined();
    cleanup();
  });

  test('the search index’s item id map is not served (the browser reads only the manifest, term and record files)', async () => {
    const { dir, cleanup } = tempDir();
    const site = join(dir, 'site');
    mkdirSync(site, { recursive: true });
    await indexSite({ outDir: site, items: Array.from({ length: 20 }, (_, i) => makeSnapshot(i + 1)) });
    writeFileSync(join(site, '404.html'), '<!doctype html><title>页面未找到</title>');
    const manifest = readManifest(site)!;
    const app = new Hono().get('*', serveSite({ siteDir: () => site, dataDir: dir }));
    expect((await app.request('/search-index/manifest.json')).status).toBe(200);
    for (const name of [manifest.shards[0]!, manifest.chunks[0]!]) expect((await app.request(`/search-index/${name}`)).status, name).toBe(200);
    for (const path of [`/search-index/${manifest.ids}`, `//search-index/${manifest.ids}`, `/search-index/./${manifest.ids}`, `/search-index/%69ds${manifest.ids.slice(3)}`, `/x/../search-index/${manifest.ids}`]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain('页面未找到');
    }
    // still on disk, where the incremental update reads it
    expect(readFileSync(join(site, 'search-index', manifest.ids), 'utf8')).toContain('it000001');
    const search = readFileSync(join(import.meta.dirname, '..', '..', 'public', 'search.js'), 'utf8');
    expect(search).not.toMatch(/\.ids\b/);
    cleanup();
  });
});
