// The search page's script (a file, not inline: the site's Content-Security-Policy allows no inline script).
const input = document.getElementById('q');
const out = document.getElementById('results');
const pagefind = await import('/pagefind/pagefind.js');
// The excerpt is HTML with <mark> around hits: parsed inertly, only its text and <mark>s are kept.
const excerptNodes = (html) => {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  return [...doc.body.childNodes].map((n) => {
    if (n.nodeName === 'MARK') { const m = document.createElement('mark'); m.textContent = n.textContent; return m; }
    return document.createTextNode(n.textContent ?? '');
  });
};
const show = async (q) => {
  out.replaceChildren();
  if (!q.trim()) return;
  const res = await pagefind.debouncedSearch(q);
  if (!res) return;
  const data = await Promise.all(res.results.slice(0, 20).map((r) => r.data()));
  for (const d of data) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = d.url; a.textContent = d.meta.title || d.url;
    const p = document.createElement('p'); p.append(...excerptNodes(d.excerpt));
    li.append(a, p); out.append(li);
  }
  if (!data.length) { const li = document.createElement('li'); li.textContent = '没有找到相关内容'; out.append(li); }
};
const q0 = new URLSearchParams(location.search).get('q') || '';
input.value = q0; show(q0);
input.addEventListener('input', () => show(input.value));
