import { LANGUAGES, type Language } from '../../core/languages.ts';

/** The languages Ripen speaks, with their own names for the switcher. */
export const LOCALES = LANGUAGES;

export type Locale = Language;

const CODES = new Set<string>(LOCALES.map((locale) => locale.code));
/** Norwegian in any written form reads Bokmål best of what we have. */
const ALIASES: Record<string, Locale> = { no: 'nb', nn: 'nb' };
const STORAGE_KEY = 'ripen.locale';

export function isLocale(value: string): value is Locale {
  return CODES.has(value);
}

/** The first of the browser's languages Ripen has (by primary subtag), else English. */
export function localeFromBrowser(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    if (isLocale(primary)) return primary;
    const alias = ALIASES[primary];
    if (alias) return alias;
  }
  return 'en';
}

/** The language this person picked on this device, or the browser's. */
export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && isLocale(saved)) return saved;
  } catch {
    // storage blocked: fall back to the browser's languages
  }
  return localeFromBrowser(navigator.languages ?? [navigator.language]);
}

export function saveLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage blocked: the choice lasts until reload
  }
}
