import { type Static, Type } from '@sinclair/typebox';
import { Condition, Duration, Id } from './condition-schema.ts';
import { RoutingSchema } from './routing-schema.ts';

/**
 * The playbook's `handoff:` section: who gets a new MQL (routing), how fast they must touch
 * it (SLA and escalation), what qualifies it to SQL, the reason codes sales may give, and
 * the nurture track a lead returns to.
 */

const HhMm = Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', description: 'local time, HH:MM' });

const BusinessHours = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, description: 'IANA time zone of the team, e.g. Europe/Berlin' }),
    days: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
        minItems: 1,
        description: 'working days, ISO numbers 1 = Monday … 7 = Sunday; default Monday to Friday',
      }),
    ),
    opens: Type.Optional(HhMm),
    closes: Type.Optional(HhMm),
    holidays: Type.Optional(
      Type.Array(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), { description: 'local dates not worked' }),
    ),
  },
  { additionalProperties: false, description: 'count the SLA in these working hours only' },
);
export type BusinessHours = Static<typeof BusinessHours>;

const EscalationStep = Type.Union([
  Type.Object(
    { after: Type.Optional(Duration), action: Type.Literal('notify-manager') },
    { additionalProperties: false, description: 'tell the team manager (an `sla.escalated` webhook)' },
  ),
  Type.Object(
    { after: Type.Optional(Duration), action: Type.Literal('reassign') },
    { additionalProperties: false, description: 'hand the lead to the next rep of the team, with a fresh SLA' },
  ),
  Type.Object(
    {
      after: Type.Optional(Duration),
      action: Type.Literal('recycle'),
      reason: Type.String({ minLength: 1 }),
      nurtureFor: Duration,
    },
    { additionalProperties: false, description: 'send the lead back to nurture with this reason' },
  ),
]);
export type EscalationStep = Static<typeof EscalationStep>;

const Sla = Type.Object(
  {
    firstTouchWithin: Type.Optional(Duration),
    warnAt: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        exclusiveMaximum: 1,
        description: 'share of the window after which `sla.warning` fires; default 0.75',
      }),
    ),
    businessHours: Type.Optional(BusinessHours),
    escalation: Type.Optional(
      Type.Array(EscalationStep, {
        description: 'steps taken after a breach, each `after` the deadline (default 0m), in order',
      }),
    ),
  },
  { additionalProperties: false },
);

const BantField = Type.Union([
  Type.Literal('budget'),
  Type.Literal('authority'),
  Type.Literal('need'),
  Type.Literal('timeline'),
]);

const ReasonList = Type.Array(Id, { minItems: 1, uniqueItems: true });

const NurtureTrack = Type.Object(
  {
    id: Id,
    label: Type.Optional(Type.String()),
    when: Type.Optional(Condition),
    reasons: Type.Optional(Type.Array(Id, { description: 'recycle reasons this track takes; any when absent' })),
    fromStages: Type.Optional(Type.Array(Type.String(), { description: 'stages left; any when absent' })),
  },
  {
    additionalProperties: false,
    description: 'the first track whose conditions all hold is chosen; `when` sees contact.*, company.* and lead.*',
  },
);
export type NurtureTrack = Static<typeof NurtureTrack>;

export const HandoffSchema = Type.Object(
  {
    routing: Type.Optional(RoutingSchema),
    sla: Type.Optional(Sla),
    mqlExpiry: Type.Optional(
      Type.Object(
        {
          after: Duration,
          reason: Type.Optional(Id),
          nurtureFor: Type.Optional(Duration),
        },
        { additionalProperties: false, description: 'MQLs nobody accepts within `after` go back to nurture' },
      ),
    ),
    qualification: Type.Optional(
      Type.Object(
        { required: Type.Array(BantField, { uniqueItems: true, description: 'BANT fields an SQL needs' }) },
        { additionalProperties: false },
      ),
    ),
    reasons: Type.Optional(
      Type.Object(
        { recycle: Type.Optional(ReasonList), disqualify: Type.Optional(ReasonList), lost: Type.Optional(ReasonList) },
        { additionalProperties: false },
      ),
    ),
    nurture: Type.Optional(
      Type.Object(
        {
          tracks: Type.Array(NurtureTrack, { minItems: 1 }),
          defaultTrack: Id,
          // How long a lead recycled without a date stays in nurture (default 30d).
          nurtureFor: Type.Optional(Duration),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Handoff = Static<typeof HandoffSchema>;
