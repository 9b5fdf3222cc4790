import { type Static, Type } from '@sinclair/typebox';

/**
 * Segment HTTP tracking spec message shapes, as Ripen accepts them. Unknown top-level
 * fields are allowed (libraries add their own); what Ripen reads is typed here.
 */
const Common = {
  messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  userId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Number()])),
  anonymousId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  timestamp: Type.Optional(Type.String({ description: 'ISO-8601 time the event happened' })),
  sentAt: Type.Optional(Type.String({ description: 'ISO-8601 time the client sent it, for clock-skew correction' })),
  originalTimestamp: Type.Optional(Type.String()),
  context: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  integrations: Type.Optional(Type.Unknown()),
};
const Properties = Type.Optional(Type.Record(Type.String(), Type.Unknown()));

export const TrackMessage = Type.Object({
  ...Common,
  type: Type.Optional(Type.Literal('track')),
  event: Type.String({ minLength: 1, maxLength: 200 }),
  properties: Properties,
});
export const IdentifyMessage = Type.Object({
  ...Common,
  type: Type.Optional(Type.Literal('identify')),
  traits: Properties,
});
export const PageMessage = Type.Object({
  ...Common,
  type: Type.Optional(Type.Literal('page')),
  name: Type.Optional(Type.String({ maxLength: 500 })),
  category: Type.Optional(Type.String({ maxLength: 200 })),
  properties: Properties,
});
export const GroupMessage = Type.Object({
  ...Common,
  type: Type.Optional(Type.Literal('group')),
  groupId: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Number()]),
  traits: Properties,
});
export type TrackMessage = Static<typeof TrackMessage>;
export type IdentifyMessage = Static<typeof IdentifyMessage>;
export type PageMessage = Static<typeof PageMessage>;
export type GroupMessage = Static<typeof GroupMessage>;

export const MESSAGE_TYPES = ['track', 'identify', 'page', 'group'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** A message after validation and normalisation: what storage and scoring use. */
export interface NormalizedMessage {
  messageId: string;
  type: MessageType;
  /** Track event name, or page name. */
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  /** Lower-cased email from identify traits or context.traits, when given. */
  email: string | null;
  traits: Record<string, unknown> | null;
  groupId: string | null;
  /**
   * The company the message names: a group call's (its group id and traits), or Segment's
   * reserved `company` trait on identify (`id` as the group id, when given).
   */
  company: { groupId: string | null; traits: Record<string, unknown> } | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  source: string;
  occurredAt: number;
  receivedAt: number;
}
