// WeChat strips <style> and classes, so every element carries its look inline.
/** Inline styles of the WeChat article (WeChat strips <style> and classes). */
export const S = {
  p: 'margin:0 0 16px;font-size:16px;line-height:1.75;color:#333;',
  h2: 'margin:24px 0 12px;font-size:18px;font-weight:bold;color:#c8102e;',
  h3: 'margin:20px 0 10px;font-size:17px;font-weight:bold;color:#333;',
  quote: 'margin:0 0 16px;padding:8px 12px;border-left:3px solid #ddd;color:#666;',
  list: 'margin:0 0 16px;padding-left:24px;font-size:16px;line-height:1.75;color:#333;',
  img: 'display:block;max-width:100%;height:auto;margin:0 auto 16px;',
  box: 'margin:0 0 16px;padding:12px;border:1px solid #eee;border-radius:6px;',
  note: 'margin:0 0 16px;padding:8px 12px;background:#fff8e1;border-left:3px solid #f0a500;font-size:15px;color:#333;',
  a: 'color:#576b95;text-decoration:none;',
  hr: 'border:0;border-top:1px solid #eee;margin:20px 0;',
  code: 'font-family:Menlo,monospace;background:#f6f7f9;padding:0 4px;',
};
/** A verdict badge (rumor guides). */
export const badge = (v: string) => `display:inline-block;padding:0 8px;border-radius:4px;color:#fff;font-weight:bold;background:${{ false: '#c8102e', misleading: '#d35400', unproven: '#6c757d', true: '#1e7e34' }[v] ?? '#6c757d'};`;

export const wechatStyles = S;
