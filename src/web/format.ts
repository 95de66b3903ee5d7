import i18n from './i18n/index.ts';

const TZ = 'Europe/Stockholm';
const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(locale: string, opts: Intl.DateTimeFormatOptions) {
  const key = locale + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'sv-SE', { timeZone: TZ, ...opts })));
  return f;
}

/** Date and time in Europe/Stockholm, e.g. "2026-11-25 14:03". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return fmt(i18n.language, { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

/** Today's calendar date in Stockholm as YYYY-MM-DD. */
export function todayInStockholm(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
