/** ISO weeks in China Standard Time (UTC+8, no daylight saving), so a post at 23:30 on Sunday stays in its week. */
const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** ISO week (`2026-W48`) of an instant, in China Standard Time. */
export function isoWeekOf(at: Date | string): string {
  const local = new Date(new Date(at).getTime() + CST_OFFSET_MS);
  const day = local.getUTCDay() || 7;
  const thursday = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 4 - day));
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** First and last instant (exclusive end) of an ISO week, plus its Monday and Sunday as dates. */
export function weekRange(week: string): { start: Date; end: Date; monday: string; sunday: string } {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) throw new Error(`not an ISO week: ${week}`);
  const year = Number(match[1]);
  const n = Number(match[2]);
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Day = new Date(jan4).getUTCDay() || 7;
  const mondayUtc = jan4 - (jan4Day - 1) * DAY_MS + (n - 1) * 7 * DAY_MS;
  const start = new Date(mondayUtc - CST_OFFSET_MS);
  const end = new Date(start.getTime() + 7 * DAY_MS);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start, end, monday: iso(mondayUtc), sunday: iso(mondayUtc + 6 * DAY_MS) };
}

/** The ISO week before `week`. */
export function previousWeek(week: string): string {
  return isoWeekOf(new Date(weekRange(week).start.getTime() - DAY_MS));
}

/** The ISO week after `week`. */
export function nextWeek(week: string): string {
  return isoWeekOf(new Date(weekRange(week).end.getTime() + DAY_MS));
}
