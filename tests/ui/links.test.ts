import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, loginAs, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ demo: true });
});
afterAll(async () => {
  await env?.close();
});

/** Workbench addresses in a page's links (downloads and logout left out: they are not pages). */
function linksOf(html: string): string[] {
  return [...html.matchAll(/href="(\/workbench[^"#]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')).filter((href) => !/\/logout|\/assets\/|\.(docx|csv|md|html|xlsx|zip)(\?|$)/.test(href));
}

/**
 * Follows every workbench link a user can see from the home page, breadth first, one or two pages per route shape
 * (ids replaced), and returns the ones that did not answer 200 (after one redirect).
 */
async function brokenLinks(username: string, limit = 120): Promise<string[]> {
  const { cookie } = await loginAs(env.app, username);
  const seen = new Set<string>();
  const shapes = new Map<string, number>();
  const queue: Array<[string, string]> = [['/workbench', '(start)']];
  const broken: string[] = [];
  while (queue.length && seen.size < limit) {
    const [path, from] = queue.shift()!;
    if (seen.has(path)) continue;
    const shape = path.replace(/[a-z]+_[0-9a-f]{8,}/g, ':id').replace(/\?.*/, '');
    if ((shapes.get(shape) ?? 0) >= 2) continue;
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    seen.add(path);
    let res = await env.app.request(path, { headers: { cookie } });
    if (res.status === 302 || res.status === 303) res = await env.app.request(res.headers.get('location')!, { headers: { cookie } });
    if (res.status !== 200) {
      broken.push(`${path} → ${res.status} (linked from ${from})`);
      continue;
    }
    if (!(res.headers.get('content-type') ?? '').includes('text/html')) continue;
    for (const href of linksOf(await res.text())) if (!seen.has(href)) queue.push([href, path]);
  }
  expect(seen.size).toBeGreaterThan(15);
  return broken;
}

describe('workbench links', () => {
  test.each(['chen.editor', 'zhao.reviewer', 'xu.reporter', 'li.reviewer', 'admin'])('every link %s can follow leads to a page, not a 404', async (username) => {
    expect(await brokenLinks(username)).toEqual([]);
  });
});
