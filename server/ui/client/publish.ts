/**
 * After 发布: the status checks the public address until it answers and then becomes the link;
 * the channel buttons copy the WeChat HTML (with its inline styles) and the Weibo text.
 */
import { api, errorMessage } from './api.ts';

async function copyHtml(html: string, text: string): Promise<void> {
  if (typeof ClipboardItem !== 'undefined' && navigator.clipboard?.write) {
    await navigator.clipboard.write([new ClipboardItem({ 'text/html': new Blob([html], { type: 'text/html' }), 'text/plain': new Blob([text], { type: 'text/plain' }) })]);
    return;
  }
  // older browsers: copy a rendered selection, which keeps the inline styles
  const box = document.createElement('div');
  box.contentEditable = 'true';
  box.innerHTML = html;
  box.style.position = 'fixed';
  box.style.left = '-9999px';
  document.body.append(box);
  const range = document.createRange();
  range.selectNodeContents(box);
  const selection = getSelection()!;
  selection.removeAllRanges();
  selection.addRange(range);
  document.execCommand('copy');
  box.remove();
}

export function setupPublishPanel(): void {
  const panel = document.querySelector<HTMLElement>('[data-publish-panel]');
  if (!panel) return;
  const id = panel.dataset.itemId!;
  const status = panel.querySelector<HTMLElement>('[data-publish-status]')!;
  const say = panel.querySelector<HTMLElement>('[data-channel-status]')!;
  const url = new URL(status.dataset.url!, location.origin).href;
  let tries = 0;
  const check = async () => {
    tries++;
    const res = await fetch(url, { method: 'HEAD', cache: 'no-store' }).catch(() => undefined);
    if (res?.ok) {
      const link = document.createElement('a');
      link.href = url;
      link.textContent = url;
      link.target = '_blank';
      link.rel = 'noopener';
      status.replaceChildren('已上线：', link);
      status.dataset.live = '1';
      return;
    }
    status.textContent = `已发布，正在生成公开页面…（已检查 ${tries} 次）`;
    setTimeout(check, Math.min(1000 + tries * 250, 5000));
  };
  void check();

  panel.querySelector('[data-copy-wechat]')?.addEventListener('click', async () => {
    say.textContent = '正在生成微信图文…';
    const { status: code, data } = await api<{ articles: { title: string; content: string }[] }>('GET', `/api/items/${id}/export/wechat`);
    if (code !== 200) return void (say.textContent = errorMessage(data, `生成失败（HTTP ${code}）`));
    const article = data.articles[0]!;
    const html = `<h1>${article.title.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)}</h1>${article.content}`;
    try {
      await copyHtml(html, article.title);
      say.textContent = '已复制微信图文（含格式），到公众号编辑器粘贴即可；图片请用“下载微信包”中的文件上传。';
    } catch (error) {
      say.textContent = `复制失败：${error instanceof Error ? error.message : String(error)}`;
    }
  });
  panel.querySelector('[data-copy-weibo]')?.addEventListener('click', async () => {
    const { status: code, data } = await api<{ text: string }>('GET', `/api/items/${id}/export/weibo`);
    if (code !== 200) return void (say.textContent = errorMessage(data, `生成失败（HTTP ${code}）`));
    try {
      await navigator.clipboard.writeText(data.text);
      say.textContent = '已复制微博文案（含话题和链接）。';
    } catch (error) {
      say.textContent = `复制失败：${error instanceof Error ? error.message : String(error)}`;
    }
    panel.dataset.weiboText = data.text;
  });
}
