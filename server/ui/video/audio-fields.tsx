/** @jsxImportSource hono/jsx */
import type { Storyboard } from '../../video/schema.ts';

const ACCEPT = 'audio/mpeg,audio/mp3,audio/aac,audio/mp4,audio/x-m4a,audio/wav,audio/x-wav,audio/ogg,audio/opus,.mp3,.m4a,.aac,.wav,.ogg,.opus';
export const AUDIO_HINT = 'MP3、AAC/M4A、WAV 或 OGG，最大 20 MB、最长 10 分钟';

/** One scene's voice-over: preview, length against the scene, upload and remove (client: video-audio.ts). */
export function VoiceoverField({ index, path, editable }: { index: number | '__N__'; path: string | undefined; editable: boolean }) {
  const n = typeof index === 'number' ? index + 1 : '';
  return (
    <div class="scene-voice" data-voice data-audio-box>
      <input type="hidden" name="sceneVoiceover" value={path ?? ''} data-field={`scenes.${index}.voiceover`} data-audio-path />
      <p class="hint">
        配音：
        <span data-audio-none hidden={Boolean(path)}>
          无
        </span>
        <span data-audio-duration aria-live="polite"></span>
      </p>
      <audio controls preload="metadata" src={path ? `/${path}` : undefined} hidden={!path} aria-label={`镜头 ${n} 的配音`} data-audio-preview></audio>
      <p class="hint over" data-voice-long role="status" hidden></p>
      {editable && (
        <div class="row wrap">
          <button type="button" data-audio-upload aria-label={`上传配音（镜头 ${n}）`}>
            上传配音
          </button>
          <button type="button" class="link-button" data-audio-clear hidden={!path} aria-label={`去掉配音（镜头 ${n}）`}>
            去掉配音
          </button>
          <input type="file" id={`scene-${index}-voice-file`} accept={ACCEPT} hidden aria-label={`选择镜头 ${n} 的配音文件`} data-audio-file />
        </div>
      )}
      <p class="field-error" data-error-for={`scenes.${index}.voiceover`} role="alert" hidden></p>
    </div>
  );
}

/** Background music for the whole video: preview, volume 0–100 %, upload and remove. */
export function MusicFields({ music, editable }: { music: Storyboard['music']; editable: boolean }) {
  const percent = Math.round(Math.min(1, music?.volume ?? 0.6) * 100);
  return (
    <fieldset class="card-fields" data-music data-audio-box>
      <legend>背景音乐</legend>
      <input type="hidden" name="musicFile" value={music?.file ?? ''} data-field="music.file" data-audio-path />
      <p class="hint">
        <span data-audio-none hidden={Boolean(music)}>
          无背景音乐。
        </span>
        <span data-audio-duration aria-live="polite"></span> 音乐循环铺满全片，首尾淡入淡出，有配音时自动压低。
      </p>
      <audio controls preload="metadata" src={music ? `/${music.file}` : undefined} hidden={!music} aria-label="背景音乐" data-audio-preview></audio>
      <div class="sb-field" data-field-box="music.volume">
        <label for="sb-music-volume">音乐音量</label>
        <input id="sb-music-volume" name="musicVolume" type="range" min={0} max={100} step={5} value={String(percent)} data-field="music.volume" disabled={!editable} aria-describedby="sb-music-volume-out" />
        <output id="sb-music-volume-out" for="sb-music-volume" data-music-volume-out>
          {percent}%
        </output>
        <p class="field-error" data-error-for="music.volume" role="alert" hidden></p>
      </div>
      {editable && (
        <div class="row wrap">
          <button type="button" data-audio-upload>
            上传背景音乐
          </button>
          <button type="button" class="link-button" data-audio-clear hidden={!music}>
            去掉背景音乐
          </button>
          <input type="file" id="sb-music-file" accept={ACCEPT} hidden aria-label="选择背景音乐文件" data-audio-file />
        </div>
      )}
      <p class="hint">{AUDIO_HINT}。</p>
      <p class="field-error" data-error-for="music.file" role="alert" hidden></p>
      <p class="field-error" data-error-for="music" role="alert" hidden></p>
    </fieldset>
  );
}
