import { z } from 'zod';
import { AUDIO_FORMATS } from './audio-sniff.ts';

/** Largest audio upload in bytes (20 MB); larger ones get 413. */
export const AUDIO_MAX_BYTES = 20 * 1024 * 1024;
/** Longest audio we take, in seconds (10 minutes; a video is at most 180 s). */
export const AUDIO_MAX_SECONDS = 600;
/** What the storyboard gets: AAC in MP4 at this bit rate, whatever was uploaded. */
export const AUDIO_BITRATE = '128k';

/** Manifest of a stored audio file: `<dataDir>/media/<sha[0:2]>/<sha>.audio.json` (sha of the uploaded bytes). */
export const MediaAudioSchema = z.object({
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  /** Site path of the stored AAC copy (`/media/ab/<sha>.m4a`). */
  src: z.string(),
  /** The same file as a data-dir-relative media path, for `scenes[].voiceover` and `music.file`. */
  path: z.string(),
  /** Decoded length in seconds. */
  duration: z.number().positive(),
  /** Codec of the stored file (always aac). */
  codec: z.literal('aac'),
  /** Container and codec of the upload, as sniffed and probed. */
  source: z.object({ format: z.enum(AUDIO_FORMATS), codec: z.string(), bytes: z.number().int() }),
  bytes: z.number().int(),
  createdAt: z.string(),
});
export type MediaAudio = z.infer<typeof MediaAudioSchema>;
