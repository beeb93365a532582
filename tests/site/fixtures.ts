import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishedItem } from '../../server/publish/schema.ts';
import { snapshotDir } from '../../server/publish/snapshots.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const paragraphs = [
  '受强对流天气影响,今天下午我市部分地区出现短时强降雨、冰雹和雷暴大风。请市民尽量减少外出,远离广告牌、临时搭建物和大树。',
  '各区已启动防汛应急响应,志愿者队伍正在各社区开展巡查。如遇险情,请拨打 110 或 12345 市民热线求助。',
  '官方信息请以本站和政务新媒体发布为准,不信谣、不传谣。',
];

function doc(texts: string[]) {
  return { type: 'doc', content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) };
}

const tagPool = ['防汛', '天气', '交通', '民生', '健康', '教育', '志愿服务'];

/** A published snapshot like the core writes, for tests and benchmarks. */
export function makeSnapshot(n: number, over: Record<string, unknown> & { kind?: PublishedItem['kind'] } = {}): PublishedItem {
  const kind = over.kind ?? (['notice', 'rumor-guide', 'video'] as const)[n % 3]!;
  const column = kind === 'notice' ? 'notices' : kind === 'rumor-guide' ? 'rumors' : 'videos';
  const at = new Date(Date.UTC(2024, 5, 23, 8, 0, 0) - n * 3600_000).toISOString();
  const slug = `item-${n}`;
  const texts = paragraphs.slice(0, 1 + (n % 3));
  const base = {
    id: `it${String(n).padStart(6, '0')}`,
    slug,
    title: `第${n}号:${['暴雨蓝色预警', '网传“化工厂爆炸”系谣言', '三分钟看懂避险常识'][n % 3]}`,
    summary: '盐城市志愿服务联合会提醒广大市民注意防范强对流天气。',
    body: doc(texts),
    bodyHtml: texts.map((t) => `<p>${escapeHtml(t)}</p>`).join(''),
    tags: [tagPool[n % tagPool.length]!, tagPool[(n + 3) % tagPool.length]!],
    groupIds: [],
    orgId: 'org-city',
    orgName: '盐城市青年志愿者协会',
    authorId: 'u-editor',
    lastEditorId: 'u-editor',
    status: 'published' as const,
    version: 3,
    createdAt: at,
    updatedAt: at,
    publishedAt: at,
    variants: { wechat: { title: `第${n}号通告` }, weibo: {} },
    corrections: [],
    history: [],
    url: `/${column}/${slug}/`,
  };
  if (kind === 'rumor-guide') {
    return {
      ...base,
      kind,
      claims: [
        {
          claim: '“城东化工厂发生爆炸,空气有毒,请紧闭门窗”',
          verdict: 'false',
          evidence: '经市应急管理局核实,城东化工厂生产正常,当天无任何安全事故;网传视频拍摄于2019年外地。',
          sources: [{ name: '市应急管理局通报', url: 'https://example.gov.cn/notice/1' }],
        },
        {
          claim: '暴雨期间自来水不能饮用',
          verdict: 'misleading',
          evidence: '水厂出水检测合格;个别小区二次供水浑浊时请暂停饮用并联系物业。',
          sources: [{ name: '市水务集团', url: 'https://example.com/water' }],
        },
      ],
      tips: ['看发布主体:是否为官方账号', '查发布时间:旧图旧视频常被翻炒', '搜关键词:权威辟谣平台是否已有结论'],
      ...over,
    } as PublishedItem;
  }
  if (kind === 'video') {
    return {
      ...base,
      kind,
      storyboard: { format: '9:16', scenes: [{ text: '遇到冰雹,立即进入室内', seconds: 20 }, { text: '远离广告牌和大树', seconds: 20 }], titleCard: { title: '三分钟看懂避险常识', seconds: 2 }, endCard: { orgName: '盐城市青年志愿者协会', date: '2024年6月23日', seconds: 3 }, transition: 'fade', motion: 'zoom' },
      render: { file: `media/ab/${'ab'.repeat(32)}.mp4`, poster: `media/ab/${'ab'.repeat(32)}.jpg`, duration: 62.5, width: 720, height: 1280, sha256: 'ab'.repeat(32), renderedAt: at },
      ...over,
    } as PublishedItem;
  }
  return { ...base, kind, ...over } as PublishedItem;
}

/** Writes `count` snapshots (plus `extra`) into `<dataDir>/published/items/`. */
export function writeFixtureSnapshots({ dataDir, count, extra = [] }: { dataDir: string; count: number; extra?: PublishedItem[] }): PublishedItem[] {
  const dir = snapshotDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const items = [...Array.from({ length: count }, (_, i) => makeSnapshot(i + 1)), ...extra];
  for (const item of items) writeFileSync(join(dir, `${item.id}.json`), JSON.stringify(item));
  return items;
}
