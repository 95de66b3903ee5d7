import { addDays } from './time.ts';

/**
 * The appeal clock of a municipal decision (laglighetsprövning, kommunallagen 13 kap. 5 §): an appeal must
 * reach the administrative court within three weeks from the day the adjusted minutes were announced on
 * the municipality's notice board. Three weeks from a Monday end on the Monday three weeks later; when that
 * day is a Saturday, Sunday, public holiday, midsummer eve, Christmas eve or New Year's eve, the period
 * runs to the next working day (lag (1930:173) om beräkning av lagstadgad tid). Shared by server and web.
 */

/** Easter Sunday of `year` (Gregorian, anonymous algorithm), "YYYY-MM-DD". */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The Saturday in [from, to] of `year` (midsommardagen: 20–26 June; alla helgons dag: 31 Oct–6 Nov). */
function saturdayBetween(year: number, month: number, fromDay: number) {
  for (let i = 0; i < 7; i++) {
    const d = new Date(Date.UTC(year, month - 1, fromDay + i));
    if (d.getUTCDay() === 6) return d.toISOString().slice(0, 10);
  }
  throw new Error('unreachable');
}

/** Days on which a statutory period cannot end, besides Saturdays and Sundays (lag 1989:253 and 1930:173). */
export function nonWorkingDays(year: number): Set<string> {
  const easter = easterSunday(year);
  const midsummerDay = saturdayBetween(year, 6, 20);
  const y = String(year);
  return new Set([
    `${y}-01-01`, // nyårsdagen
    `${y}-01-06`, // trettondedag jul
    addDays(easter, -2), // långfredagen
    addDays(easter, 1), // annandag påsk
    `${y}-05-01`, // första maj
    addDays(easter, 39), // Kristi himmelsfärdsdag
    `${y}-06-06`, // nationaldagen
    addDays(midsummerDay, -1), // midsommarafton
    `${y}-12-24`, // julafton
    `${y}-12-25`, // juldagen
    `${y}-12-26`, // annandag jul
    `${y}-12-31`, // nyårsafton
  ]);
}

export function isWorkingDay(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (day === 0 || day === 6) return false;
  return !nonWorkingDays(Number(date.slice(0, 4))).has(date);
}

/** The last day to appeal: three weeks after the notice was posted, moved to the next working day if needed. */
export function appealEndsOn(postedOn: string): string {
  let end = addDays(postedOn, 21);
  while (!isWorkingDay(end)) end = addDays(end, 1);
  return end;
}

/** Days left of the appeal period on `today` (0 on its last day; negative once it has ended). */
export function appealDaysLeft(appealEnds: string, today: string): number {
  return Math.round((Date.parse(`${appealEnds}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}
