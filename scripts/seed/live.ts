import type { DemoSeeder } from './demo.ts';
import type { Deps } from '../../server/context.ts';
import type { User } from '../../server/users/schema.ts';
import type { CreateItem, Item } from '../../server/content/schema.ts';
import { parseInput } from '../../server/validate.ts';
import { createItem, itemsOf } from '../../server/content/service.ts';
import { transitionItem } from '../../server/review/service.ts';
import { docFromParagraphs } from '../../server/content/tiptap.ts';
import { createUpdate, patchLive, patchUpdate, transitionUpdate, updatesOf, type LiveItem } from '../../server/kinds/live/service.ts';
import { askQuestion, moderateQuestion } from '../../server/kinds/live/questions.ts';
import { createUser, findUserByName, publicUser } from '../../server/users/service.ts';
import type { CreateUpdate } from '../../server/kinds/live/updates-schema.ts';

export const STORM_TITLE = '心系灾区在行动：6·23 龙卷风冰雹灾害救援直播';
export const QA_TITLE = '创业在线交流：青年创业政策与导师答疑';
export const GUEST = { username: 'liu.mentor', displayName: '刘建华（创业导师）' };

const doc = docFromParagraphs;
const cst = (s: string) => new Date(`${s}+08:00`).toISOString();

async function publishItem(deps: Deps, item: Item, editor: User, reviewer: User): Promise<LiveItem> {
  let current = item;
  for (const [to, actor] of [['in-review', editor], ['approved', reviewer], ['published', reviewer]] as const) current = await transitionItem({ deps, actor, id: current.id, input: { to } });
  return current as LiveItem;
}

async function post(deps: Deps, item: LiveItem, author: User, reviewer: User, input: CreateUpdate): Promise<string> {
  const u = await createUpdate({ deps, actor: author, id: item.id, input });
  await transitionUpdate({ deps, actor: reviewer, id: item.id, uid: u.id, input: { to: 'published' } });
  return u.id;
}

/** The 6·23 storm column (ended, updates of every type, one corrected, one withdrawn) and a running 创业在线交流 in qa mode with a guest. */
export const seedDemoLive: DemoSeeder = async ({ deps, users }) => {
  const existing = await itemsOf(deps).list((i) => i.kind === 'live');
  const wang = users['wang.editor']!;
  const sun = users['sun.reviewer']!;
  const chen = users['chen.editor']!;
  const zhao = users['zhao.reviewer']!;

  if (!existing.some((i) => i.title === STORM_TITLE)) {
    const created = await createItem({
      deps,
      actor: wang,
      input: parseInput(deps.kinds.schemas.create, {
        kind: 'live',
        title: STORM_TITLE,
        summary: '阜宁、射阳遭遇强龙卷风冰雹灾害，救援进展、求助信息、权威发布与辟谣实时更新。',
        body: doc('2016年6月23日14时30分前后，阜宁县、射阳县部分镇区遭受强冰雹和龙卷风双重灾害。本栏目汇集救援进展、求助信息、官方通报和谣言澄清。'),
        tags: ['灾害', '防汛'],
        groupIds: [],
        variants: { weibo: { text: '【心系灾区在行动】阜宁、射阳龙卷风冰雹灾害救援实时动态，求助热线与安置点信息持续更新。' } },
        live: { mode: 'event', place: '阜宁县、射阳县', coverageStart: cst('2016-06-23T14:30:00'), pinned: doc('救灾求助热线：0515-87212345（24 小时）', '临时安置点：阜宁县陈良中学、新沟镇中心小学、县体育馆', '捐赠渠道：盐城市慈善总会专用账户（开户行：农业银行阜宁支行）', '需要帮助：请在本页留言或拨打 12345，写明所在镇村和联系电话') },
      }) as CreateItem,
    });
    const storm = await publishItem(deps, created, wang, sun);
    await post(deps, storm, wang, sun, { type: 'official', at: cst('2016-06-23T18:05:00'), body: doc('阜宁县防汛防旱指挥部：陈良、吴滩、硕集、新沟等镇遭受龙卷风袭击，县级应急预案已启动，公安、消防、医疗力量全部赶赴现场。') });
    await post(deps, storm, wang, sun, { type: 'update', at: cst('2016-06-23T19:40:00'), body: doc('消防官兵在陈良镇五星村倒塌民房中救出 3 名被困群众，已送县人民医院救治。') });
    const shelter = await post(deps, storm, wang, sun, { type: 'help', at: cst('2016-06-23T21:10:00'), body: doc('县人民医院急需 O 型、A 型血，献血点：县中心血站（全天开放），请携带身份证。') });
    await post(deps, storm, wang, sun, { type: 'clarification', at: cst('2016-06-24T09:20:00'), body: doc('经县水利局核实，全县水库运行正常，“水库决堤”系谣言，请勿转发。'), clarification: { claim: '网传新沟镇水库决堤，下游村庄需紧急撤离', verdict: 'false' } });
    const wrong = await post(deps, storm, wang, sun, { type: 'update', at: cst('2016-06-24T11:00:00'), body: doc('陈良镇供电已全部恢复。') });
    await post(deps, storm, wang, sun, { type: 'answer', at: cst('2016-06-24T15:30:00'), body: doc('捐赠物资请优先捐赠饮用水、方便食品和帐篷，送至县民政局救灾物资接收点，不接收旧衣物。'), answeredBy: '阜宁县民政局' });
    await post(deps, storm, wang, sun, { type: 'official', at: cst('2016-06-25T10:00:00'), body: doc('截至25日10时，受灾群众已全部妥善安置，灾区供水、供电、通信基本恢复。') });
    // a correction and a withdrawal: shown as 已更正 / 已撤回 with their time, never silently changed
    const helpNow = (await updatesOf(deps).get(shelter))!.version;
    await patchUpdate({ deps, actor: wang, id: storm.id, uid: shelter, input: { version: helpNow, body: doc('县人民医院急需 O 型、A 型血，献血点：县中心血站及人民路献血屋（全天开放），请携带身份证。'), correction: '补充人民路献血屋地址' } });
    await transitionUpdate({ deps, actor: sun, id: storm.id, uid: wrong, input: { to: 'withdrawn', comment: '陈良镇仍有部分村组未恢复供电，此条有误，已撤回' } });
    const fresh = (await itemsOf(deps).get(storm.id)) as LiveItem;
    await patchLive({ deps, actor: wang, id: storm.id, input: { version: fresh.version, state: 'ended' } });
  }

  if (!existing.some((i) => i.title === QA_TITLE)) {
    const created = await createItem({
      deps,
      actor: chen,
      input: parseInput(deps.kinds.schemas.create, {
        kind: 'live',
        title: QA_TITLE,
        summary: '区人社局、团区委邀请创业导师在线解答青年创业政策、贷款贴息和场地扶持问题。',
        body: doc('本期在线交流邀请创业导师和区人社局工作人员，解答青年创业中的政策、资金和场地问题。欢迎在下方提问，问题经审核后由嘉宾回答。'),
        tags: ['就业创业'],
        groupIds: [],
        variants: {},
        live: { mode: 'qa', place: '亭湖区青年创业园', pinned: doc('交流时间：每周三 15:00–17:00', '创业担保贷款咨询：0515-88301234', '青年创业园入驻申请：亭湖区人民中路 88 号') },
      }) as CreateItem,
    });
    const qa = await publishItem(deps, created, chen, zhao);
    let guest = await findUserByName({ deps, username: GUEST.username }).then((u) => (u ? publicUser(u) : undefined));
    guest ??= await createUser({ deps, actor: 'system', input: { ...GUEST, orgId: 'tinghu', roles: ['guest'], password: 'lianxin-demo', guestOf: qa.id } });
    const asked = [];
    for (const [text, nickname] of [
      ['大学毕业两年内创业，能申请多少额度的创业担保贷款？需要抵押吗？', '盐城小陈'],
      ['在创业园租场地有没有房租补贴？补贴几年？', '做电商的阿杰'],
      ['加微信领创业补贴，日赚三千！', undefined],
      ['返乡开网店需要办营业执照吗？', undefined],
    ] as const) {
      asked.push(await askQuestion({ deps, id: qa.id, ip: 'demo-seed', input: { text, ...(nickname ? { nickname } : {}) } }));
    }
    await moderateQuestion({ deps, actor: chen, id: qa.id, qid: asked[0]!.id, to: 'accepted' });
    await moderateQuestion({ deps, actor: chen, id: qa.id, qid: asked[1]!.id, to: 'accepted' });
    await moderateQuestion({ deps, actor: chen, id: qa.id, qid: asked[2]!.id, to: 'rejected' });
    // the guest answers the first question; a reviewer publishes it (the second stays accepted, waiting for its answer)
    const answer = await createUpdate({ deps, actor: guest, id: qa.id, input: { type: 'answer', questionId: asked[0]!.id, body: doc('毕业 5 年内的高校毕业生个人创业可申请最高 30 万元创业担保贷款，10 万元以下免除反担保，财政按规定贴息。') } });
    await transitionUpdate({ deps, actor: zhao, id: qa.id, uid: answer.id, input: { to: 'published' } });
    await post(deps, qa, chen, zhao, { type: 'official', body: doc('区人社局：本期交流未能在线回答的问题，将在交流结束后一周内在本页集中答复。') });
  }
};
