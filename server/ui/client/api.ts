/** fetch for the JSON API with the session's CSRF token; resolves to { status, data }. */
export interface ApiResult<T = unknown> {
  status: number;
  data: T;
}

export interface ApiError {
  error: { code: string; message: string; issues: { path: string; message: string }[]; data?: { currentVersion?: number } };
}

export const csrfToken = () => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

export async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  const init: RequestInit = { method, headers: { 'X-CSRF-Token': csrfToken(), Accept: 'application/json' }, credentials: 'same-origin' };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: { code: 'bad_response', message: `服务器返回了无法识别的内容（HTTP ${response.status}）`, issues: [] } };
  }
  return { status: response.status, data: data as T };
}

export const errorMessage = (data: unknown, fallback = '操作失败') => (data as ApiError | null)?.error?.message ?? fallback;

/** Uploads an image through POST /api/media (multipart field `file`; 201 stored, 200 already stored); resolves to its site path. */
export async function uploadImage(file: File): Promise<{ url: string; width: number; height: number }> {
  const form = new FormData();
  form.append('file', file);
  const { status, data } = await api<{ src: string; width: number; height: number }>('POST', '/api/media', form);
  if (status !== 201 && status !== 200) throw new Error(errorMessage(data, `上传失败（HTTP ${status}）`));
  return { url: data.src, width: data.width, height: data.height };
}
