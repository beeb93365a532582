/**
 * Place names of Yancheng added to the segmenter's dictionary so that 陈良镇 or 串场河 come out as one word
 * instead of 陈|良|镇. Public administrative names (districts, towns, sub-districts, rivers), not fixture data.
 */
const DISTRICTS = '盐城 亭湖 盐都 大丰 东台 建湖 射阳 阜宁 滨海 响水 盐南 城南新区 盐南高新区 开发区 经济技术开发区';
const TOWNS =
  // 亭湖
  '五星 文峰 先锋 大洋 毓龙 新洋 黄海 东亭 新兴 南洋 盐东 黄尖 步凤 便仓 新河 伍佑 ' +
  // 盐都
  '潘黄 盐龙 新都 龙冈 大冈 学富 尚庄 秦南 楼王 郭猛 大纵湖 张庄 鞍湖 ' +
  // 大丰
  '大中 草堰 白驹 刘庄 西团 小海 南阳 万盈 草庙 新丰 大桥 三龙 ' +
  // 东台
  '溱东 时堰 五烈 梁垛 安丰 南沈灶 富安 唐洋 新街 许河 三仓 头灶 弶港 东台镇 ' +
  // 建湖
  '近湖 钟庄 上冈 冈东 高作 沿河 芦沟 庆丰 颜单 宝塔 恒济 冈西 ' +
  // 射阳
  '合德 临海 千秋 四明 海河 海通 兴桥 新坍 长荡 盘湾 特庸 洋马 黄沙港 ' +
  // 阜宁
  '阜城 沟墩 陈良 吴滩 板湖 新沟 益林 三灶 东沟 罗桥 古河 羊寨 芦蒲 郭墅 施庄 ' +
  // 滨海, 响水
  '东坎 五汛 八巨 八滩 滨淮 天场 陈涛 坎北 正红 界牌 陈家港 小尖 黄圩 大有 双港 南河 运河';
const WATERS = '新洋港 串场河 蟒蛇河 射阳河 通榆河 大纵湖 九龙口 黄海 斗龙港 新洋港闸 射阳河闸';

/** Lines for the jieba dictionary: `word frequency tag`. */
export function placeDictionary(): string {
  const lines: string[] = [];
  for (const d of DISTRICTS.split(' ')) lines.push(`${d} 20000 ns`);
  for (const t of TOWNS.split(' ')) {
    lines.push(`${t} 5000 ns`);
    if (!/[镇港]$/.test(t)) lines.push(`${t}镇 5000 ns`, `${t}街道 5000 ns`);
  }
  for (const w of WATERS.split(' ')) lines.push(`${w} 8000 ns`);
  // Words of the domain the stock dictionary splits: 地道 is "authentic" to it, 下穿 is unknown.
  for (const w of '地下通道 下穿 涵洞 桥洞 地库 地下车库 配电房 安置点 么得 不晓得 伢子 12345 95598 龙卷风 冰雹 决堤 泄洪 排涝 积水 停电 停水 停课 复课 网课 物资'.split(' ')) lines.push(`${w} 3000 n`);
  return lines.join('\n');
}

/** Every place word the dictionary adds (for marking them as specific entities). */
export function knownPlaces(): Set<string> {
  return new Set(placeDictionary().split('\n').filter((l) => l.endsWith(' ns')).map((l) => l.split(' ')[0]!));
}

/** City, district and county names in every spelling (亭湖, 亭湖区): regions, too coarse to tell claims apart. */
export function coarsePlaces(): Set<string> {
  const out = new Set<string>();
  for (const d of DISTRICTS.split(' ')) for (const suffix of ['', '区', '县', '市']) out.add(d + suffix);
  return out;
}
