/**
 * Calendar time in Sweden, for the server (through src/server/lib/time.ts) and the web alike. Dates are
 * "YYYY-MM-DD" strings of the Swedish calendar; ISO weeks run Monday–Sunday ("2026-W47"). "Today" is
 * always Stockholm's: between midnight and 01:00 (02:00 in summer) Swedish time, UTC still says yesterday.
 */

export const TIME_ZONE = 'Europe/Stockholm';

const dayFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in Stockholm at `at` (default now), as "YYYY-MM-DD". */
export function todayInStockholm(at: Date = new Date()): string {
  // Time-zone offsets are whole seconds, so the day is the same for every instant of a second: the last answer
  // is kept (every list request asks, and Intl formatting is slow next to a comparison).
  const second = Math.floor(at.getTime() / 1000);
  if (second !== lastDay.second) {
    lastDay.second = second;
    lastDay.value = dayFormat.format(at);
  }
  return lastDay.value;
}
const lastDay = { second: NaN, value: '' };

/** `date` ("YYYY-MM-DD") plus `days` calendar days (negative: earlier). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// --- ISO weeks ---

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** The Monday (UTC date) of ISO week 1 of `year`. */
function week1Monday(year: number) {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const day = jan4.getUTCDay() || 7;
  return new Date(Date.UTC(year, 0, 4 - day + 1));
}
/** How many ISO weeks the year has (52 or 53). */
export function weeksInYear(year: number) {
  return Math.round((week1Monday(year + 1).getTime() - week1Monday(year).getTime()) / (7 * 86_400_000));
}
/** "2026-W47" → the Monday as "YYYY-MM-DD"; null if no such week. */
export function mondayOfWeek(week: string): string | null {
  const m = WEEK_RE.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (year < 2000 || year > 2100 || n < 1 || n > weeksInYear(year)) return null;
  const d = week1Monday(year);
  d.setUTCDate(d.getUTCDate() + (n - 1) * 7);
  return d.toISOString().slice(0, 10);
}
/** The ISO week ("2026-W47") a calendar date ("YYYY-MM-DD") lies in. */
export function weekOfDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday decides the year
  const year = d.getUTCFullYear();
  const n = Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(n).padStart(2, '0')}`;
}
/** The week `offset` weeks from `week` (negative: earlier). */
export function shiftWeek(week: string, offset: number): string {
  return weekOfDate(addDays(mondayOfWeek(week)!, offset * 7));
}
/** The ISO week Stockholm is in at `at`. */
export const currentWeek = (at: Date = new Date()) => weekOfDate(todayInStockholm(at));
/** The last full ISO week before the current one (in Sweden). */
export const lastFullWeek = (at: Date = new Date()) => shiftWeek(currentWeek(at), -1);
/** A week's first and last day ("YYYY-MM-DD", Monday and Sunday), and the Monday after (exclusive end). */
export function weekBounds(week: string): { monday: string; sunday: string; nextMonday: string } {
  const monday = mondayOfWeek(week);
  if (!monday) throw new RangeError(`Not an ISO week: ${week}`);
  return { monday, sunday: addDays(monday, 6), nextMonday: addDays(monday, 7) };
}
