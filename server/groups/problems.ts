import { pinyin } from 'pinyin-pro';

/**
 * What a concern is about, as a typed slot beside its place: the kind of problem (积水, 停电, 谣言 …). Two posts about
 * one road that name different problems (积水 vs 停电, 下水道 vs 路灯) make different claims; two that name the same
 * problem in different words (淹水 / / 水还不退) make the same one. A general taxonomy of what residents
 * report to a city (after the 12345 hotline's categories), written from the domain, not from any evaluation set.
 */
const PROBLEMS: Record<string, string> = {
  flood: '积水 淹 被淹 淹没 水淹 内涝 进水 泡水 泡了 被泡 水深 排水 排涝 抽水 窨井 涨水 漫水',
  power: '停电 断电 没电 来电 无电 通电 供电 电力 电工 跳闸 电线 线路 变压器',
  water: '停水 断水 没水 来水 供水 自来水 水压 水管 爆管 送水',
  pollution: '污染 水质 发黑 发黄 发臭 恶臭 异味 臭味 死鱼 浑浊 泄漏 化工',
  school: '停课 复课 开学 上课 网课 放假 返校 作业 教育局 考试 学生',
  transit: '公交 班车 停运 改线 绕行 线路调整 站台 首班 末班 地铁 客运 车次',
  traffic: '堵车 拥堵 封路 封闭 限行 红绿灯 信号灯 车道 掉头 违停 停车难 斑马线 交警',
  collapse: '塌方 塌陷 坍塌 倒塌 裂缝 开裂 危房 断裂 砸 倒了 吹倒 刮倒 倒伏 倒树 树倒',
  lamp: '路灯 不亮 黑灯 照明',
  sewer: '下水道 化粪池 污水 堵塞 管道 反水',
  supplies: '物资 救灾 发放 帐篷 矿泉水 方便面 食品 领取 雨布 手电 药品 捐款 捐赠 捐物',
  shelter: '安置 转移 避难 安置点 临时住 救助站',
  price: '涨价 菜价 哄抬 物价 价格 翻倍',
  rumor: '谣言 辟谣 网传 传言 据说 是真的吗 假的 造谣 不实',
  insurance: '保险 理赔 定损 赔付 保费',
  garbage: '垃圾 清运 堆积 乱扔 环卫 保洁',
  noise: '噪音 噪声 扰民 施工 半夜 广场舞',
  network: '信号 断网 没网 网络 基站 宽带 手机没信号',
  gas: '燃气 煤气 天然气 漏气 停气',
  lift: '电梯 困人 加装电梯',
  property: '物业 物业费 业委会 维修基金',
  housing: '漏雨 漏水 渗水 屋顶 墙体 外墙 墙皮 房顶 瓦片',
  farm: '庄稼 农田 大棚 玉米 棉花 水稻 小麦 鱼塘 养殖 虾塘 蟹塘 麦子',
  parking: '车库 地库 停车场 车位 停车',
  wage: '欠薪 工资 拖欠 讨薪',
  renovation: '改造 老旧小区 管网改造 雨污分流 立面 施工围挡 脚手架',
  canteen: '食堂 饭菜 伙食 外卖',
  medical: '医院 看病 挂号 急诊 药店 医保 发烧',
  dog: '流浪狗 遛狗 狗咬 犬只 拴绳',
  praise: '感谢 致敬 点赞 好样的 暖心',
};

/**
 * Kinds that one claim often mixes (a flooded road is also a blocked sewer and a detour; a shop's prices and its
 * bottled water): two posts whose kinds share a family may be one claim; kinds of different families are not.
 */
const FAMILIES: Record<string, string> = {
  flood: 'street', sewer: 'street', traffic: 'street', transit: 'street', collapse: 'street', garbage: 'street',
  supplies: 'goods', price: 'goods', shelter: 'goods',
  school: 'school', canteen: 'school',
  housing: 'home', property: 'home', lift: 'home', parking: 'home', renovation: 'home', gas: 'home',
  insurance: 'money', wage: 'money',
};

/** The family of a problem kind (itself when it has none). */
export function problemFamily(kind: string): string {
  return FAMILIES[kind] ?? kind;
}

const KIND_OF = new Map(Object.entries(PROBLEMS).flatMap(([kind, words]) => words.split(' ').map((w) => [w, kind] as [string, string])));
// Longest first, so that 手机没信号 is read before 信号 and 安置点 before 安置 (each stretch of text is read once).
const PATTERN = new RegExp([...KIND_OF.keys()].sort((a, b) => b.length - a.length).join('|'), 'g');

/** The problem kinds a cleaned text names (`flood`, `power` …), each once. */
export function problemKinds(text: string): string[] {
  const found = text.match(PATTERN);
  return found ? [...new Set(found.map((w) => KIND_OF.get(w)!))] : [];
}

/**
 * Spoken, dialect and written forms of the same complaint word (没电了 / 冇电 / 断电 / 跳闸 → 停电; 淹了 / 泡水 / 水漫 →
 * 积水; 娃 / 伢子 / 小孩 → 孩子): a post that names one gets the family's canonical word as well, so that two
 * wordings of one claim share a word. Written from how residents of any Chinese city speak, not from an evaluation
 * set; each family is narrow (停电 and 停水 stay apart), unlike the problem kinds above.
 */
const COLLOQUIAL: Record<string, string> = {
  停电: '停电 断电 没电 冇电 没得电 莫得电 无电 没有电 来电 跳闸 拉闸',
  停水: '停水 断水 没水 冇水 没得水 莫得水 无水 没有水 来水 断流 一滴水都没有 一滴都没有',
  积水: '积水 淹 泡水 泡了 被泡 水漫 漫水 内涝 进水 成了河 变成河 看海',
  孩子: '孩子 小孩 娃 娃儿 娃娃 伢 伢子 伢儿 小朋友 小娃 崽 学生',
  老人: '老人 老年人 老人家 老太太 老爷子 老头 老两口 空巢 独居老人 爷爷 奶奶',
  涨价: '涨价 翻倍 哄抬 价格上涨 涨了',
  堵塞: '堵塞 堵了 堵死 堵住',
  噪音: '噪音 噪声 扰民 吵死 太吵 吵得',
  中暑: '中暑 热射病 热晕 晒晕',
  电梯: '电梯 加梯 直梯',
  停气: '停气 停燃气 没燃气 没天然气 没煤气 没气用',
  井盖: '井盖 窨井盖 下水井盖 井盖子',
  电动车: '电动车 电瓶车 电驴 小电驴 电单车',
  垃圾: '垃圾 垃圾桶 垃圾站 垃圾房 垃圾箱',
  臭味: '臭味 恶臭 发臭 臭气 异味 臭死 臭得',
  漏水: '漏水 渗水 漏雨 往下滴水',
  路灯: '路灯 黑灯瞎火 灯不亮',
};

const CANONICAL_OF = new Map(Object.entries(COLLOQUIAL).flatMap(([canonical, words]) => words.split(' ').map((w) => [w, canonical] as [string, string])));
const COLLOQUIAL_PATTERN = new RegExp([...CANONICAL_OF.keys()].sort((a, b) => b.length - a.length).join('|'), 'g');

/** The canonical words of the colloquial families a cleaned text names (停电 for 冇电), each once. */
export function canonicalWords(text: string): string[] {
  const found = text.match(COLLOQUIAL_PATTERN);
  return found ? [...new Set(found.map((w) => CANONICAL_OF.get(w)!))] : [];
}

// Latin abbreviations that are not pinyin initials of a complaint word.
const NOT_INITIALS = new Set('ok pm am ps vip app gps atm ktv diy cbd tv pc id qq wx vx dj mv cd bb ab hr ceo wifi etc'.split(' '));

/**
 * Pinyin initials → the complaint word they abbreviate (td → 停电, ts → 停水, tq → 停气, wy → 物业), for the words of
 * the tables above that two to four letters spell unambiguously: initials that two kinds share (dt: 电梯 or 地铁)
 * stand for neither, unless exactly one of them is an outage (tq: 停气 rather than 拖欠 — outages are what people
 * abbreviate).
 */
const INITIALS: Map<string, string> = (() => {
  const candidates = new Map<string, Set<string>>();
  const words = new Set([...KIND_OF.keys(), ...Object.keys(COLLOQUIAL)]);
  for (const word of words) {
    if (word.length < 2 || word.length > 4) continue;
    const initials = pinyin(word, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
    if (!/^[a-z]{2,4}$/.test(initials) || NOT_INITIALS.has(initials)) continue;
    const set = candidates.get(initials) ?? new Set<string>();
    set.add(word);
    candidates.set(initials, set);
  }
  const out = new Map<string, string>();
  for (const [initials, set] of candidates) {
    const outage = [...set].filter((w) => w.startsWith('停') && COLLOQUIAL[w]);
    if (outage.length === 1) out.set(initials, outage[0]!);
    else if (outage.length === 0 && new Set([...set].map((w) => KIND_OF.get(w) ?? CANONICAL_OF.get(w))).size === 1) out.set(initials, [...set].sort((a, b) => a.length - b.length)[0]!);
  }
  return out;
})();

/** The complaint words a cleaned text abbreviates as pinyin initials (lw小区ts了 → 停水), each once. */
export function initialsWords(text: string): string[] {
  const found = text.match(/(?<![a-z])[a-z]{2,4}(?![a-z])/g);
  if (!found) return [];
  return [...new Set(found.map((t) => INITIALS.get(t)).filter((w): w is string => w !== undefined))];
}
