/**
 * Pasted HTML from Word, WPS and web pages, cleaned before tiptap parses it: Word's list
 * paragraphs (`mso-list`, with the number typed into a span) become real lists, headings map to
 * the levels the editor has, and styles, classes, comments and Office tags are dropped.
 */

const ORDERED_MARKER = /^\s*(?:\(?\d{1,3}[.)、．）]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|[a-zA-Z][.)])/;

function listInfo(p: Element): { level: number; ordered: boolean } | undefined {
  const style = p.getAttribute('style') ?? '';
  const cls = p.getAttribute('class') ?? '';
  const m = /mso-list:\s*l\d+\s+level(\d+)/i.exec(style);
  if (!m && !/MsoListParagraph/i.test(cls)) return undefined;
  const marker = p.querySelector('span[style*="mso-list"]');
  const markerText = (marker?.textContent ?? p.textContent ?? '').replace(/\u00a0/g, ' ');
  return { level: Math.min(Number(m?.[1] ?? 1), 4), ordered: ORDERED_MARKER.test(markerText) };
}

/** Removes the typed number/bullet Word puts in front of a list paragraph. */
function stripMarker(p: Element): void {
  const marker = p.querySelector('span[style*="mso-list"]');
  if (marker) return void marker.remove();
  // WPS and some Word versions write the marker as plain text followed by spaces
  const first = p.firstChild;
  if (first?.nodeType === Node.TEXT_NODE) first.textContent = (first.textContent ?? '').replace(/^\s*(?:[·•▪◦§o]|\(?\d{1,3}[.)、．）]|[一二三四五六七八九十]+[、.．])[\s\u00a0]+/, '');
}

/** Turns runs of Word list paragraphs into nested <ol>/<ul>. */
function buildLists(doc: Document): void {
  const paragraphs = [...doc.body.querySelectorAll('p')].filter((p) => listInfo(p));
  const done = new Set<Element>();
  for (const start of paragraphs) {
    if (done.has(start)) continue;
    // the run: this paragraph and the list paragraphs directly after it
    const run: Element[] = [];
    for (let el: Element | null = start; el && el.tagName === 'P' && listInfo(el); el = el.nextElementSibling) run.push(el);
    const rootInfo = listInfo(run[0]!)!;
    const root = doc.createElement(rootInfo.ordered ? 'ol' : 'ul');
    const stack: { level: number; list: Element }[] = [{ level: rootInfo.level, list: root }];
    for (const p of run) {
      done.add(p);
      const info = listInfo(p)!;
      while (stack.length > 1 && info.level < stack[stack.length - 1]!.level) stack.pop();
      let top = stack[stack.length - 1]!;
      if (info.level > top.level) {
        const nested = doc.createElement(info.ordered ? 'ol' : 'ul');
        (top.list.lastElementChild ?? top.list.appendChild(doc.createElement('li'))).append(nested);
        stack.push({ level: info.level, list: nested });
        top = stack[stack.length - 1]!;
      }
      stripMarker(p);
      const li = doc.createElement('li');
      const para = doc.createElement('p');
      para.append(...p.childNodes);
      li.append(para);
      top.list.append(li);
    }
    run[0]!.before(root);
    for (const p of run) p.remove();
  }
}

export function cleanPastedHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  // comments (Word's conditional blocks), Office namespaces and non-content elements
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) comments.push(n);
  for (const n of comments) n.parentNode?.removeChild(n);
  for (const el of [...doc.body.querySelectorAll('style, script, meta, link, xml, title, template')]) el.remove();
  for (const el of [...doc.body.getElementsByTagName('*')]) if (el.tagName.includes(':')) el.replaceWith(...el.childNodes);
  buildLists(doc);
  // headings: the editor has levels 2–4
  for (const el of [...doc.body.querySelectorAll('h1, h5, h6')]) {
    const h = doc.createElement(el.tagName === 'H1' ? 'h2' : 'h4');
    h.append(...el.childNodes);
    el.replaceWith(h);
  }
  // bold written as a style (WPS, web pages) keeps its meaning; every other style goes
  for (const el of [...doc.body.querySelectorAll('[style]')]) {
    const style = el.getAttribute('style') ?? '';
    if (el.tagName === 'SPAN' && /font-weight:\s*(bold|[6-9]00)/i.test(style)) {
      const b = doc.createElement('strong');
      b.append(...el.childNodes);
      el.replaceWith(b);
    }
  }
  for (const el of [...doc.body.getElementsByTagName('*')]) {
    for (const attr of [...el.attributes]) if (!['href', 'src', 'alt', 'title', 'colspan', 'rowspan', 'start'].includes(attr.name)) el.removeAttribute(attr.name);
  }
  // spans and fonts carry nothing once their styles are gone
  for (const el of [...doc.body.querySelectorAll('span, font')]) el.replaceWith(...el.childNodes);
  return doc.body.innerHTML.replace(/&nbsp;/g, ' ');
}
