import type { User } from '../../server/users/schema.ts';
import { concernsOf, importConcerns } from '../../server/concerns/service.ts';
import { transitionConcern } from '../../server/concerns/transitions.ts';
import { isoWeekOf, weekRange } from '../../server/concerns/week.ts';
import { generateLabelledConcerns } from '../../server/groups/fixtures/labelled-concerns.ts';
import { TOPICS } from '../../server/groups/fixtures/topics.ts';
import { linkItemToGroups } from '../../server/groups/answers.ts';
import { acceptGroups } from '../../server/groups/service.ts';
import type { DemoSeeder } from './demo.ts';

const SCHOOL_BUS = [
  '南洋镇小学的校车严重超载，一辆车挤了二十多个孩子，出了事谁负责？',
  '亭湖区新兴镇中心小学接送学生的车子是改装的面包车，孩子上学安全谁来保障',
  '校车司机放学时在伍佑中学门口闯红灯，看得人心惊，校车安全不能马虎',
  '家长反映便仓小学的校车车况很差，刹车有问题，请教育部门查一下校车安全',
  '农村孩子上学坐的校车太少，好多孩子只能坐黑车，校车安全希望重视',
  '转：南洋镇小学的校车严重超载，一辆车挤了二十多个孩子，出了事谁负责？',
  '五星街道学校门口放学时校车和接孩子的车堵成一团，校车停不进去',
  '校车超员严重，孩子们站着坐不下，家长都很担心',
];
const GAOKAO = [
  '听说今年江苏高考招生指标要转移到中西部，盐城考生更难考了，是真的吗？',
  '高考名额转移这事是真的吗？家长群里都在传，求官方辟谣',
  '网上传我省减招几万人，高考生家长很担心，求真相',
  '有家长准备去教育局讨说法高考指标转移，不要被谣言带节奏',
  '教育部把江苏的本科名额划给外省，到底有没有这回事',
  '朋友圈刷屏说盐城高考录取指标被调走了，孩子明年高考怎么办',
];
const PLATFORMS = ['weibo', 'wechat', 'forum-xici', 'forum-heming', 'site580', 'youth-voice'] as const;

/**
 * Demo concerns for the current ISO week of the seed clock: 校车 and 高考 groups answered by the demo items, the rest left to suggest.
 * A concern belongs to the org of its district, so each set names the district whose desk it is meant for: 校车 is 亭湖区's
 * (logged by a 五星街道 volunteer, so it sits with that grassroots org), 高考 is split between 亭湖区 and 阜宁县 (grouped by
 * the city), and the rest — 阜宁县 after the hailstorm — is on 王芳's desk in 阜宁县.
 */
export const seedDemoConcerns: DemoSeeder = async ({ deps, users, items }) => {
  const week = isoWeekOf(deps.clock());
  if ((await concernsOf(deps).list((c) => c.week === week)).length > 0) return;
  const reporter = users['xu.reporter']!;
  const chen = users['chen.editor']!;
  const wang = users['wang.editor']!;
  const li = users['li.reviewer']!;
  const start = weekRange(week).start.getTime();
  const span = Math.max(60_000, deps.clock().getTime() - start - 60_000);
  let n = 0;
  const at = () => new Date(start + ((n++ * 7919) % 97) / 97 * span).toISOString();
  const row = (text: string, category: string, district: string, i: number) =>
    JSON.stringify({ text, platform: PLATFORMS[i % PLATFORMS.length], category, district, capturedAt: at(), ...(i % 3 === 0 ? { url: `https://example.org/demo/${week}/${n}` } : {}) });

  const others = generateLabelledConcerns({ count: 48, seed: 2026, repostShare: 0.05, singletonShare: 0.12, topics: TOPICS.filter((t) => ['小区停车难', '河道污染', '公交线路调整', '冰雹灾害救灾物资', '医保异地报销', '就业招聘'].includes(t.label)) });
  const byActor = new Map<User, string[]>([
    [reporter, SCHOOL_BUS.map((t, i) => row(t, '教育', '亭湖区', i))],
    [chen, GAOKAO.slice(0, 3).map((t, i) => row(t, '教育', '亭湖区', i))],
    [wang, [...GAOKAO.slice(3).map((t, i) => row(t, '教育', '阜宁县', i)), ...others.map((o, i) => row(o.text, o.category, '阜宁县', i))]],
  ]);
  for (const [actor, lines] of byActor) await importConcerns({ deps, actor, content: lines.join('\n'), format: 'jsonl' });

  const weekConcerns = await concernsOf(deps).list((c) => c.week === week);
  const ids = (texts: string[]) => weekConcerns.filter((c) => texts.includes(c.text)).map((c) => c.id);
  const [bus] = await acceptGroups({ deps, actor: chen, input: { week, groups: [{ title: '校车超载与接送安全', concernIds: ids(SCHOOL_BUS), decision: '联系区教育局核实校车运力，发布回应通知；交警在学校门口设护学岗。' }] } });
  const [gaokao] = await acceptGroups({ deps, actor: li, input: { week, groups: [{ title: '高考指标转移传言', concernIds: ids(GAOKAO), decision: '向省教育考试院核实，发布谣言识破攻略。' }] } });
  if (items['school-bus']) await linkItemToGroups({ deps, item: items['school-bus'], groupIds: [bus!.id] });
  if (items['gaokao-rumor']) await linkItemToGroups({ deps, item: items['gaokao-rumor'], groupIds: [gaokao!.id] });
  // One concern carried through the whole loop, to show every step.
  const first = (await concernsOf(deps).list((c) => c.groupId === bus!.id && c.status === 'answered'))[0];
  if (first) {
    const handled = await transitionConcern({ deps, actor: chen, id: first.id, input: { to: 'handled', action: { who: '亭湖区教育局', what: '核查南洋镇小学校车核载，增派一辆校车', when: deps.clock().toISOString() } } });
    await transitionConcern({ deps, actor: chen, id: handled.id, input: { to: 'replied', comment: '已在原帖回复网友：本周起增派校车，欢迎继续监督。' } });
  }
};
