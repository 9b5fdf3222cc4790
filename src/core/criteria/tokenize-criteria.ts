import { err, ok, type Result } from '../result.ts';
import type { CriteriaSyntaxError } from './parse-criteria.ts';

export const CRITERIA_SYMBOLS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!', '(', ')', '[', ']', ','] as const;
export type CriteriaSymbol = (typeof CRITERIA_SYMBOLS)[number];

/** One lexical unit of a criteria expression; `column` is 1-based and points at its first character. */
export type CriteriaToken =
  | { kind: 'number'; value: number; text: string; column: number }
  | { kind: 'string'; value: string; text: string; column: number }
  | { kind: 'word'; text: string; column: number }
  | { kind: 'symbol'; text: CriteriaSymbol; column: number }
  | { kind: 'end'; text: ''; column: number };

const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
// A word is a bare name or a dotted path (`contact.address.city`); the parser decides which.
const WORD = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/;

/** Splits a criteria expression into tokens, ending with an `end` token. */
export function tokenizeCriteria(source: string): Result<CriteriaToken[], CriteriaSyntaxError> {
  const tokens: CriteriaToken[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source.charAt(index);
    const column = index + 1;
    const rest = source.slice(index);
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === "'" || char === '"') {
      const scanned = scanString(source, index);
      if (!scanned.ok) return scanned;
      tokens.push({ kind: 'string', value: scanned.value.value, text: source.slice(index, scanned.value.end), column });
      index = scanned.value.end;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), text: number[0], column });
      index += number[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      if (rest.charAt(word[0].length) === '.') {
        const at = column + word[0].length;
        return err(syntaxError(`expected a property name after \`${word[0]}.\` at column ${at + 1}`, at + 1));
      }
      tokens.push({ kind: 'word', text: word[0], column });
      index += word[0].length;
      continue;
    }
    const symbol = CRITERIA_SYMBOLS.find((candidate) => rest.startsWith(candidate));
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol, column });
      index += symbol.length;
      continue;
    }
    return err(syntaxError(describeStrayCharacter(char, column), column));
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return ok(tokens);
}

function scanString(source: string, start: number): Result<{ value: string; end: number }, CriteriaSyntaxError> {
  const quote = source.charAt(start);
  let value = '';
  let index = start + 1;
  while (index < source.length) {
    const char = source.charAt(index);
    if (char === quote) return ok({ value, end: index + 1 });
    if (char === '\\' && index + 1 < source.length) {
      value += source.charAt(index + 1);
      index += 2;
      continue;
    }
    value += char;
    index += 1;
  }
  const column = start + 1;
  return err(syntaxError(`unterminated text starting at column ${column}: add a closing \`${quote}\``, column));
}

function describeStrayCharacter(char: string, column: number): string {
  switch (char) {
    case '=':
      return `use \`==\` to compare, got \`=\` at column ${column}`;
    case '&':
      return `use \`and\` (or \`&&\`) to combine conditions, got \`&\` at column ${column}`;
    case '|':
      return `use \`or\` (or \`||\`) to combine conditions, got \`|\` at column ${column}`;
    default:
      return `unexpected character \`${char}\` at column ${column}`;
  }
}

function syntaxError(message: string, column: number): CriteriaSyntaxError {
  return { kind: 'criteria-syntax', message, column };
}
