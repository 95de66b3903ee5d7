import { sv } from '../../shared/i18n/sv.ts';
import { en } from '../../shared/i18n/en.ts';
import { serverMessages } from './messages.ts';

export type Locale = 'sv' | 'en';
const resources: Record<Locale, Record<string, unknown>> = {
  sv: { ...sv, ...serverMessages.sv },
  en: { ...en, ...serverMessages.en },
};

/** Texts a module brings (its `messages` in index.ts), one object per language. */
export interface MessageBundle {
  sv: Record<string, unknown>;
  en: Record<string, unknown>;
}

/**
 * Adds a module's texts under their top-level keys; the boot loop (app.ts) calls it for each module's
 * `messages`. A key another bundle already holds with different texts stops the boot.
 */
export function addMessages(module: string, bundle: MessageBundle): void {
  for (const locale of ['sv', 'en'] as const) {
    for (const [key, value] of Object.entries(bundle[locale])) {
      const held = resources[locale][key];
      if (held !== undefined && held !== value) throw new Error(`Module ${module}: the message key "${key}" (${locale}) is already in use.`);
      resources[locale][key] = value;
    }
  }
}

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
