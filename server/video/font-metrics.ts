import { readFileSync } from 'node:fs';

/** Horizontal advances of one TrueType/OpenType font, read from its cmap and hmtx tables. */
export interface FontMetrics {
  unitsPerEm: number;
  /** Advance of one character in em units (1 = the font size). */
  advance(char: string): number;
}

const cache = new Map<string, FontMetrics>();

/** Loads advances once per font file; layout measures text with them instead of rendering it. */
export function loadFontMetrics(file: string): FontMetrics {
  const cached = cache.get(file);
  if (cached) return cached;
  const metrics = parseFont(readFileSync(file));
  cache.set(file, metrics);
  return metrics;
}

function parseFont(buf: Buffer): FontMetrics {
  const tables = new Map<string, number>();
  const numTables = buf.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const head = tables.get('head');
  const hhea = tables.get('hhea');
  const hmtx = tables.get('hmtx');
  const cmap = tables.get('cmap');
  if (head === undefined || hhea === undefined || hmtx === undefined || cmap === undefined) {
    throw new Error('font lacks head/hhea/hmtx/cmap tables');
  }
  const unitsPerEm = buf.readUInt16BE(head + 18);
  const numberOfHMetrics = buf.readUInt16BE(hhea + 34);
  const glyphOf = readCmap(buf, cmap);
  const advanceOfGlyph = (glyph: number) => buf.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));
  const memo = new Map<number, number>();
  return {
    unitsPerEm,
    advance(char) {
      const code = char.codePointAt(0) ?? 0;
      let value = memo.get(code);
      if (value === undefined) {
        const glyph = glyphOf(code);
        // Characters the font lacks fall back to another font; assume a full-width glyph.
        value = glyph === 0 ? 1 : advanceOfGlyph(glyph) / unitsPerEm;
        memo.set(code, value);
      }
      return value;
    },
  };
}

/** Picks the Unicode cmap subtable (format 12 preferred, else 4) and returns a code point → glyph lookup. */
function readCmap(buf: Buffer, cmap: number): (code: number) => number {
  const count = buf.readUInt16BE(cmap + 2);
  let format4: number | undefined;
  let format12: number | undefined;
  for (let i = 0; i < count; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const offset = cmap + buf.readUInt32BE(rec + 4);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = buf.readUInt16BE(offset);
    if (format === 12) format12 ??= offset;
    if (format === 4) format4 ??= offset;
  }
  if (format12 !== undefined) {
    const table = format12;
    const groups = buf.readUInt32BE(table + 12);
    return (code) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = table + 16 + mid * 12;
        const start = buf.readUInt32BE(g);
        const end = buf.readUInt32BE(g + 4);
        if (code < start) hi = mid - 1;
        else if (code > end) lo = mid + 1;
        else return buf.readUInt32BE(g + 8) + (code - start);
      }
      return 0;
    };
  }
  if (format4 !== undefined) {
    const table = format4;
    const segX2 = buf.readUInt16BE(table + 6);
    const ends = table + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    return (code) => {
      if (code > 0xffff) return 0;
      for (let s = 0; s < segX2; s += 2) {
        if (code > buf.readUInt16BE(ends + s)) continue;
        const start = buf.readUInt16BE(starts + s);
        if (code < start) return 0;
        const delta = buf.readInt16BE(deltas + s);
        const rangeOffset = buf.readUInt16BE(ranges + s);
        if (rangeOffset === 0) return (code + delta) & 0xffff;
        const glyph = buf.readUInt16BE(ranges + s + rangeOffset + 2 * (code - start));
        return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
      }
      return 0;
    };
  }
  throw new Error('font has no Unicode cmap');
}
