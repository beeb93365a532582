import { ValidationError } from '../errors.ts';
import { addDays } from '../reach/day.ts';
import { PeriodSchema } from './schema.ts';

export interface Period {
  key: string;
  kind: 'year' | 'quarter' | 'month';
  /** First and last day (China time), inclusive. */
  from: string;
  to: string;
  label: string;
}

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** `2026` → the year, `2026-Q4` → the quarter, `2026-11` → the month. */
export function parsePeriod(text: string, field = 'period'): Period {
  const ok = PeriodSchema.safeParse(text);
  if (!ok.success) throw ValidationError.field(field, ok.error.issues[0]!.message);
  const year = Number(text.slice(0, 4));
  const q = /-Q([1-4])$/.exec(text);
  if (q) {
    const first = (Number(q[1]) - 1) * 3 + 1;
    return { key: text, kind: 'quarter', from: `${year}-${String(first).padStart(2, '0')}-01`, to: `${year}-${String(first + 2).padStart(2, '0')}-${lastDay(year, first + 2)}`, label: `${year}年第${'一二三四'[Number(q[1]) - 1]}季度` };
  }
  const m = /-(\d{2})$/.exec(text);
  if (m) {
    const month = Number(m[1]);
    return { key: text, kind: 'month', from: `${text}-01`, to: `${text}-${lastDay(year, month)}`, label: `${year}年${month}月` };
  }
  return { key: text, kind: 'year', from: `${year}-01-01`, to: `${year}-12-31`, label: `${year}年度` };
}

/** The period just before (for circulars comparing with last month). */
export function previousPeriod(p: Period): Period {
  return parsePeriod(p.kind === 'year' ? String(Number(p.key) - 1) : p.kind === 'month' ? addDays(p.from, -1).slice(0, 7) : (() => {
    const y = Number(p.key.slice(0, 4));
    const q = Number(p.key.slice(-1));
    return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
  })());
}
