import { parse, type DefaultTreeAdapterTypes as DT } from 'parse5';

/** Script files the site itself serves: the reach beacon, search, the quiz and the live page's hashed script. */
export const OWN_SCRIPT = /^\/(reach\.js|search\.js|scripts\/quiz\.js|live\/assets\/live\.[0-9a-f]+\.js)$/;

/** Live-document problems: event-handler attributes, script URLs, script elements, embedding elements in the article. */
export function domProblems(html: string): string[] {
  const found: string[] = [];
  const walk = (node: DT.ParentNode, inMain: boolean, inBody = false) => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      const el = child as DT.Element;
      for (const a of el.attrs) {
        if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}`);
        if (/^(href|src|action|formaction|srcset|poster|data|xlink:href)$/i.test(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)) found.push(`${el.tagName} ${a.name}=${a.value}`);
      }
      const jsonLd = el.attrs.some((a) => a.name === 'type' && a.value === 'application/ld+json');
      // the site's own script files, by exact path, with no inline content
      const own = el.childNodes.length === 0 && el.attrs.some((a) => a.name === 'src' && OWN_SCRIPT.test(a.value));
      if (el.tagName === 'script' && !jsonLd && !own) found.push(`script ${JSON.stringify(el.attrs)}`);
      if (inMain && /^(iframe|object|embed|base|meta|style|svg|math|details)$/.test(el.tagName)) found.push(`${el.tagName} in main`);
      // the quiz and the live Q&A have their own buttons and forms; inside a rendered body (user HTML) none may appear
      if (inBody && /^(form|textarea|button|input|select)$/.test(el.tagName)) found.push(`${el.tagName} in a body`);
      const isBody = el.attrs.some((a) => a.name === 'class' && a.value.split(/\s+/).includes('body'));
      walk(el.tagName === 'template' ? (el as DT.Template).content : el, inMain || el.tagName === 'main', inBody || isBody);
    }
  };
  walk(parse(html), false);
  return found;
}

/** The same checks on an HTML fragment (a feed description, a package's content): everything counts as inside the article. */
export const fragmentProblems = (html: string) => domProblems(`<main>${html}</main>`);

