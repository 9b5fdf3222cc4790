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

/** The earliest `track` draft with this event name. */
export function findTrack(drafts: readonly Draft[], event: string): Draft | undefined {
  let earliest: Draft | undefined;
  for (const draft of drafts) {
    if (draft.message.type !== 'track' || draft.message.event !== event) continue;
    if (earliest === undefined || draft.at < earliest.at) earliest = draft;
  }
  return earliest;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const DAY = 86_400_000;

/**
 * `Date.prototype.toISOString`, several times faster for times that arrive roughly in
 * order (the date part is cached): millions of messages are stamped per run.
 */
export function createTimestampFormatter(): (time: number) => string {
  let cachedDay = Number.NaN;
  let datePrefix = '';
  return (time: number): string => {
    const day = Math.floor(time / DAY);
    if (day !== cachedDay) {
      cachedDay = day;
      datePrefix = new Date(day * DAY).toISOString().slice(0, 11);
    }
    let rest = time - day * DAY;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    return `${datePrefix}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`;
  };
}
