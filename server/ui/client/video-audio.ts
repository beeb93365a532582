/**
 * Voice-overs per scene and background music in the storyboard editor: upload through
 * POST /api/media/audio, an <audio> preview with its length, a hint when a voice-over runs past its
 * scene (the renderer cuts it there), remove, and the music volume slider (0–100 % → volume 0–1).
 */
import { api, errorMessage } from './api.ts';

export interface StoredAudio {
  src: string;
  path: string;
  duration: number;
}

/** Uploads a voice-over or music file (201 stored, 200 already stored). */
export async function uploadAudio(file: File): Promise<StoredAudio> {
  const form = new FormData();
  form.append('file', file);
  const { status, data } = await api<StoredAudio>('POST', '/api/media/audio', form);
  if (status !== 201 && status !== 200) throw new Error(errorMessage(data, `上传失败（HTTP ${status}）`));
  return data;
}

/** The storyboard's `music`, or undefined when none is set. */
export function readMusic(root: ParentNode): { file: string; volume: number } | undefined {
  const file = root.querySelector<HTMLInputElement>('[name="musicFile"]')?.value.trim();
  if (!file) return undefined;
  const percent = Number(root.querySelector<HTMLInputElement>('[name="musicVolume"]')?.value ?? 60);
  return { file, volume: Math.round(percent) / 100 };
}

const seconds = (s: number) => `${s.toFixed(1)} 秒`;

/** Shows the length and, for a scene, whether the voice-over is longer than the scene. */
function updateLength(box: HTMLElement, known?: number) {
  const audio = box.querySelector<HTMLAudioElement>('[data-audio-preview]')!;
  const path = box.querySelector<HTMLInputElement>('[data-audio-path]')!.value;
  const duration = known ?? (Number.isFinite(audio.duration) ? audio.duration : Number.NaN);
  if (Number.isFinite(duration)) box.dataset.duration = String(duration);
  const length = Number(box.dataset.duration);
  box.querySelector<HTMLElement>('[data-audio-duration]')!.textContent = path && Number.isFinite(length) ? `时长 ${seconds(length)}` : '';
  const long = box.querySelector<HTMLElement>('[data-voice-long]');
  if (!long) return;
  const scene = Number(box.closest('[data-scene]')?.querySelector<HTMLInputElement>('[name="sceneSeconds"]')?.value);
  const over = path && Number.isFinite(length) && scene > 0 ? length - scene : 0;
  long.hidden = !(over > 0.05);
  long.textContent = over > 0.05 ? `配音 ${seconds(length)}，比镜头长 ${seconds(over)}：超出部分会被截掉，可把镜头时长改为 ${Math.ceil(length * 2) / 2} 秒。` : '';
}

function setAudio(box: HTMLElement, audio: StoredAudio | undefined) {
  box.querySelector<HTMLInputElement>('[data-audio-path]')!.value = audio?.path ?? '';
  const preview = box.querySelector<HTMLAudioElement>('[data-audio-preview]')!;
  preview.hidden = !audio;
  if (audio) preview.src = audio.src;
  else preview.removeAttribute('src');
  delete box.dataset.duration;
  box.querySelector<HTMLElement>('[data-audio-none]')!.hidden = Boolean(audio);
  const clear = box.querySelector<HTMLElement>('[data-audio-clear]');
  if (clear) clear.hidden = !audio;
  updateLength(box, audio?.duration);
}

export function setupAudio(root: HTMLElement, changed: () => void): void {
  root.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    const box = target.closest<HTMLElement>('[data-audio-box]');
    if (!box) return;
    if (target.closest('[data-audio-upload]')) box.querySelector<HTMLInputElement>('[data-audio-file]')?.click();
    else if (target.closest('[data-audio-clear]')) {
      setAudio(box, undefined);
      changed();
    }
  });
  root.addEventListener('change', async (event) => {
    const input = event.target as HTMLInputElement;
    if (!input.matches('[data-audio-file]')) return;
    event.stopPropagation();
    const box = input.closest<HTMLElement>('[data-audio-box]')!;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const error = [...box.querySelectorAll<HTMLElement>('.field-error')].at(-1)!;
    const status = box.querySelector<HTMLElement>('[data-audio-duration]')!;
    error.hidden = true;
    status.textContent = '上传中…';
    try {
      setAudio(box, await uploadAudio(file));
      changed();
    } catch (e) {
      status.textContent = '';
      error.textContent = e instanceof Error ? e.message : String(e);
      error.hidden = false;
    }
  });
  root.addEventListener('input', (event) => {
    const target = event.target as HTMLElement;
    if (target.matches('[data-audio-file]')) event.stopPropagation();
    if (target.matches('[name="musicVolume"]')) root.querySelector('[data-music-volume-out]')!.textContent = `${(target as HTMLInputElement).value}%`;
    if (target.matches('[name="sceneSeconds"]')) {
      const box = target.closest('[data-scene]')?.querySelector<HTMLElement>('[data-voice]');
      if (box) updateLength(box);
    }
  });
  // media events do not bubble: listen in the capture phase so scenes added later are covered
  root.addEventListener('loadedmetadata', (event) => {
    const box = (event.target as HTMLElement).closest<HTMLElement>('[data-audio-box]');
    if (box) updateLength(box);
  }, true);
  for (const box of root.querySelectorAll<HTMLElement>('[data-audio-box]')) updateLength(box);
}
