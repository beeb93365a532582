import type { Deps } from '../../server/context.ts';
import type { Org } from '../../server/orgs/schema.ts';
import { createOrg } from '../../server/orgs/service.ts';
import { createUser, findUserByName, publicUser } from '../../server/users/service.ts';
import type { User } from '../../server/users/schema.ts';
import { createItem, updateItem } from '../../server/content/service.ts';
import { transitionItem } from '../../server/review/service.ts';
import { docFromParagraphs } from '../../server/content/tiptap.ts';
import type { CreateItem, Item, ItemStatus } from '../../server/content/schema.ts';
import { seedDemoConcerns } from './concerns.ts';
import { seedDemoVideo } from './video.ts';
import { seedDemoLive } from './live.ts';
import { seedDemoQuiz } from './quiz.ts';
import { seedDemoSeries } from './series.ts';
import { seedDemoReach } from './reach.ts';

/** Password of every demo account (not admin). Demo data only — say so wherever it is shown. */
export const DEMO_PASSWORD = 'lianxin-demo';
export const DEMO_LABEL = '【演示数据】';

const ORGS: { id: string; name: string; parentId: string | null; kind: Org['kind'] }[] = [
  { id: 'yc', name: '盐城市委组织部 · 团市委', parentId: null, kind: 'city' },
  { id: 'dongtai', name: '东台市', parentId: 'yc', kind: 'district' },
  { id: 'dafeng', name: '大丰区', parentId: 'yc', kind: 'district' },
  { id: 'tinghu', name: '亭湖区', parentId: 'yc', kind: 'district' },
  { id: 'yandu', name: '盐都区', parentId: 'yc', kind: 'district' },
  { id: 'funing', name: '阜宁县', parentId: 'yc', kind: 'district' },
  { id: 'sheyang', name: '射阳县', parentId: 'yc', kind: 'district' },
  { id: 'tinghu-wuxing', name: '亭湖区五星街道团工委', parentId: 'tinghu', kind: 'grassroots' },
  { id: 'dongtai-zhongxue', name: '东台中学团委', parentId: 'dongtai', kind: 'grassroots' },
  { id: 'funing-chenliang', name: '阜宁县陈良镇团委', parentId: 'funing', kind: 'grassroots' },
];

export const DEMO_USERS = [
  { username: 'chen.editor', displayName: '陈晓（编辑）', orgId: 'tinghu', roles: ['editor'] },
  { username: 'zhao.reviewer', displayName: '赵敏（审核）', orgId: 'tinghu', roles: ['reviewer'] },
  { username: 'li.reviewer', displayName: '李强（市级审核）', orgId: 'yc', roles: ['reviewer', 'editor'] },
  { username: 'sun.reviewer', displayName: '孙悦（市级审核）', orgId: 'yc', roles: ['reviewer'] },
  { username: 'wang.editor', displayName: '王芳（编辑）', orgId: 'funing', roles: ['editor'] },
  { username: 'xu.reporter', displayName: '徐亮（网络志愿者）', orgId: 'tinghu-wuxing', roles: ['reporter'] },
] as const;

/** Runs after the core seed; other domains (concerns, videos) register theirs here. */
export type DemoSeeder = (args: { deps: Deps; users: Record<string, User>; items: Record<string, Item> }) => Promise<void>;
export const demoSeeders: DemoSeeder[] = [seedDemoVideo, seedDemoConcerns, seedDemoQuiz, seedDemoSeries, seedDemoLive, seedDemoReach];

/** Walks an item through the review flow to `status` with the right people at each step. */
async function advance(deps: Deps, item: Item, status: ItemStatus, editor: User, reviewer: User): Promise<Item> {
  const steps: Record<ItemStatus, [ItemStatus, User, string?][]> = {
    draft: [],
    'in-review': [['in-review', editor]],
    'changes-requested': [['in-review', editor], ['changes-requested', reviewer, '请补充具体的整改时间和联系电话。']],
    approved: [['in-review', editor], ['approved', reviewer]],
    published: [['in-review', editor], ['approved', reviewer], ['published', reviewer]],
    retracted: [['in-review', editor], ['approved', reviewer], ['published', reviewer], ['retracted', reviewer, '文中开放时间有误，已撤回，以区教育局最新通知为准。']],
  };
  let current = item;
  for (const [to, actor, comment] of steps[status]) {
    current = await transitionItem({ deps, actor, id: current.id, input: { to, ...(comment ? { comment } : {}) } });
  }
  return current;
}

/** The Yancheng case as demo data: the org tree, demo editors and reviewers, items in every state. */
export async function seedDemo(deps: Deps): Promise<{ orgs: number; users: number; items: number }> {
  const orgs = deps.store.collection<Org>('orgs');
  for (const org of ORGS) if (!(await orgs.get(org.id))) await createOrg({ deps, actor: 'system', input: org });
  const users: Record<string, User> = {};
  for (const u of DEMO_USERS) {
    const existing = await findUserByName({ deps, username: u.username });
    users[u.username] = existing ? publicUser(existing) : await createUser({ deps, actor: 'system', input: { ...u, roles: [...u.roles], password: DEMO_PASSWORD } });
  }
  const chen = users['chen.editor']!;
  const zhao = users['zhao.reviewer']!;
  const li = users['li.reviewer']!;
  const wang = users['wang.editor']!;
  const sun = users['sun.reviewer']!;

  const specs: { key: string; by: User; reviewer: User; status: ItemStatus; input: CreateItem }[] = [
    {
      key: 'school-bus',
      by: chen,
      reviewer: zhao,
      status: 'published',
      input: {
        kind: 'notice',
        title: '关于城区校车安全的回应：新增 12 辆校车，上下学高峰加派护学岗',
        summary: `${DEMO_LABEL}本周网友集中反映校车超载、接送点拥堵，区教育局和交警大队已逐条核实并作出安排。`,
        tags: ['校车安全', '教育'],
        body: {
          type: 'doc',
          content: [
            { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '网友关心什么' }] },
            { type: 'paragraph', content: [{ type: 'text', text: '本周共收到 37 条关于校车的留言，集中在' }, { type: 'text', marks: [{ type: 'bold' }], text: '车辆超载' }, { type: 'text', text: '和放学时段接送点拥堵。' }] },
            { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '我们做了什么' }] },
            {
              type: 'bulletList',
              content: [
                { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: '区教育局新增 12 辆校车，12 月 1 日起投入运营。' }] }] },
                { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: '交警大队在 6 所学校门口设立上下学护学岗。' }] }] },
              ],
            },
            { type: 'paragraph', content: [{ type: 'text', text: '详情见' }, { type: 'text', marks: [{ type: 'link', attrs: { href: 'https://www.yancheng.gov.cn/' } }], text: '盐城市人民政府网站' }, { type: 'text', text: '。' }] },
          ],
        },
        variants: { wechat: { title: '校车安全：新增12辆校车，加派护学岗', digest: '本周网友集中反映的校车问题，有了回应。' }, weibo: { text: '【校车安全有回应】新增12辆校车，上下学高峰加派护学岗。' } },
        groupIds: [],
      },
    },
    {
      key: 'gaokao-rumor',
      by: li,
      reviewer: sun,
      status: 'published',
      input: {
        kind: 'rumor-guide',
        orgId: 'yc',
        title: '“盐城高考指标被转移到外地”？谣言识破攻略',
        summary: `${DEMO_LABEL}网传“今年盐城高考录取指标被转移”，省教育考试院已明确辟谣。教你三步识别此类谣言。`,
        tags: ['高考', '辟谣'],
        body: docFromParagraphs('近日，有网帖称“今年盐城的高考招生指标被转移到外地”，引发部分家长担忧。我们向省教育考试院和市教育局核实，情况如下。'),
        claims: [
          {
            claim: '今年盐城高考招生指标被转移到外地',
            verdict: 'false',
            evidence: '省教育考试院答复：高校招生计划按省份下达，不存在按设区市分配、转移的“指标”。今年在苏招生计划总数比去年增加。',
            sources: [{ name: '江苏省教育考试院', url: 'https://www.jseea.cn/' }],
          },
          {
            claim: '外地考生可以借盐城学籍参加高考',
            verdict: 'misleading',
            evidence: '高考报名需同时满足户籍与学籍条件，“借学籍”属违规行为，一经查实取消资格。',
            sources: [{ name: '盐城市教育局', url: 'https://jyj.yancheng.gov.cn/' }],
          },
        ],
        variants: { wechat: { title: '“高考指标被转移”？假的！' } },
        tips: ['看来源：招生政策以省教育考试院、教育局官网为准。', '看细节：“指标转移”等说法没有文件号、没有发布机关。', '看时间：不少旧帖在高考季被反复翻炒。'],
        groupIds: [],
      },
    },
    { key: 'draft', by: chen, reviewer: zhao, status: 'draft', input: { kind: 'notice', title: '五星街道老旧小区加装电梯进展', summary: `${DEMO_LABEL}草稿`, body: docFromParagraphs('（草稿）本周网友询问加装电梯补贴的申请流程……'), tags: ['城建'], groupIds: [], variants: {} } },
    { key: 'in-review', by: chen, reviewer: zhao, status: 'in-review', input: { kind: 'notice', title: '亭湖区冬季供暖报修电话公布', summary: `${DEMO_LABEL}待审核`, body: docFromParagraphs('网友反映小区暖气不热，报修电话如下……'), tags: ['民生'], groupIds: [], variants: {} } },
    { key: 'sent-back', by: chen, reviewer: zhao, status: 'changes-requested', input: { kind: 'notice', title: '关于公交 K3 路调整的说明', summary: `${DEMO_LABEL}退回修改`, body: docFromParagraphs('K3 路自下周起调整部分站点……'), tags: ['交通'], groupIds: [], variants: {} } },
    { key: 'approved', by: wang, reviewer: li, status: 'approved', input: { kind: 'notice', title: '阜宁县灾后重建志愿者招募', summary: `${DEMO_LABEL}已通过，待发布`, body: docFromParagraphs('陈良镇灾后重建需要志愿者，报名方式……'), tags: ['灾害', '志愿服务'], groupIds: [], variants: {} } },
    { key: 'retracted', by: chen, reviewer: zhao, status: 'retracted', input: { kind: 'notice', title: '区图书馆寒假开放时间', summary: `${DEMO_LABEL}已撤回`, body: docFromParagraphs('寒假期间区图书馆每天 8:00–20:00 开放。'), tags: ['文化'], groupIds: [], variants: {} } },
  ];
  const items: Record<string, Item> = {};
  const existing = await deps.store.collection<Item>('items').list();
  for (const spec of specs) {
    const found = existing.find((i) => i.title === spec.input.title);
    items[spec.key] = found ?? (await advance(deps, await createItem({ deps, actor: spec.by, input: spec.input }), spec.status, spec.by, spec.reviewer));
  }
  // a published item with a public correction
  const schoolBus = items['school-bus']!;
  if (schoolBus.corrections.length === 0) {
    const corrected = await updateItem({ deps, actor: chen, id: schoolBus.id, input: { version: schoolBus.version, summary: schoolBus.summary, correction: '原文“新增 10 辆校车”有误，应为 12 辆，已更正。' } });
    // corrections go through review like any change: a reviewer approves it, then it is live
    items['school-bus'] = await transitionItem({ deps, actor: zhao, id: corrected.id, input: { to: 'published' } });
  }
  for (const seed of demoSeeders) await seed({ deps, users, items });
  return { orgs: ORGS.length, users: DEMO_USERS.length, items: Object.keys(items).length };
}
