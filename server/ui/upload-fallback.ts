/**
 * FALLBACK, to be dropped at merge: a minimal POST /api/media and GET /media/* so the editor's
 * image upload works before the site helper's media API (sharp variants, content hash) is on main.
 * Same contract: multipart field `file` → 201 { id, url, width, height, variants }.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import sharp from 'sharp';
import type { AppEnv } from '../context.ts';
import { MediaError, NotFoundError, PayloadTooLargeError, ValidationError } from '../errors.ts';
import { assertRole, assertUser } from '../auth/permissions.ts';
import { writeFileDurable } from '../store/durable-file.ts';

const MAX_BYTES = 10_000_000;
const FORMATS: Record<string, { ext: string; type: string }> = {
  jpeg: { ext: 'jpg', type: 'image/jpeg' },
  png: { ext: 'png', type: 'image/png' },
  webp: { ext: 'webp', type: 'image/webp' },
  gif: { ext: 'gif', type: 'image/gif' },
};

const app = new Hono<AppEnv>();

app.post(
  '/api/media',
  bodyLimit({ maxSize: MAX_BYTES, onError: () => { throw new PayloadTooLargeError('file: 图片不能超过 10 MB'); } }),
  async (c) => {
    const user = assertUser(c.var.user);
    assertRole(user, 'editor', '上传图片');
    const form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File)) throw ValidationError.field('file', '请用 multipart 字段 file 上传图片');
    const bytes = Buffer.from(await file.arrayBuffer());
    let meta;
    try {
      meta = await sharp(bytes).metadata();
    } catch (error) {
      throw new MediaError(415, 'file: 不是可识别的图片（支持 JPEG、PNG、WebP、GIF）', { cause: error });
    }
    const format = FORMATS[meta.format ?? ''];
    if (!format) throw new MediaError(415, `file: 不支持的图片格式 ${meta.format}（支持 JPEG、PNG、WebP、GIF）`);
    if (!meta.width || !meta.height) throw new MediaError(422, 'file: 图片没有尺寸信息');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const rel = `${sha.slice(0, 2)}/${sha}.${format.ext}`;
    const dir = join(c.var.deps.config.dataDir, 'media', sha.slice(0, 2));
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${sha}.${format.ext}`);
    if (!(await stat(path).catch(() => undefined))) await writeFileDurable(path, bytes);
    return c.json({ id: sha, url: `/media/${rel}`, width: meta.width, height: meta.height, type: format.type, bytes: bytes.length, variants: [] }, 201);
  },
);

app.get('/media/:prefix/:name', async (c) => {
  const { prefix, name } = c.req.param();
  const match = /^([0-9a-f]{64})\.(jpg|png|webp|gif)$/.exec(name);
  if (!/^[0-9a-f]{2}$/.test(prefix) || !match || !match[1]!.startsWith(prefix)) throw new NotFoundError('没有这个媒体文件');
  const body = await readFile(join(c.var.deps.config.dataDir, 'media', prefix, name)).catch(() => {
    throw new NotFoundError('没有这个媒体文件');
  });
  const type = Object.values(FORMATS).find((f) => f.ext === match[2])!.type;
  return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=31536000, immutable' });
});

export default app;
