import { type Static, Type } from '@sinclair/typebox';

/** Building blocks shared by every playbook section: ids, durations and conditions over a subject. */

export const Id = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]*$',
  maxLength: 64,
  description: 'kebab-case identifier',
});
/** A duration such as `30m`, `12h`, `14d` or `2w`. */
export const Duration = Type.String({
  pattern: '^[0-9]+(\\.[0-9]+)?(m|h|d|w)$',
  description: 'a duration like 30m, 12h, 14d or 2w',
});
const FieldPath = Type.String({
  minLength: 1,
  description: 'dot path into the subject, e.g. contact.jobTitle, company.employees, properties.path',
});
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

const leafConditions = [
  Type.Object({ op: Type.Literal('equals'), field: FieldPath, value: Scalar }, { additionalProperties: false }),
  Type.Object({ op: Type.Literal('notEquals'), field: FieldPath, value: Scalar }, { additionalProperties: false }),
  Type.Object(
    { op: Type.Literal('in'), field: FieldPath, values: Type.Array(Scalar, { minItems: 1 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      op: Type.Literal('contains'),
      field: FieldPath,
      value: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })]),
    },
    { additionalProperties: false, description: 'case-insensitive substring; a list matches when any item is found' },
  ),
  Type.Object(
    { op: Type.Literal('matches'), field: FieldPath, pattern: Type.String({ minLength: 1 }) },
    { additionalProperties: false, description: 'case-insensitive regular expression' },
  ),
  Type.Object(
    {
      op: Type.Literal('range'),
      field: FieldPath,
      min: Type.Optional(Type.Number()),
      max: Type.Optional(Type.Number()),
    },
    { additionalProperties: false, description: 'numeric, both bounds inclusive' },
  ),
  Type.Object(
    {
      op: Type.Literal('age'),
      field: FieldPath,
      minYears: Type.Optional(Type.Number({ minimum: 0 })),
      maxYears: Type.Optional(Type.Number({ minimum: 0 })),
    },
    {
      additionalProperties: false,
      description:
        'how many years ago a year (2019) or a date (2019-05-01) was, at the time of scoring; both bounds inclusive',
    },
  ),
  Type.Object({ op: Type.Literal('exists'), field: FieldPath }, { additionalProperties: false }),
  Type.Object(
    { op: Type.Literal('freeEmail'), field: FieldPath },
    { additionalProperties: false, description: 'the field is an email address at a free-mail provider' },
  ),
];

/** A condition over a subject: a leaf test on one field, or all / any / not of conditions. */
export const Condition = Type.Recursive(
  (Self) =>
    Type.Union([
      ...leafConditions,
      Type.Object({ all: Type.Array(Self, { minItems: 1 }) }, { additionalProperties: false }),
      Type.Object({ any: Type.Array(Self, { minItems: 1 }) }, { additionalProperties: false }),
      Type.Object({ not: Self }, { additionalProperties: false }),
    ]),
  { $id: 'Condition' },
);
export type Condition = Static<typeof Condition>;
