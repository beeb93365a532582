/**
 * The cover's crop and focal point in the editor: drag a rectangle on the image (kept to the chosen
 * aspect and inside the image), click to set the focal point, or type the rectangle in pixels. The
 * crop is data sent with the item (`coverCrop`); sharp cuts the image when the item is published.
 */
import { CROP_ASPECTS, cropEdgeIssues, focusWindow, type CoverCropInput, type CropAspect } from '../../media/crop-rules.ts';

export interface CoverCropControl {
  /** The crop to save: null when there is none (or the cover is not an uploaded image). */
  value(): CoverCropInput | null;
  /** A new cover address: the old crop no longer applies. */
  coverChanged(src: string): void;
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

export function setupCoverCrop(onChange: () => void): CoverCropControl {
  const panel = document.getElementById('cover-crop') as HTMLFieldSetElement | null;
  if (!panel) return { value: () => null, coverChanged: () => undefined };
  const img = panel.querySelector<HTMLImageElement>('#crop-image')!;
  const stage = panel.querySelector<HTMLElement>('#crop-stage')!;
  const box = stage.querySelector<HTMLElement>('.crop-box')!;
  const dot = stage.querySelector<HTMLElement>('.crop-focus')!;
  const aspectSelect = panel.querySelector<HTMLSelectElement>('#crop-aspect')!;
  const error = panel.querySelector<HTMLElement>('#crop-error')!;
  const thumb = panel.querySelector<HTMLCanvasElement>('#crop-thumb')!;
  const input = (key: string) => panel.querySelector<HTMLInputElement>(`[data-crop-field="${key}"]`)!;

  let crop = JSON.parse(panel.dataset.crop || 'null') as CoverCropInput | null;
  /** What is saved: the last crop inside the image (a half-typed one past the edge is shown, not sent). */
  let saved = crop;
  if (crop) aspectSelect.value = crop.aspect;
  const size = () => ({ width: img.naturalWidth, height: img.naturalHeight });
  const ratio = () => CROP_ASPECTS[aspectSelect.value as CropAspect];

  function render(): void {
    const { width: W, height: H } = size();
    const ready = W > 0 && H > 0;
    box.hidden = dot.hidden = !crop || !ready;
    for (const key of ['x', 'y', 'width', 'height'] as const) if (document.activeElement !== input(key)) input(key).value = crop ? String(crop[key]) : '';
    const ctx = thumb.getContext('2d');
    ctx?.clearRect(0, 0, thumb.width, thumb.height);
    if (!ready) return;
    const r = crop ?? { x: 0, y: 0, width: W, height: H, focusX: 0.5, focusY: 0.5 };
    if (crop) {
      Object.assign(box.style, { left: `${(r.x / W) * 100}%`, top: `${(r.y / H) * 100}%`, width: `${(r.width / W) * 100}%`, height: `${(r.height / H) * 100}%` });
      Object.assign(dot.style, { left: `${r.focusX * 100}%`, top: `${r.focusY * 100}%` });
    }
    // the thumbnail shows the crop at its own aspect, fitted into the canvas
    const scale = Math.min(thumb.width / r.width, thumb.height / r.height);
    const w = r.width * scale;
    const h = r.height * scale;
    ctx?.drawImage(img, r.x, r.y, r.width, r.height, (thumb.width - w) / 2, (thumb.height - h) / 2, w, h);
  }

  function set(next: CoverCropInput | null): void {
    crop = next;
    const issues = crop ? cropEdgeIssues(crop, size()) : [];
    error.hidden = issues.length === 0;
    error.textContent = issues.map((i) => i.message).join('；');
    if (!issues.length) saved = crop;
    render();
    onChange();
  }

  /** The largest rectangle of the chosen aspect around the focal point (the whole image when free). */
  function presetCrop(): CoverCropInput {
    const { width: W, height: H } = size();
    const focus = { x: crop?.focusX ?? 0.5, y: crop?.focusY ?? 0.5 };
    const r = ratio() ? focusWindow({ left: 0, top: 0, width: W, height: H }, focus, { width: W, height: H }, ratio()!) : { left: 0, top: 0, width: W, height: H };
    return { aspect: aspectSelect.value as CropAspect, x: r.left, y: r.top, width: r.width, height: r.height, focusX: focus.x, focusY: focus.y };
  }

  /** Image pixels under a pointer event, clamped to the image. */
  function pixelAt(event: PointerEvent): { x: number; y: number } {
    const rect = img.getBoundingClientRect();
    const { width: W, height: H } = size();
    return { x: clamp(Math.round(((event.clientX - rect.left) / rect.width) * W), 0, W), y: clamp(Math.round(((event.clientY - rect.top) / rect.height) * H), 0, H) };
  }

  /** A rectangle dragged from `a` to `b`, kept to the aspect and inside the image. */
  function dragged(a: { x: number; y: number }, b: { x: number; y: number }): CoverCropInput {
    const { width: W, height: H } = size();
    const sx = b.x >= a.x ? 1 : -1;
    const sy = b.y >= a.y ? 1 : -1;
    let w = Math.abs(b.x - a.x);
    let h = Math.abs(b.y - a.y);
    const maxW = sx > 0 ? W - a.x : a.x;
    const maxH = sy > 0 ? H - a.y : a.y;
    const k = ratio();
    if (k) {
      // the larger of the two drags decides, then both shrink to fit the image
      w = Math.max(w, h * k);
      w = Math.min(w, maxW, maxH * k);
      h = w / k;
      w = Math.round(w);
      h = Math.round(h);
    } else {
      w = Math.min(w, maxW);
      h = Math.min(h, maxH);
    }
    w = Math.max(1, w);
    h = Math.max(1, h);
    const x = sx > 0 ? a.x : a.x - w;
    const y = sy > 0 ? a.y : a.y - h;
    return { aspect: aspectSelect.value as CropAspect, x, y, width: w, height: h, focusX: crop?.focusX ?? (x + w / 2) / W, focusY: crop?.focusY ?? (y + h / 2) / H };
  }

  let start: { x: number; y: number; clientX: number; clientY: number } | undefined;
  stage.addEventListener('pointerdown', (event) => {
    if (panel.disabled || !size().width) return;
    event.preventDefault();
    stage.setPointerCapture(event.pointerId);
    start = { ...pixelAt(event), clientX: event.clientX, clientY: event.clientY };
  });
  stage.addEventListener('pointermove', (event) => {
    if (!start || Math.hypot(event.clientX - start.clientX, event.clientY - start.clientY) < 4) return;
    crop = dragged(start, pixelAt(event));
    render();
  });
  stage.addEventListener('pointerup', (event) => {
    if (!start) return;
    const moved = Math.hypot(event.clientX - start.clientX, event.clientY - start.clientY) >= 4;
    const { width: W, height: H } = size();
    if (moved) set(dragged(start, pixelAt(event)));
    else {
      // a click: the focal point (a crop is made around it when there is none yet)
      const p = pixelAt(event);
      const base = crop ?? presetCrop();
      set({ ...base, focusX: Math.round((p.x / W) * 1000) / 1000, focusY: Math.round((p.y / H) * 1000) / 1000 });
    }
    start = undefined;
  });

  aspectSelect.addEventListener('change', () => set(size().width ? presetCrop() : null));
  panel.querySelector('[data-crop-reset]')?.addEventListener('click', () => {
    aspectSelect.value = 'free';
    set(null);
  });
  panel.addEventListener('change', (event) => {
    const key = (event.target as HTMLElement).dataset?.cropField as 'x' | 'y' | 'width' | 'height' | undefined;
    if (!key) return;
    const next = { ...(crop ?? presetCrop()), [key]: Math.round(Number(input(key).value)) };
    // a locked aspect follows the side typed last
    const k = ratio();
    if (k && key === 'width') next.height = Math.round(next.width / k);
    if (k && key === 'height') next.width = Math.round(next.height * k);
    set(next);
  });
  // typing in the numbers must not autosave half a number: the change event above does it
  panel.addEventListener('input', (event) => event.stopPropagation());

  img.addEventListener('load', render);
  if (img.complete) render();

  return {
    value: () => (saved && img.getAttribute('src')?.startsWith('/media/') ? saved : null),
    coverChanged(src: string) {
      const uploaded = src.startsWith('/media/');
      panel.hidden = !uploaded;
      if (img.getAttribute('src') === src) return;
      crop = saved = null;
      aspectSelect.value = 'free';
      error.hidden = true;
      if (uploaded) img.src = src;
      else img.removeAttribute('src');
      render();
    },
  };
}
