import type { Deps } from '../../server/context.ts';
import { createItem, itemsOf } from '../../server/content/service.ts';
import { docFromParagraphs } from '../../server/content/tiptap.ts';
import { transitionItem } from '../../server/review/service.ts';
import { createUser, findUserByName, publicUser } from '../../server/users/service.ts';
import type { User } from '../../server/users/schema.ts';
import type { QuestionInput } from '../../server/kinds/quiz/questions.ts';
import type { DemoSeeder } from './demo.ts';
import { CreateQuizSchema } from '../../server/kinds/quiz/schema.ts';
import { renderQuizCards } from '../../server/kinds/quiz/wire.ts';

export const QUIZ_TITLE = '“两学一做”知识问答';

/** Demo editors of the districts the quiz (东台) and the series (大丰) come from; password as every demo account. */
export const DISTRICT_EDITORS = [
  { username: 'gu.editor', displayName: '顾婷（东台编辑）', orgId: 'dongtai', roles: ['editor'] },
  { username: 'ma.editor', displayName: '马骏（大丰编辑）', orgId: 'dafeng', roles: ['editor'] },
] as const;

export async function districtEditor(deps: Deps, username: (typeof DISTRICT_EDITORS)[number]['username'], password: string): Promise<User> {
  const spec = DISTRICT_EDITORS.find((u) => u.username === username)!;
  const existing = await findUserByName({ deps, username });
  return existing ? publicUser(existing) : createUser({ deps, actor: 'system', input: { ...spec, roles: [...spec.roles], password } });
}

const PARTY_CONSTITUTION = { name: '中国共产党章程', url: 'https://www.12371.cn/special/zggcddzc/' };

/** Twelve questions on the 两学一做 study (东台's H5 question bank), each with its explanation. */
export const LIANGXUE_QUESTIONS: QuestionInput[] = [
  { type: 'single', text: '“两学一做”学习教育中的“两学”是指什么？', options: ['学党章党规、学系列讲话', '学党史、学国史', '学理论、学业务', '学法律、学法规'], answer: 'A', explanation: '“两学一做”即学党章党规、学系列讲话，做合格党员，是面向全体党员开展的学习教育。' },
  { type: 'single', text: '“两学一做”中的“一做”是指什么？', options: ['做合格党员', '做优秀干部', '做道德模范', '做青年志愿者'], answer: 'A', explanation: '“一做”是做合格党员，落脚点在“做”，要求党员在学习的基础上见诸行动。' },
  { type: 'truefalse', text: '“两学一做”学习教育于 2016 年在全体党员中开展。', answer: true, explanation: '2016 年 2 月，中共中央办公厅印发《关于在全体党员中开展“学党章党规、学系列讲话，做合格党员”学习教育方案》。' },
  { type: 'single', text: '中国共产党的根本宗旨是什么？', options: ['全心全意为人民服务', '发展社会生产力', '实现共同富裕', '维护社会稳定'], answer: 'A', explanation: '党章总纲规定：党除了工人阶级和最广大人民群众的利益，没有自己特殊的利益；党的根本宗旨是全心全意为人民服务。', sources: [PARTY_CONSTITUTION] },
  { type: 'single', text: '党的最高理想和最终目标是什么？', options: ['实现共产主义', '全面建成小康社会', '实现四个现代化', '消除贫困'], answer: 'A', explanation: '党章总纲规定：党的最高理想和最终目标是实现共产主义。', sources: [PARTY_CONSTITUTION] },
  { type: 'multiple', text: '合格党员“四讲四有”标准包括哪些？', options: ['讲政治、有信念', '讲规矩、有纪律', '讲道德、有品行', '讲奉献、有作为', '讲排场、有面子'], answer: 'ABCD', explanation: '“四讲四有”是合格党员的标准：讲政治、有信念，讲规矩、有纪律，讲道德、有品行，讲奉献、有作为。“讲排场”恰恰是要反对的作风。' },
  { type: 'multiple', text: '“三会一课”中的“三会”是指哪些会议？', options: ['支部党员大会', '支部委员会', '党小组会', '职工代表大会'], answer: ['支部党员大会', '支部委员会', '党小组会'], explanation: '“三会一课”即定期召开支部党员大会、支部委员会、党小组会，按时上好党课，是党的组织生活的基本制度。' },
  { type: 'single', text: '“三会一课”中的“一课”是指什么？', options: ['按时上好党课', '每周一次业务培训', '每月一次形势报告', '每年一次理论考试'], answer: 'A', explanation: '“一课”指按时上好党课，党课是对党员进行教育的基本形式。' },
  { type: 'truefalse', text: '预备党员的预备期为两年。', answer: '错', explanation: '党章规定：预备党员的预备期为一年。预备期满，支部大会讨论能否按期转为正式党员。', sources: [PARTY_CONSTITUTION] },
  { type: 'truefalse', text: '党员必须按照规定交纳党费。', answer: '对', explanation: '党章规定，党员必须履行按照规定交纳党费的义务，这是党员对党组织应尽的责任。', sources: [PARTY_CONSTITUTION] },
  { type: 'single', text: '党的思想路线是什么？', options: ['一切从实际出发，理论联系实际，实事求是，在实践中检验真理和发展真理', '以经济建设为中心', '从群众中来，到群众中去', '解放思想，与时俱进'], answer: 'A', explanation: '党章总纲：党的思想路线是一切从实际出发，理论联系实际，实事求是，在实践中检验真理和发展真理。', sources: [PARTY_CONSTITUTION] },
  { type: 'truefalse', text: '党员有权向党的上级组织直至中央提出请求、申诉和控告。', answer: true, explanation: '这是党章规定的党员权利之一，党员的请求、申诉和控告应得到负责的答复。', sources: [PARTY_CONSTITUTION] },
];

/** 东台's H5 question bank on the 两学一做 study: a published 12-question quiz with three result bands. */
export const seedDemoQuiz: DemoSeeder = async ({ deps, users }) => {
  if ((await itemsOf(deps).list((i) => i.title === QUIZ_TITLE)).length) return;
  const gu = await districtEditor(deps, 'gu.editor', 'lianxin-demo');
  const sun = users['sun.reviewer']!;
  // services take checked input: the schema turns answer letters into option texts, as the API does
  const input = CreateQuizSchema.parse({
    kind: 'quiz',
    title: QUIZ_TITLE,
    summary: '【演示数据】12 道题，答完看解析和评语：你是“学习标兵”吗？',
    body: docFromParagraphs('东台市团委网宣志愿者整理的“两学一做”题库，手机上一题一题作答，每题即时给出解析。'),
    tags: ['两学一做', '知识问答'],
    groupIds: [],
    variants: { weibo: { text: '【“两学一做”知识问答】12 道题，答完看解析，测测你能得几分！' } },
    intro: '“学党章党规、学系列讲话，做合格党员”。共 12 题，每答一题立即显示正确答案和解析。',
    questions: LIANGXUE_QUESTIONS,
    bands: [
      { min: 0, max: 59, title: '继续加油', text: '还有不少知识点需要巩固，看看每题解析，再来一次吧！' },
      { min: 60, max: 89, title: '合格党员', text: '基础扎实，大部分题目都答对了，再接再厉！' },
      { min: 90, max: 100, title: '学习标兵', text: '党章党规烂熟于心，快把成绩分享给身边的同志！' },
    ],
  });
  const created = await createItem({ deps, actor: gu, input });
  let item = created;
  for (const [to, actor] of [['in-review', gu], ['approved', sun], ['published', sun]] as const) item = await transitionItem({ deps, actor, id: created.id, input: { to } });
  // the server renders band cards on publish; the seed may run before it listens
  await renderQuizCards(deps, item);
};
