import { sv } from '../../shared/i18n/sv.ts';
import { en } from '../../shared/i18n/en.ts';
import { serverMessages } from './messages.ts';

export type Locale = 'sv' | 'en';
const resources: Record<Locale, Record<string, unknown>> = {
  sv: { ...sv, ...serverMessages.sv },
  en: { ...en, ...serverMessages.en },
};

/** Looks up a dotted key; falls back to Swedish, then to the key itself. `{{var}}` is interpolated. */
export function t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  const find = (l: Locale) =>
    key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), resources[l]);
  const found = find(locale) ?? find('sv');
  const text = typeof found === 'string' ? found : key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name) => String(vars[name] ?? ''));
}

/** The preferred language of a request: the signed-in user's choice, else Accept-Language, else Swedish. */
export function localeOf(acceptLanguage: string | undefined, userLocale?: string): Locale {
  if (userLocale === 'en' || userLocale === 'sv') return userLocale;
  if (!acceptLanguage) return 'sv';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'sv';
}
