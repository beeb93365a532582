import { html, raw } from 'hono/html';

interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, { summary?: string; tags?: string[]; requestBody?: { content?: Record<string, { schema?: unknown }> }; parameters?: { name: string; in: string }[] }>>;
}

/** A readable API reference built from the OpenAPI document (no CDN, no client script). */
export function renderApiDocs(doc: OpenApiDoc) {
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op, tag: op.tags?.[0] ?? 'other' })),
  );
  const tags = [...new Set(rows.map((r) => r.tag))];
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} · API 参考</title>
<style>body{font:15px/1.6 system-ui,"Noto Sans SC",sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2328}
h2{border-bottom:1px solid #ddd;padding-bottom:.3rem;margin-top:2rem}code,pre{font:13px ui-monospace,monospace}
.op{border:1px solid #e3e3e3;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}.m{display:inline-block;min-width:4.5em;font-weight:700}
.GET{color:#0969da}.POST{color:#1a7f37}.PATCH{color:#9a6700}.DELETE{color:#cf222e}details pre{background:#f6f8fa;padding:.6rem;overflow:auto}</style></head>
<body><h1>${doc.info.title} API <small>v${doc.info.version}</small></h1>
<p>所有接口在 <code>/api</code> 下，只收发 JSON。错误格式：<code>{ "error": { "code", "message", "issues": [{ "path", "message" }] } }</code>。
浏览器会话用 Cookie，写操作需带 <code>X-CSRF-Token</code>（登录或 <code>GET /api/session</code> 返回的 csrfToken）。机器可读文档：<a href="/api/openapi.json">/api/openapi.json</a>（OpenAPI 3.1）。</p>
${tags.map(
  (tag) => html`<h2 id="${tag}">${tag}</h2>
${rows
  .filter((r) => r.tag === tag)
  .map((r) => {
    const schema = r.op.requestBody?.content?.['application/json']?.schema;
    const params = (r.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    return html`<div class="op"><span class="m ${r.method}">${r.method}</span> <code>/api${r.path}</code> — ${r.op.summary ?? ''}
${params.length ? html`<div>查询参数：<code>${params.join(', ')}</code></div>` : ''}
${schema ? html`<details><summary>请求体</summary><pre>${raw(escapeJson(schema))}</pre></details>` : ''}</div>`;
  })}`,
)}
</body></html>`;
}

function escapeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
