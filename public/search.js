// The search page's script (a file, not inline: the site's Content-Security-Policy allows no inline script).
// It reads the static index under /search-index/: the manifest, the term files of the query's tokens and
// the record files of the top 20 results. Stored text reaches the page only as textContent.
import { excerpt, queryTokens, rank, shardOf } from './search-core.js';

const input = document.getElementById('q');
const out = document.getElementById('results');
const status = document.getElementById('search-status');
const BASE = '/search-index/';
const files = new Map();
let manifest;

const fetchJson = async (name, fresh = false) => {
  const res = await fetch(BASE + name, fresh ? { cache: 'no-cache' } : {});
  if (!res.ok) throw new Error(`${name}: ${res.status}`);
  return res.json();
};
const file = (name) => {
  if (!files.has(name)) files.set(name, fetchJson(name).catch((e) => { files.delete(name); throw e; }));
  return files.get(name);
};

const search = async (q) => {
  manifest ??= await fetchJson('manifest.json', true);
  const m = manifest;
  const tokens = queryTokens(q);
  const shards = new Map();
  await Promise.all(tokens.map(async (t) => {
    const s = shardOf(t, m.shards.length);
    shards.set(s, await file(m.shards[s]));
  }));
  const postings = (t) => {
    const terms = shards.get(shardOf(t, m.shards.length));
    return Object.hasOwn(terms, t) ? terms[t] : undefined;
  };
  const hits = rank({ docs: m.docs, tokens, postings, limit: 20 });
  const records = await Promise.all(hits.map(async ({ doc }) => (await file(m.chunks[Math.floor(doc / m.chunkSize)]))[doc % m.chunkSize]));
  return { tokens, records: records.filter(Boolean) };
};

const render = ({ tokens, records }) => {
  out.replaceChildren(...records.map((r) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = r.u;
    a.textContent = r.t || r.u;
    const meta = document.createElement('p');
    meta.className = 'meta';
    meta.textContent = [r.c, r.d].filter(Boolean).join(' · ');
    const p = document.createElement('p');
    p.append(...excerpt(r.x, tokens).map((part) => {
      if (!part.mark) return document.createTextNode(part.text);
      const mark = document.createElement('mark');
      mark.textContent = part.text;
      return mark;
    }));
    li.append(a, meta, p);
    return li;
  }));
  if (!records.length) {
    const li = document.createElement('li');
    // the status line above says 没有找到相关内容 (and screen readers hear it): this line says what to try
    li.textContent = '换个说法试试：用两三个字的关键词，或从上方栏目浏览。';
    out.append(li);
  }
  status.textContent = records.length ? `找到 ${records.length}${records.length === 20 ? '+' : ''} 条结果` : '没有找到相关内容';
};

let seq = 0;
const show = async (q) => {
  const mine = ++seq;
  if (!q.trim()) { out.replaceChildren(); status.textContent = ''; return; }
  let found;
  try {
    found = await search(q);
  } catch {
    // the index was updated since the manifest was read (old files removed): read it again once
    manifest = undefined;
    try { found = await search(q); } catch { found = undefined; }
  }
  if (mine !== seq) return;
  if (found) render(found);
  else status.textContent = '搜索暂时不可用，请稍后再试';
};

let timer;
const q0 = new URLSearchParams(location.search).get('q') || '';
input.value = q0;
show(q0);
input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => show(input.value), 150);
});
document.querySelector('form.search')?.addEventListener('submit', (e) => {
  e.preventDefault();
  clearTimeout(timer);
  history.replaceState(null, '', `?q=${encodeURIComponent(input.value)}`);
  show(input.value);
});
