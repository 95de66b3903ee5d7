import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * English names of the seeded incident categories (issue #13 item 9), by key. A category's name is the
 * municipality's own (stored, in Swedish); in English a seeded key gets its name from here, and a category
 * the municipality added keeps its stored name.
 */
export const CATEGORY_NAMES_EN: Record<string, string> = {
  vandalism: 'Vandalism',
  graffiti: 'Graffiti',
  fire: 'Fire/arson',
  burglary: 'Burglary',
  theft: 'Theft',
  threats: 'Threats',
  violence: 'Violence',
  disorder: 'Public disorder',
  drugs: 'Drugs',
  littering: 'Littering',
  unsafe_place: 'Unsafe place (lighting, environment)',
  traffic: 'Traffic',
  it_security: 'IT/information security incident',
  accident: 'Accident',
  near_miss: 'Near miss',
  staff_threat: 'Threats and violence against employees and elected officials',
  robbery: 'Robbery',
  weapons: 'Shootings, explosions and weapons',
  other: 'Other',
};

/** The category's name in a language: the stored name in Swedish, the map's (or the stored name) in English. */
export function categoryName(language: string, key: string | null | undefined, stored: string): string {
  if (language.startsWith('en') && key && CATEGORY_NAMES_EN[key]) return CATEGORY_NAMES_EN[key];
  return stored;
}

/** `categoryName` in the current UI language. */
export function useCategoryName() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useCallback((key: string | null | undefined, stored: string) => categoryName(language, key, stored), [language]);
}
