import { describe, expect, test } from 'vitest';
import { decodePostings, encodePostings, firstDoc, holdsAny, prependPostings, rewritePostings, excerpt, normalize, queryTokens, rank, shardOf, termWeights, tokenize } from '../../public/search-core.js';

describe('search tokenizer', () => {
  test('splits Chinese into characters and overlapping pairs, Latin words and numbers whole', () => {
    expect(tokenize('暴雨预警 Typhoon 12345')).toEqual(['暴', '暴雨', '雨', '雨预', '预', '预警', '警', 'typhoon', '12345']);
    expect(tokenize('2019年外地')).toEqual(['2019', '年', '年外', '外', '外地', '地']);
  });

  test('a query looks up a Chinese run by its pairs, a single character by itself, words whole, each once', () => {
    expect(queryTokens('化工厂')).toEqual(['化工', '工厂']);
    expect(queryTokens('雨')).toEqual(['雨']);
    expect(queryTokens('暴雨 暴雨 WiFi')).toEqual(['暴雨', 'wifi']);
  });

  test('full-width letters and digits match their ASCII forms (NFKC), upper case its lower case', () => {
    expect(queryTokens('ＡＢＣ１２３')).toEqual(['abc123']);
    expect(tokenize('ＷｉＦｉ')).toEqual(tokenize('wifi'));
    expect(normalize('Ⅻ')).toBe('xii');
  });

  test('hostile strings: markup is text, emoji and lone surrogates are separators, nothing throws', () => {
    expect(queryTokens('</script><img src=x onerror=alert(1)>')).toEqual(['script', 'img', 'src', 'x', 'onerror', 'alert', '1']);
    expect(queryTokens('😀暴雨😀')).toEqual(['暴雨']);
    expect(queryTokens('\ud800暴\udc00雨\ud800')).toEqual(['暴', '雨']);
    expect(queryTokens('')).toEqual([]);
    expect(queryTokens('   ,。!  ')).toEqual([]);
    expect(tokenize('\u0000\u200b\ufeff')).toEqual([]);
    // a long word is cut; a long query is read only so far
    expect(tokenize('a'.repeat(5_000))).toEqual(['a'.repeat(40)]);
    const long = queryTokens('暴雨'.repeat(250));
    expect(long.length).toBeLessThanOrEqual(24);
    expect(queryTokens(Array.from({ length: 500 }, (_, i) => `w${i}`).join(' '))).toHaveLength(24);
    expect(queryTokens('constructor __proto__ toString')).toEqual(['constructor', 'proto', 'tostring']);
  });

  test('shards are stable numbers in range', () => {
    for (const t of ['暴雨', 'a', '😀', 'constructor', '']) {
      const s = shardOf(t, 256);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(256);
      expect(shardOf(t, 256)).toBe(s);
    }
    expect(new Set(['暴雨', '预警', '化工', '工厂', '谣言', '志愿'].map((t) => shardOf(t, 256))).size).toBeGreaterThan(3);
  });
});

describe('search ranking', () => {
  const docs = [
    { title: '暴雨蓝色预警', text: '暴雨蓝色预警 今天有暴雨,请注意防范。' },
    { title: '防汛知识', text: '防汛知识 遇到暴雨时远离河道。' },
    { title: '天气', text: '天气 今天晴,没有雨。' },
  ];
  const index = new Map<string, Array<[number, number]>>();
  docs.forEach((d, doc) => {
    for (const [t, w] of termWeights(d.title, d.text).weights) index.set(t, [...(index.get(t) ?? []), [doc, w]]);
  });
  const search = (q: string) => rank({ docs: docs.length, tokens: queryTokens(q), postings: (t) => (index.has(t) ? encodePostings(index.get(t)!) : undefined) }).map((r) => r.doc);

  test('postings survive the delta encoding', () => {
    const list: Array<[number, number]> = [[0, 5], [3, 120], [17, 1]];
    expect(encodePostings(list)).toBe('h,1,e,3c,3,5');
    expect(decodePostings(encodePostings(list))).toEqual([...list].reverse());
    expect(firstDoc(encodePostings(list))).toBe(17);
    expect(decodePostings(prependPostings(encodePostings(list), [[20, 7], [1000, 2]]))).toEqual([[1000, 2], [20, 7], ...[...list].reverse()]);
    expect(prependPostings('', [[4, 1]])).toBe('4,1');
    const big = encodePostings([[0, 1], [35, 2], [36, 3], [1295, 4], [1296, 5]]);
    for (const doc of [0, 35, 36, 1295, 1296]) expect(holdsAny(big, new Set([doc]), doc), String(doc)).toBe(true);
    for (const doc of [1, 34, 37, 1297]) expect(holdsAny(big, new Set([doc]), doc), String(doc)).toBe(false);
    const all: Array<[number, number]> = [[0, 1], [35, 2], [36, 3], [1295, 4], [1296, 5]];
    for (const gone of [[0], [1296], [36], [35, 36], [0, 1296], [0, 35, 36, 1295, 1296], []]) {
      for (const add of [[], [[36, 9]], [[2000, 1], [1, 1]], [[0, 7], [1296, 7]]] as Array<Array<[number, number]>>) {
        const set = new Set(gone);
        const want = new Map(all.filter(([d]) => !set.has(d)));
        for (const [d, w] of add) want.set(d, w);
        expect(rewritePostings(big, set, add), `${gone} ${add}`).toBe(encodePostings([...want]));
        expect(rewritePostings('', set, add)).toBe(encodePostings(add));
      }
    }
    expect(decodePostings('')).toEqual([]);
  });

  test('every query token is required; a title hit ranks first', () => {
    expect(search('暴雨')).toEqual([0, 1]);
    expect(search('暴雨 河道')).toEqual([1]);
  });

  test('when no document holds every token, any token will do', () => {
    expect(search('河道 晴')).toEqual(expect.arrayContaining([1, 2]));
    expect(search('不存在')).toEqual([]);
    expect(search('')).toEqual([]);
  });
});

describe('search excerpt', () => {
  const marked = (parts: { text: string; mark: boolean }[]) => parts.map((p) => (p.mark ? `[${p.text}]` : p.text)).join('');

  test('marks every hit around the first one, merging overlapping pairs', () => {
    expect(marked(excerpt('网传城东化工厂发生爆炸,化工厂生产正常。', queryTokens('化工厂')))).toBe('网传城东[化工厂]发生爆炸,[化工厂]生产正常。');
  });

  test('starts near the first hit in a long text and marks the original characters of a full-width match', () => {
    const text = `${'前文'.repeat(100)}Ｗｉ-Ｆｉ 信号${'后文'.repeat(100)}`;
    const parts = excerpt(text, queryTokens('wi'));
    expect(parts[0]).toEqual({ text: '…', mark: false });
    expect(parts.find((p) => p.mark)?.text).toBe('Ｗｉ');
    expect(parts.at(-1)).toEqual({ text: '…', mark: false });
  });

  test('markup in the stored text stays text, and no hit gives the start', () => {
    expect(marked(excerpt('<script>alert(1)</script> 暴雨', queryTokens('script')))).toBe('<[script]>alert(1)</[script]> 暴雨');
    expect(marked(excerpt('今天晴。', queryTokens('暴雨')))).toBe('今天晴。');
  });
});
