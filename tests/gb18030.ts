/** GB18030 bytes of a text (what Excel on Chinese Windows saves as CSV), for tests: a reverse table of the two-byte codes, which cover every CJK character and full-width sign. */
let table: Map<string, number[]> | undefined;

export function encodeGb18030(text: string): Uint8Array<ArrayBuffer> {
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let hi = 0x81; hi <= 0xfe; hi++) {
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([hi, lo]));
        if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, [hi, lo]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no two-byte GB18030 code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}
