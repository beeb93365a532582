import { describe, expect, test } from 'vitest';
import { learnBoilerplate, stripBoilerplate, subjectsOf } from '../../server/groups/boilerplate.ts';
import { cleanPost } from '../../server/groups/clean.ts';
import { extractFeatures } from '../../server/groups/features.ts';
import { DEFAULT_ENTITY_GATE, groupConcerns } from '../../server/groups/grouping.ts';
import { problemKinds } from '../../server/groups/problems.ts';

const concerns = (texts: string[]) => texts.map((text, i) => ({ id: String(i), text }));
const together = (result: ReturnType<typeof groupConcerns>, a: number, b: number) => result.groups.some((g) => g.concernIds.includes(String(a)) && g.concernIds.includes(String(b)));

describe('problem slot', () => {
  test('reads the kind of problem in different words', () => {
    expect(problemKinds('大庆路又淹了')).toEqual(['flood']);
    expect(problemKinds('小区一直没电')).toEqual(['power']);
    expect(problemKinds('门口的下水道堵了')).toContain('sewer');
    expect(problemKinds('路灯一到晚上就灭')).toEqual(['lamp']);
  });

  test('one place with two problems (积水, 停电) makes two claims; without the slot the two posts join', () => {
    const texts = ['青年路地道积水了，车子过不去', '青年路地道停电了，车子过不去', '开放大道下穿积水严重绕行', '人民医院门口堵车', '解放路广告牌被风吹歪了', '今天终于出太阳了'];
    expect(together(groupConcerns(concerns(texts)), 0, 1)).toBe(false);
    expect(together(groupConcerns(concerns(texts), { entityGate: { ...DEFAULT_ENTITY_GATE, problemDisjoint: 1 } }), 0, 1)).toBe(true);
  });
});

describe('abbreviations learned from the batch', () => {
  const school = ['盐城中学明天停不停课，家长都在问', '盐城中学停课通知什么时候发', '解放路广告牌被风吹歪了', '开放大道下穿积水严重绕行', '今天终于出太阳了'];

  test('a short name that spells one place of the week in order joins it (盐中 → 盐城中学)', () => {
    const result = groupConcerns(concerns([...school, '盐中明天停课吗']));
    expect(together(result, 0, 5)).toBe(true);
  });
});

describe('boilerplate learned from the batch', () => {
  const pasted = '希望有关部门能看到，也请大家帮忙转一下';
  const texts = [
    `${pasted}。青年路地道积水一米深`,
    `${pasted}。解放路广告牌被风吹歪了`,
    `${pasted}。人民医院门口堵车一个小时`,
    '幸福里小区发物资只发给熟人，请查一查。红十字会捐款账户是真的吗',
    '红十字会捐款账户是真的吗，公司要组织捐款',
    '红十字会捐款账户是真的吗？求官方说一下',
  ];
  const features = texts.map((t) => extractFeatures(t));
  const bodies = texts.map((t) => cleanPost(t).body);
  const learned = learnBoilerplate(bodies, (i) => subjectsOf(features[i]!), (clause) => subjectsOf(extractFeatures(clause)));

  test('a clause pasted around posts about different places is boilerplate', () => {
    expect(learned).toContain('希望有关部门能看到');
    expect(learned).toContain('也请大家帮忙转一下');
  });

  test('a claim copied word for word is not: its posts are about one thing', () => {
    expect(learned).not.toContain('红十字会捐款账户是真的吗');
  });

  test('the pasted words leave the features, what the post says stays', () => {
    const f = stripBoilerplate(bodies, features, learned, (clause) => extractFeatures(clause))[0]!;
    expect(f.has('w:帮忙')).toBe(false);
    expect(f.has('e:青年路')).toBe(true);
    expect(f.has('p:flood')).toBe(true);
  });
});
