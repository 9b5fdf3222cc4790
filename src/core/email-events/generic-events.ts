import { type Static, Type } from '@sinclair/typebox';
import { err, ok, type Result } from '../result.ts';
import { readPath } from '../scoring/match-condition.ts';
import {
  type EmailEvent,
  type EmailEventKind,
  emailEvent,
  type ParsedEmailEvents,
  readEmail,
  readObject,
  readTags,
  readText,
  readTime,
} from './email-event.ts';

const Path = Type.String({ minLength: 1, maxLength: 200, description: 'dot path into an event, e.g. `data.email`' });
const Names = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 });

/** How a provider without a module of its own maps onto email events: where each field is, and which type names mean what. */
export const GenericMapping = Type.Object(
  {
    events: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'dot path to the array of events; absent: the body is one event or an array',
      }),
    ),
    fields: Type.Object(
      {
        id: Type.Optional(Path),
        type: Path,
        email: Path,
        timestamp: Type.Optional(Path),
        campaign: Type.Optional(Path),
        link: Type.Optional(Path),
        tags: Type.Optional(Path),
        userAgent: Type.Optional(Path),
        reason: Type.Optional(Path),
        machine: Type.Optional(
          Type.String({ ...Path, description: 'a field that is `true` for machine opens and clicks' }),
        ),
      },
      { additionalProperties: false },
    ),
    types: Type.Object(
      {
        delivered: Type.Optional(Names),
        open: Type.Optional(Names),
        click: Type.Optional(Names),
        hardBounce: Type.Optional(Names),
        softBounce: Type.Optional(Names),
        complaint: Type.Optional(Names),
        unsubscribe: Type.Optional(Names),
      },
      {
        additionalProperties: false,
        description: 'the provider type names for each kind of event; other types are skipped',
      },
    ),
  },
  { additionalProperties: false },
);
export type GenericMapping = Static<typeof GenericMapping>;

function kindOf(
  mapping: GenericMapping,
  type: string,
): { kind: EmailEventKind; bounce: 'hard' | 'soft' | null } | null {
  const is = (names: string[] | undefined) => names?.some((name) => name.toLowerCase() === type.toLowerCase()) === true;
  const { types } = mapping;
  if (is(types.delivered)) return { kind: 'delivered', bounce: null };
  if (is(types.open)) return { kind: 'open', bounce: null };
  if (is(types.click)) return { kind: 'click', bounce: null };
  if (is(types.hardBounce)) return { kind: 'bounce', bounce: 'hard' };
  if (is(types.softBounce)) return { kind: 'bounce', bounce: 'soft' };
  if (is(types.complaint)) return { kind: 'complaint', bounce: null };
  if (is(types.unsubscribe)) return { kind: 'unsubscribe', bounce: null };
  return null;
}

/**
 * Events of any provider by a workspace's mapping. Without an id field, an event is
 * identified by its type, recipient, time and link, so a resent event is still kept once.
 */
export function parseGenericEvents(
  body: unknown,
  mapping: GenericMapping,
  receivedAt: number,
): Result<ParsedEmailEvents, string> {
  const list = mapping.events === undefined ? body : readPath(body, mapping.events);
  const items = Array.isArray(list) ? list : readObject(list) === null ? null : [list];
  if (items === null) {
    return err(
      mapping.events === undefined
        ? 'the body must be a JSON event object or an array of them'
        : `the mapping reads events from \`${mapping.events}\`, which is not an array or object in this body`,
    );
  }
  const parsed: ParsedEmailEvents = { events: [], skipped: [] };
  items.forEach((item, index) => {
    const event = readGenericEvent(item, mapping, receivedAt);
    if (typeof event === 'string') parsed.skipped.push({ index, reason: event });
    else parsed.events.push(event);
  });
  return ok(parsed);
}

function readGenericEvent(item: unknown, mapping: GenericMapping, receivedAt: number): EmailEvent | string {
  const { fields } = mapping;
  const read = (path: string | undefined) => (path === undefined ? undefined : readPath(item, path));
  const type = readText(read(fields.type)) ?? '';
  const known = kindOf(mapping, type);
  if (known === null) return `type \`${type}\` is not mapped to an email event`;
  const email = readEmail(read(fields.email));
  if (email === null) return `no email address at \`${fields.email}\``;
  const time = readText(read(fields.timestamp));
  const link = known.kind === 'click' ? readText(read(fields.link)) : null;
  return emailEvent({
    id: readText(read(fields.id)) ?? `${type}:${email}:${time ?? ''}${link === null ? '' : `:${link}`}`,
    kind: known.kind,
    bounce: known.bounce,
    email,
    occurredAt: readTime(read(fields.timestamp)) ?? receivedAt,
    campaign: readText(read(fields.campaign)),
    link,
    tags: readTags(read(fields.tags)),
    reason: readText(read(fields.reason)),
    userAgent: readText(read(fields.userAgent)),
    providerMachine: read(fields.machine) === true,
  });
}
