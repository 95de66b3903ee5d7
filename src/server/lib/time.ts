import { sql } from 'drizzle-orm';
import { TIME_ZONE } from '../../shared/time.ts';

/**
 * The server's one place for "today" and week boundaries: Europe/Stockholm, never UTC. The calendar
 * functions are shared with the web (src/shared/time.ts); what only the server needs is added here.
 */
export { addDays, currentWeek, lastFullWeek, mondayOfWeek, shiftWeek, TIME_ZONE, todayInStockholm, weekBounds, weekOfDate, weeksInYear } from '../../shared/time.ts';

/** The calendar date in Stockholm of an instant (registry years, decision dates…), "YYYY-MM-DD". */
export { todayInStockholm as stockholmDate } from '../../shared/time.ts';

/** A Swedish calendar date's midnight ("YYYY-MM-DD" 00:00 in Stockholm) as an instant, in SQL. */
export const localMidnight = (date: string) => sql`(${date}::date::timestamp at time zone ${TIME_ZONE})`;
