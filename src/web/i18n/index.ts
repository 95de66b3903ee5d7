import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { sv } from './sv.ts';
import { en } from './en.ts';

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

void i18n.use(initReactI18next).init({
  resources: { sv: { translation: sv }, en: { translation: en } },
  lng: initialLocale(),
  fallbackLng: 'sv',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Switches the UI language, remembers it in this browser and sets <html lang>. */
export function applyLocale(locale: Locale) {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    /* ignore */
  }
  document.documentElement.lang = locale;
  if (i18n.language !== locale) void i18n.changeLanguage(locale);
}

document.documentElement.lang = i18n.language;
export default i18n;
