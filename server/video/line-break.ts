/** Characters that must not start a line (closing punctuation, small kana-like marks) — GB/T 15834 habits. */
export const NO_LINE_START = new Set([...'，。！？、；：」』）》〉】〕〗”’…—～·％‰,.!?;:)]}%']);
/** Characters that must not end a line (opening brackets and quotes). */
export const NO_LINE_END = new Set([...'「『（《〈【〔〖“‘([{']);

/** Latin words and numbers stay whole; every CJK character is its own break unit. */
const UNIT = /[A-Za-z0-9@#&+\-_'./:%]+|\s+|./gsu;

/** Splits text into break units; consecutive spaces become one unit (a break opportunity). */
export function splitUnits(text: string): string[] {
  return text.match(UNIT) ?? [];
}

/**
 * Greedy line wrapping that keeps the Chinese rules: no line starts with closing punctuation and none
 * ends with an opening one (the offending unit moves with its neighbour). `measure` returns a width in
 * the same unit as `maxWidth`. Explicit newlines always break. Returns lines with outer spaces trimmed.
 */
export function wrapText(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    lines.push(...wrapParagraph(paragraph.trim(), maxWidth, measure));
  }
  return lines;
}

function wrapParagraph(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  if (!text) return [];
  const units = splitUnits(text);
  const lines: string[][] = [];
  let line: string[] = [];
  let width = 0;
  for (const unit of units) {
    const isSpace = /^\s+$/.test(unit);
    if (isSpace && line.length === 0) continue;
    const w = measure(isSpace ? ' ' : unit);
    if (width + w <= maxWidth || line.length === 0 || isSpace) {
      line.push(isSpace ? ' ' : unit);
      width += w;
      continue;
    }
    // Break before `unit`; prefer a space in the second half of the line (keeps "团委 青年" apart
    // at the space), then repair the rules by moving units from the end of this line down.
    const next: string[] = [unit];
    const space = line.lastIndexOf(' ');
    if (space > line.length / 2) next.unshift(...line.splice(space + 1));
    while (line.length > 1) {
      const last = line[line.length - 1]!;
      const head = next[0]!;
      if (NO_LINE_START.has(head) || NO_LINE_END.has(last) || /^\s+$/.test(last)) {
        next.unshift(line.pop()!);
        continue;
      }
      break;
    }
    lines.push(line);
    line = next;
    width = measure(line.join(''));
  }
  if (line.length) lines.push(line);
  return lines.map((l) => l.join('').trim()).filter(Boolean);
}
