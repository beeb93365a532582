/** The review page: channel previews as the editor sees them, passage comments, the publish panel. */
import { renderPreviews, setupTabs, type PreviewState } from './previews.ts';
import { setupPublishPanel } from './publish.ts';

const data = JSON.parse(document.getElementById('review-data')!.textContent!) as { itemId: string; preview: PreviewState };
renderPreviews(data.preview);
setupTabs();
setupPublishPanel();

const siteBody = () => document.querySelector<HTMLElement>('[data-preview="site"] .site-body');

/** Marks the passages open comments are about in the site preview. */
function markQuotes(): void {
  const body = siteBody();
  if (!body) return;
  for (const item of document.querySelectorAll<HTMLElement>('.comment-open[data-quote]')) {
    const quote = item.dataset.quote;
    if (!quote) continue;
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const at = node.data.indexOf(quote);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + quote.length);
      const mark = document.createElement('mark');
      mark.className = 'comment-anchor';
      mark.title = '有未解决的评论';
      mark.dataset.commentId = item.dataset.commentId!;
      range.surroundContents(mark);
      break;
    }
  }
}
markQuotes();

// selecting text in the site preview makes the next comment about that passage
const form = document.querySelector<HTMLFormElement>('[data-comment-form]');
const quoteBox = form?.querySelector<HTMLElement>('[data-quote-box]');
const quoteInput = form?.querySelector<HTMLInputElement>('input[name="quote"]');
document.addEventListener('mouseup', () => {
  const selection = getSelection();
  const body = siteBody();
  if (!form || !quoteBox || !quoteInput || !selection || selection.isCollapsed || !body) return;
  const range = selection.getRangeAt(0);
  if (!body.contains(range.commonAncestorContainer)) return;
  const text = selection.toString().replace(/\s+/g, ' ').trim().slice(0, 500);
  if (!text) return;
  quoteInput.value = text;
  quoteBox.querySelector('[data-quote-text]')!.textContent = text;
  quoteBox.hidden = false;
});
form?.querySelector('[data-clear-quote]')?.addEventListener('click', () => {
  quoteInput!.value = '';
  quoteBox!.hidden = true;
});
