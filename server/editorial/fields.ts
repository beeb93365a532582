/**
 * Where an issue lives for people: `claims.0.sources.1.url` → “说法 1 · 来源第 2 行” and the editor's
 * field `claim-0-sources`. No Node imports: the editor's client script uses it to flag fields.
 */

export interface LocatedIssue {
  path: string;
  message: string;
}

const n = (s: string | undefined) => Number(s ?? 0) + 1;

const SCENE_FIELDS: Record<string, string> = { text: '字幕', seconds: '时长', image: '图片', voice: '配音' };
const TOP: Record<string, string> = { title: '标题', summary: '摘要', tags: '标签', cover: '封面图', body: '正文', tips: '识别技巧', slug: '网址', claims: '说法', storyboard: '分镜', groupIds: '关联议题' };

/** The Chinese name of the field at `path` (“说法 1 · 依据”), or '' when there is none to give. */
export function fieldLabel(path: string): string {
  const p = path.split('.');
  if (p[0] === 'variants') return p[1] === 'wechat' ? (p[2] === 'digest' ? '微信摘要' : '微信标题') : '微博正文';
  if (p[0] === 'claims' && p[1] !== undefined) {
    const claim = `说法 ${n(p[1])}`;
    if (p[2] === 'claim') return `${claim} · 网传说法`;
    if (p[2] === 'verdict') return `${claim} · 结论`;
    if (p[2] === 'evidence') return `${claim} · 依据`;
    if (p[2] === 'sources') return p[3] === undefined ? `${claim} · 来源` : `${claim} · 来源第 ${n(p[3])} 行`;
    return claim;
  }
  if (p[0] === 'tips' && p[1] !== undefined) return `识别技巧第 ${n(p[1])} 行`;
  if (p[0] === 'tags' && p[1] !== undefined) return `标签 ${n(p[1])}`;
  if (p[0] === 'storyboard' && p[1] === 'scenes' && p[2] !== undefined) return `分镜 ${n(p[2])}${p[3] && SCENE_FIELDS[p[3]] ? ` · ${SCENE_FIELDS[p[3]]}` : ''}`;
  return TOP[p[0] ?? ''] ?? '';
}

/** The id of the editor's form control for `path`, where the error is shown. */
export function fieldIdOf(path: string): string | undefined {
  const p = path.split('.');
  if (p[0] === 'variants') return p[1] === 'wechat' ? (p[2] === 'digest' ? 'wechatDigest' : 'wechatTitle') : 'weiboText';
  if (p[0] === 'claims') return p[1] === undefined ? 'claims-title' : `claim-${p[1]}-${p[2] === 'sources' || p[2] === 'evidence' || p[2] === 'verdict' ? p[2] : 'claim'}`;
  if (p[0] === 'tags') return 'tags';
  if (p[0] === 'body') return 'body-editor';
  if (p[0] === 'storyboard') return undefined;
  return ['title', 'summary', 'cover', 'tips', 'slug'].includes(p[0] ?? '') ? p[0] : undefined;
}

/** Rewrites a schema message for people: the field's Chinese name first, then what is wrong. */
export function locateIssue(issue: LocatedIssue, value?: unknown): LocatedIssue {
  const label = fieldLabel(issue.path);
  const p = issue.path.split('.');
  let message = issue.message;
  if (p[0] === 'claims' && p[2] === 'sources' && p[4] === 'url') message = typeof value === 'string' && value.trim() ? '网址只允许 http(s) 开头或站内地址' : '缺少网址';
  else if (p[0] === 'claims' && p[2] === 'sources' && p[4] === 'name') message = '缺少来源名称';
  if (!label || message.startsWith(label)) return { path: issue.path, message };
  // “标题不能为空” already names the field; “说法 1 · 来源第 2 行缺少网址” reads as one phrase.
  const joiner = /^(缺少|不能|最多|至少|超过)/.test(message) ? '' : '：';
  return { path: issue.path, message: `${label}${joiner}${message}` };
}

/** Chinese words for the record fields kinds use, for readable diffs (unknown keys stay as they are). */
const WORDS: Record<string, string> = {
  claim: '网传说法', verdict: '结论', evidence: '依据', sources: '来源', name: '名称', url: '网址', tips: '识别技巧', claims: '说法',
  storyboard: '分镜', scenes: '分镜', text: '字幕', seconds: '秒数', image: '图片', voiceover: '配音', format: '画幅', transition: '转场',
  motion: '镜头运动', music: '配乐', titleCard: '片头', endCard: '片尾', title: '标题', subtitle: '副标题', orgName: '署名', date: '日期', src: '文件',
};
/** Values shown in Chinese (verdicts, transitions). */
const VALUES: Record<string, Record<string, string>> = {
  verdict: { false: '谣言', misleading: '误导', unproven: '未经证实', true: '属实' },
  transition: { cut: '硬切', fade: '淡入淡出' },
};

export const wordFor = (key: string) => WORDS[key] ?? key;
export const valueWord = (key: string, value: string) => VALUES[key]?.[value] ?? value;
