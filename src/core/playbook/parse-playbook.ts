import type { TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { LineCounter, type Node, parseDocument } from 'yaml';
import { describeValue, formatFieldPath } from '../describe-input.ts';
import { err, ok, type Result } from '../result.ts';
import { checkPlaybookSemantics } from './check-playbook-semantics.ts';
import { type Playbook, PlaybookSchema } from './playbook-schema.ts';

/** One problem in a playbook document, located so that an editor can point at it. */
export interface PlaybookIssue {
  line: number | null;
  column: number | null;
  /** Dotted location such as `engagement.groups[0].rules[2].halfLife`. */
  field: string;
  expected: string;
  found: string;
  message: string;
}

let compiled: TypeCheck<typeof PlaybookSchema> | null = null;
function playbookChecker(): TypeCheck<typeof PlaybookSchema> {
  compiled ??= TypeCompiler.Compile(PlaybookSchema);
  return compiled;
}

/** `/fit/groups/0/id` → ['fit', 'groups', 0, 'id'] */
function pointerToSegments(pointer: string): Array<string | number> {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^[0-9]+$/.test(part) ? Number(part) : part));
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
};

/**
 * What a field expected, in words: the type when the value had the wrong one (with the field's
 * description after it), else the field's own description of its form (a duration like 14d),
 * else the schema's message.
 */
function describeExpected(type: string, message: string, schema: TSchema): string {
  const description = typeof schema.description === 'string' ? schema.description : null;
  const wrongType = /^Expected (number|integer|string|boolean|array|object)$/.exec(message)?.[1];
  if (wrongType !== undefined) {
    const name = TYPE_NAMES[wrongType] ?? wrongType;
    return description === null ? name : `${name} (${description})`;
  }
  if (description !== null && !message.startsWith('Unexpected')) return description;
  if (message.includes('union')) {
    if ('$id' in schema && schema.$id === 'Condition') {
      return 'a condition: {op: equals|notEquals|in|contains|matches|range|age|exists|freeEmail, field, ...} or {all|any: [...]} or {not: ...}';
    }
    return 'one of the allowed forms';
  }
  return message.replace(/^Expected /, '').replace(/^string to match/, 'text matching') || type;
}

/** The yaml library's errors as one plain sentence each, without its code frame. */
const YAML_ERRORS: Record<string, string> = {
  DUPLICATE_KEY: 'a key appears twice in the same mapping',
  BAD_INDENT: 'the indentation does not line up with the lines above it',
  TAB_AS_INDENT: 'a tab is used for indentation; indent with spaces',
  MULTILINE_IMPLICIT_KEY: 'a key runs over more than one line; is a `:` or a closing quote missing above?',
  BLOCK_AS_IMPLICIT_KEY: 'a nested mapping cannot be a key; is the line indented too far?',
};

function yamlSentence(error: { code: string; message: string }): string {
  if (error.message.startsWith('Flow map'))
    return 'a `{` is not closed with `}` (or the lines after it are not indented)';
  if (error.message.startsWith('Flow sequence'))
    return 'a `[` is not closed with `]` (or the lines after it are not indented)';
  const known = YAML_ERRORS[error.code];
  if (known) return known;
  const first = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').trim();
  return first === '' ? error.code.toLowerCase().replace(/_/g, ' ') : first.charAt(0).toLowerCase() + first.slice(1);
}

/** Locates a path in the YAML document: the node itself, or the closest parent that exists. */
export function locate(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  segments: Array<string | number>,
): { line: number; column: number } | null {
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(segments.slice(0, depth), true);
    if (node && typeof node === 'object' && 'range' in node) {
      const range = (node as Node).range;
      if (range) {
        const position = counter.linePos(range[0]);
        return { line: position.line, column: position.col };
      }
    }
  }
  return null;
}

function issueText(issue: Omit<PlaybookIssue, 'message'>): string {
  const where = issue.line === null ? 'playbook' : `playbook line ${issue.line}`;
  return `${where}: \`${issue.field}\` must be ${issue.expected}, got ${issue.found}`;
}

export function makeIssue(issue: Omit<PlaybookIssue, 'message'>, message?: string): PlaybookIssue {
  const where = issue.line === null ? 'playbook' : `playbook line ${issue.line}`;
  return { ...issue, message: message ? `${where}: ${message}` : issueText(issue) };
}

/**
 * Parses and validates a playbook written in YAML (JSON is YAML too). Every problem comes
 * back with its line, the field, what was expected and what was found.
 */
export function parsePlaybook(source: string): Result<Playbook, PlaybookIssue[]> {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return err(
      doc.errors.map((yamlError) => {
        const position = yamlError.linePos?.[0];
        const where = position ? `playbook line ${position.line}, column ${position.col}` : 'playbook';
        return {
          line: position?.line ?? null,
          column: position?.col ?? null,
          field: '(document)',
          expected: 'valid YAML',
          found: yamlError.code,
          message: `${where}: invalid YAML: ${yamlSentence(yamlError)}`,
        };
      }),
    );
  }
  let value: unknown;
  try {
    // Aliases are expanded here; a document that expands them exponentially (an alias bomb) is refused.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return err([
      makeIssue(
        { line: null, column: null, field: '(document)', expected: 'valid YAML', found: 'too many aliases' },
        `invalid YAML: ${reason}; write the repeated parts out instead of nesting aliases`,
      ),
    ]);
  }
  const checker = playbookChecker();
  if (!checker.Check(value)) {
    const seen = new Set<string>();
    const issues: PlaybookIssue[] = [];
    for (const error of checker.Errors(value)) {
      if (seen.has(error.path)) continue;
      seen.add(error.path);
      const segments = pointerToSegments(error.path);
      const position = locate(doc, counter, segments);
      const field = formatFieldPath(segments);
      const base = { line: position?.line ?? null, column: position?.column ?? null, field };
      if (error.message.startsWith('Unexpected property')) {
        const allowed = Object.keys((error.schema as { properties?: object }).properties ?? {});
        issues.push(
          makeIssue(
            { ...base, expected: `one of ${allowed.join(', ')}`, found: String(segments.at(-1)) },
            `unknown field \`${field}\`; allowed here: ${allowed.join(', ')}`,
          ),
        );
      } else if (error.message.startsWith('Expected required property')) {
        issues.push(makeIssue({ ...base, expected: 'present', found: 'nothing' }, `\`${field}\` is required`));
      } else {
        const expected = describeExpected(String(error.type), error.message, error.schema);
        issues.push(makeIssue({ ...base, expected, found: describeValue(error.value) }));
      }
    }
    return err(issues);
  }
  const semanticIssues = checkPlaybookSemantics(value).map((issue) => {
    const position = locate(doc, counter, issue.segments);
    return makeIssue(
      {
        line: position?.line ?? null,
        column: position?.column ?? null,
        field: formatFieldPath(issue.segments),
        expected: issue.expected,
        found: issue.found,
      },
      issue.message,
    );
  });
  return semanticIssues.length > 0 ? err(semanticIssues) : ok(value);
}
