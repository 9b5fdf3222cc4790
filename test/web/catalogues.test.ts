import { readdirSync, readFileSync } from 'node:fs';
import { isPluralElement, isTagElement, type MessageFormatElement, parse } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/web/i18n/locales.ts';

const folder = new URL('../../src/web/i18n/messages/', import.meta.url);
const catalogue = (locale: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`${locale}.json`, folder), 'utf8'));
const english = catalogue('en');

/** Every plural argument in a message, with the categories it offers. */
function plurals(elements: MessageFormatElement[]): Array<{ name: string; categories: string[] }> {
  return elements.flatMap((element) => {
    if (isPluralElement(element)) {
      return [
        { name: element.value, categories: Object.keys(element.options) },
        ...Object.values(element.options).flatMap((option) => plurals(option.value)),
      ];
    }
    if (isTagElement(element)) return plurals(element.children);
    return [];
  });
}

function argumentNames(elements: MessageFormatElement[]): string[] {
  const names = elements.flatMap((element): string[] => {
    const own = 'value' in element && element.type !== 0 ? [String(element.value)] : [];
    const inner = isPluralElement(element)
      ? Object.values(element.options).flatMap((option) => argumentNames(option.value))
      : isTagElement(element)
        ? argumentNames(element.children)
        : [];
    return [...own, ...inner];
  });
  return [...new Set(names)].sort();
}

describe('message catalogues', () => {
  it('exist for exactly the languages the switcher offers', () => {
    const files = readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.replace('.json', ''));
    expect(files.sort()).toEqual(LOCALES.map((locale) => locale.code).sort());
  });

  for (const { code } of LOCALES.filter((locale) => locale.code !== 'en')) {
    it(`${code} has every key the English one has, and no other`, () => {
      const messages = catalogue(code);
      expect(
        Object.keys(english).filter((key) => !(key in messages)),
        `missing in ${code}.json`,
      ).toEqual([]);
      expect(
        Object.keys(messages).filter((key) => !(key in english)),
        `unknown in ${code}.json`,
      ).toEqual([]);
    });

    it(`${code} messages parse and take the English placeholders`, () => {
      const messages = catalogue(code);
      for (const [key, text] of Object.entries(english)) {
        const translated = messages[key];
        if (translated === undefined) continue;
        expect(argumentNames(parse(translated)), `${code} ${key}`).toEqual(argumentNames(parse(text)));
      }
    });
  }

  for (const { code } of LOCALES) {
    it(`${code} plurals offer every form the language uses for counts up to 10,000`, () => {
      const rules = new Intl.PluralRules(code);
      const needed = new Set(Array.from({ length: 10_001 }, (_, count) => rules.select(count)));
      for (const [key, text] of Object.entries(catalogue(code))) {
        for (const plural of plurals(parse(text))) {
          for (const category of needed) {
            expect(plural.categories, `${code} ${key} lacks the "${category}" form`).toContain(category);
          }
        }
      }
    });
  }

  it('Polish and Russian pick the right noun for 1, 2, 5 and 22', () => {
    const forms = (code: string) =>
      [1, 2, 5, 22].map((count) =>
        String(
          new IntlMessageFormat(catalogue(code)['matrix.cell'] ?? '', code).format({
            grade: 'A',
            temperature: 'x',
            count,
          }),
        ),
      );
    expect(forms('pl').map((text) => text.split(': ')[1])).toEqual(['1 lead', '2 leady', '5 leadów', '22 leady']);
    expect(forms('ru').map((text) => text.split(': ')[1])).toEqual(['1 лид', '2 лида', '5 лидов', '22 лида']);
  });
});
