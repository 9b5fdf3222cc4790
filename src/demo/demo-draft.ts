import type { DemoMessage } from './generate-demo.ts';

/**
 * A message and the time it happened. Drafts are built with an empty `messageId` and
 * `timestamp`; the chunk fills both in once it has sorted its drafts by `at`, so ids
 * follow time order and no message is copied.
 */
export interface Draft {
  at: number;
  message: DemoMessage;
}

/** Who a message is about: a browser, and once it identified, the person too. */
export interface Actor {
  anonymousId: string;
  userId: string | null;
}

/** A server-side event (email tool, CRM, LinkedIn sync): it knows the person, not the browser. */
export function trackForUser(at: number, userId: string, event: string, properties: Record<string, unknown>): Draft {
  return { at, message: { type: 'track', messageId: '', timestamp: '', userId, event, properties } };
}

/** A browser event: anonymous until the browser identified. */
export function trackForActor(at: number, actor: Actor, event: string, properties: Record<string, unknown>): Draft {
  const message: DemoMessage = {
    type: 'track',
    messageId: '',
    timestamp: '',
    anonymousId: actor.anonymousId,
    event,
    properties,
  };
  if (actor.userId !== null) message.userId = actor.userId;
  return { at, message };
}
