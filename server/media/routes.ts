import { assertUser } from '../auth/permissions.ts';
import { createRouter } from '../http/router.ts';
import { withUpload } from '../http/spool.ts';
import { MEDIA_MAX_BYTES } from './schema.ts';
import { storeImage } from './service.ts';
import audio from './audio-routes.ts';

const app = createRouter();

/**
 * POST /api/media (multipart, field `file`): stores an image, 201 new / 200 already stored. The file
 * is spooled to a temp file with a 10 MB cap (413 at once past it), which sharp decodes from its path.
 */
app.post('/', async (c) => {
  assertUser(c.var.user);
  const { image, created } = await withUpload(c, { field: 'file', maxBytes: MEDIA_MAX_BYTES, noun: '图片' }, async (upload) =>
    storeImage({ dataDir: c.var.deps.config.dataDir, file: upload.path, fileName: upload.name, now: c.var.deps.clock() }),
  );
  return c.json(image, created ? 201 : 200);
});

// POST /api/media/audio: voice-overs and music (see audio-routes.ts)
app.route('/audio', audio);

export default app;
