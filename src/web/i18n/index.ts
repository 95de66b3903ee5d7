import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { sv } from './sv.ts';

export type Locale = 'sv' | 'en';
const STORAGE_KEY = 'trygg.locale';

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'sv' || stored === 'en') return stored;
  } catch {
    /* storage may be unavailable */
  }
  return 'sv';
}

// Swedish is in the first download; English is its own chunk, fetched the first time it is asked for.
void i18n.use(initReactI18next).init({
  resources: { sv: { translation: sv } },
  lng: 'sv',
  fallbackLng: 'sv',
  interpolation: { escapeValue: false },
  returnNull: false,
});

let english: Promise<void> | undefined;
function loadEnglish() {
  english ??= import('./en.ts').then(({ en }) => {
    i18n.addResourceBundle('en', 'translation', en, true, true);
  });
  return english;
}

/** Switches the UI language (fetching English the first time), remembers it in this browser and sets <html lang>. */
export async function applyLocale(locale: Locale) {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    /* ignore */
  }
  if (locale === 'en') await loadEnglish();
  document.documentElement.lang = locale;
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

/** Resolves when the language this browser last chose is loaded: the app renders after it. */
export const i18nReady: Promise<void> = initialLocale() === 'en' ? applyLocale('en').catch(() => {}) : Promise.resolve();

document.documentElement.lang = i18n.language;
export default i18n;
