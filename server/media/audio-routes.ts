import { createRoute } from '@hono/zod-openapi';
import { assertUser } from '../auth/permissions.ts';
import { createRouter, errorResponses, jsonOk } from '../http/router.ts';
import { withUpload } from '../http/spool.ts';
import { AUDIO_MAX_BYTES, MediaAudioSchema } from './audio-schema.ts';
import { storeAudio } from './audio.ts';

const app = createRouter();

/**
 * POST /api/media/audio (multipart, field `file`): a voice-over or background music. MP3, AAC/M4A,
 * WAV or OGG/Opus, told by the bytes (415 otherwise), checked and fully decoded by ffmpeg (422 when
 * corrupt, no audio or over 10 minutes), at most 20 MB (413), stored once as AAC .m4a by the SHA-256
 * of the upload: 201 new / 200 already stored, `{ src, path, duration, codec, … }` where `path` goes
 * into `scenes[].voiceover` or `music.file`. POST /api/media itself still takes images only.
 */
const route = createRoute({
  method: 'post',
  path: '/',
  tags: ['media'],
  summary: '上传配音或背景音乐（multipart 的 file 字段；MP3、AAC/M4A、WAV、OGG/Opus，按内容识别；≤ 20 MB、≤ 10 分钟；统一转存为 AAC .m4a；返回的 path 填入 scenes[].voiceover 或 music.file）。POST /api/media 仍只收图片',
  responses: {
    201: jsonOk(MediaAudioSchema, '新存入'),
    200: jsonOk(MediaAudioSchema, '同样内容已存过（同一路径）'),
    ...errorResponses,
    413: { description: '超过 20 MB' },
    415: { description: '不是受支持的音频格式（按内容判断）' },
    422: { description: '音频损坏、没有音轨或超过 10 分钟' },
  },
});

app.openapi(route, async (c) => {
  assertUser(c.var.user);
  // spooled to a temp file with the 20 MB cap (413 at once past it); ffmpeg reads it from its path
  const { audio, created } = await withUpload(c, { field: 'file', maxBytes: AUDIO_MAX_BYTES, noun: '音频' }, async (upload) =>
    storeAudio({ dataDir: c.var.deps.config.dataDir, file: upload.path, fileName: upload.name, now: c.var.deps.clock() }),
  );
  return created ? c.json(audio, 201) : c.json(audio, 200);
});

export default app;
