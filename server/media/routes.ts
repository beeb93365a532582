import { bodyLimit } from 'hono/body-limit';
import { assertUser } from '../auth/permissions.ts';
import { PayloadTooLargeError, ValidationError } from '../errors.ts';
import { createRouter } from '../http/router.ts';
import { MEDIA_MAX_BYTES } from './schema.ts';
import { storeImage } from './service.ts';
import audio from './audio-routes.ts';

const app = createRouter();

// multipart overhead on top of the file itself
const limit = bodyLimit({
  maxSize: MEDIA_MAX_BYTES + 64 * 1024,
  onError: () => {
    throw new PayloadTooLargeError(`file: 图片超过 ${MEDIA_MAX_BYTES / 1024 / 1024} MB 上限`);
  },
});

/** POST /api/media (multipart, field `file`): stores an image, 201 new / 200 already stored. */
app.post('/', limit, async (c) => {
  assertUser(c.var.user);
  if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data')) throw ValidationError.field('file', '请用 multipart/form-data 上传，字段名 file');
  const form = await c.req.parseBody();
  const file = form.file;
  if (!(file instanceof File)) throw ValidationError.field('file', '缺少图片文件（字段名 file）');
  const { image, created } = await storeImage({ dataDir: c.var.deps.config.dataDir, data: new Uint8Array(await file.arrayBuffer()), fileName: file.name, now: c.var.deps.clock() });
  return c.json(image, created ? 201 : 200);
});

// POST /api/media/audio: voice-overs and music (see audio-routes.ts)
app.route('/audio', audio);

export default app;
