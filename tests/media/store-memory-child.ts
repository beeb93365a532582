// Run by tests/media/store-memory.test.ts in a fresh process (node --expose-gc --import tsx):
// stores one upload with storeImage or storeAudio, given as a file path (as the routes do with the
// spooled upload) or as bytes read into memory, and prints how far the peak RSS rose above the RSS
// before the call (Linux: clear_refs resets VmHWM). A warm-up store loads sharp / ffmpeg first.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { storeAudio } from '../../server/media/audio.ts';
import { storeImage } from '../../server/media/service.ts';

const [kind, mode, file, dataDir, warmFile] = process.argv.slice(2) as ['image' | 'audio', 'file' | 'data', string, string, string];
const status = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

const store = kind === 'image' ? storeImage : storeAudio;
const warm = kind === 'image' ? { data: await sharp({ create: { width: 64, height: 48, channels: 3, background: '#369' } }).png().toBuffer() } : { file: warmFile };
await store({ dataDir: join(dataDir, 'warm'), ...warm });

(globalThis as { gc?: () => void }).gc?.();
const before = status('VmRSS');
writeFileSync('/proc/self/clear_refs', '5');
const data = mode === 'data' ? new Uint8Array(readFileSync(file)) : undefined;
const result = await store({ dataDir, ...(data ? { data } : { file }), fileName: `upload.${kind === 'image' ? 'png' : 'wav'}` });
const peak = status('VmHWM');
process.stdout.write(JSON.stringify({ growth: peak - before, before, peak, created: result.created }));
