import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Next } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from '../../context.ts';
import { ValidationError, issuesFromZod } from '../../errors.ts';
import { AskSchema } from './updates-schema.ts';
import { askQuestion } from './questions.ts';
import { liveSiteDir } from './site-files.ts';
import { chooseCoding, codedTag, compressSync, MIN_COMPRESS, type Coding } from '../../publish/static-encoding.ts';

const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
const FILE = /^(latest\.json|feed\.xml|c\d{1,6}\.[0-9a-f]{12}\.json)$/;

/** Cache policy of the live files: the index short, chunks forever (their names carry a hash). */
export function liveCacheControl(file: string): string {
  if (file === 'latest.json') return 'public, max-age=5, must-revalidate';
  if (file === 'feed.xml') return 'public, max-age=60';
  return 'public, max-age=31536000, immutable';
}

interface Cached {
  mtimeMs: number;
  size: number;
  etag: string;
  body: Buffer;
  /** the body compressed, per coding, made on the first request that takes it */
  coded: Partial<Record<Coding, Buffer>>;
}

export interface LiveFile {
  status: 200 | 304;
  headers: Record<string, string>;
  body: Buffer | null;
}

/**
 * Answers `/live/<slug>/updates/<file>`: the hottest path on the site (every open live page polls
 * it). One stat per request; the body and its content-hash ETag are cached until the file changes,
 * so an unchanged index costs a 304 without reading the disk. Compressed (br, gzip) as the site's files are:
 * phones poll it every few seconds through the whole event. `undefined` when there is no such file.
 */
export function liveFiles(siteDir: () => string) {
  const cache = new Map<string, Cached>();
  return (slug: string, name: string, ifNoneMatch: string | undefined, head: boolean, acceptEncoding?: string): LiveFile | undefined => {
    if (!SLUG.test(slug) || !FILE.test(name)) return undefined;
    const file = join(liveSiteDir(siteDir(), slug), name);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return undefined;
    }
    let hit = cache.get(file);
    if (!hit || hit.mtimeMs !== stat.mtimeMs || hit.size !== stat.size) {
      const body = readFileSync(file);
      hit = { mtimeMs: stat.mtimeMs, size: stat.size, body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`, coded: {} };
      if (cache.size > 2000) cache.clear();
      cache.set(file, hit);
    }
    // the files are a few KB: compressed in the request, once per file version and coding
    const coding = hit.size >= MIN_COMPRESS ? chooseCoding(acceptEncoding) : undefined;
    const etag = coding ? codedTag(hit.etag, coding) : hit.etag;
    const headers: Record<string, string> = {
      'content-type': name.endsWith('.xml') ? 'application/rss+xml; charset=utf-8' : 'application/json; charset=utf-8',
      'cache-control': liveCacheControl(name),
      etag,
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
    };
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return { status: 304, headers, body: null };
    const body = coding ? (hit.coded[coding] ??= compressSync(hit.body, coding)) : hit.body;
    if (coding) headers['content-encoding'] = coding;
    headers['content-length'] = String(body.length);
    return { status: 200, headers, body: head ? null : body };
  };
}

/** The Hono route for the live files (app.request in tests, any adapter). */
export function serveLiveFiles(siteDir: () => string) {
  const lookup = liveFiles(siteDir);
  return async (c: Context<AppEnv>, next: Next) => {
    const found = lookup(c.req.param('slug') ?? '', c.req.param('file') ?? '', c.req.header('if-none-match'), c.req.method === 'HEAD', c.req.header('accept-encoding'));
    if (!found) return next();
    return new Response(found.body ? new Uint8Array(found.body) : null, { status: found.status, headers: found.headers });
  };
}

const PATH = /^\/live\/([^/?#]+)\/updates\/([^/?#]+)(?:\?.*)?$/;

/**
 * The same files straight on Node's request, ahead of Hono (server/http/site-fast-path.ts): polling readers
 * are answered without building a Request and a Response. `extraHeaders`: what Hono's middleware would
 * add (the security headers). Returns false for anything else.
 */
export function liveFastPath(siteDir: () => string, extraHeaders: Record<string, string> = {}) {
  const lookup = liveFiles(siteDir);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const m = PATH.exec(req.url ?? '');
    if (!m) return false;
    const inm = req.headers['if-none-match'];
    const found = lookup(m[1]!, m[2]!, Array.isArray(inm) ? inm.join(',') : inm, req.method === 'HEAD', req.headers['accept-encoding']);
    if (!found) return false;
    res.writeHead(found.status, { ...extraHeaders, ...found.headers });
    res.end(found.body ?? undefined);
    return true;
  };
}

function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return c.req.header('x-test-ip') ?? 'local';
  }
}

/**
 * `POST /api/live/:id/questions`: a reader's question (JSON `{text, nickname?}`, or a plain form
 * from the page without JavaScript, answered with a redirect back). Public: no session, no CSRF
 * token (anyone may ask; the queue is moderated), a per-address rate limit instead.
 */
export async function postQuestion(c: Context<AppEnv>): Promise<Response> {
  const type = c.req.header('content-type') ?? '';
  const isForm = type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
  let raw: unknown;
  if (isForm) {
    const form = await c.req.parseBody();
    raw = { text: form.text, ...(typeof form.nickname === 'string' && form.nickname.trim() ? { nickname: form.nickname } : {}) };
  } else if (type.startsWith('application/json')) {
    // a form and JSON share this endpoint, so the body is parsed here and checked with the same schema
    raw = await c.req.json().catch(() => {
      throw ValidationError.field('body', '请求体不是合法的 JSON');
    });
  } else {
    throw ValidationError.field('body', '请以 JSON（application/json）或表单提交问题');
  }
  const parsed = AskSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  const result = await askQuestion({ deps: c.var.deps, id: c.req.param('id') ?? '', ip: clientIp(c), input: parsed.data });
  if (isForm) {
    let target = '/';
    try {
      const back = new URL(c.req.header('referer') ?? '');
      if (back.host === new URL(c.req.url).host) target = `${back.pathname}?asked=1#ask`;
    } catch {
      // no usable referer: back to the home page
    }
    return c.redirect(target, 303);
  }
  return c.json({ ...result, message: '已收到你的问题，审核后由嘉宾回答' }, 201);
}
