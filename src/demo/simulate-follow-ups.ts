import { browse, type Visit } from './browse-site.ts';
import { type EmailSend, HOUR, MINUTE } from './demo-calendar.ts';
import { type Draft, trackForUser } from './demo-draft.ts';
import { BLOG_POSTS } from './demo-site.ts';
import type { Random } from './seeded-random.ts';
import { type Journey, submitForm } from './submit-form.ts';

function firstIdentifyAt(drafts: readonly Draft[]): number | null {
  let first: number | null = null;
  for (const draft of drafts) {
    if (draft.message.type === 'identify' && (first === null || draft.at < first)) first = draft.at;
  }
  return first;
}

function emailProperties(send: EmailSend): Record<string, unknown> {
  return { campaign: send.campaign, subject: send.subject, tags: [...send.tags] };
}

/** A click in an email opens the site, tagged with the campaign; a webinar invitation may end in a registration. */
function followEmailClick(random: Random, journey: Journey, send: EmailSend, at: number): void {
  const { intent } = journey.visitor;
  const landing = {
    page: send.target,
    referrer: '',
    utm: { source: 'newsletter', medium: 'email', campaign: send.campaign },
  };
  const visit: Visit = { at, referrer: '', drafts: journey.drafts };
  const webinar = send.webinar;
  const registered =
    webinar !== null && journey.registrations.some((registration) => registration.webinar.id === webinar.id);
  if (webinar !== null && !registered && random.chance(0.3 + 0.5 * intent)) {
    browse(random, journey.visitor, visit, landing, 1);
    submitForm(random, journey, visit, 'webinar', webinar);
    return;
  }
  browse(random, journey.visitor, visit, landing, 1 + random.poisson(0.4 + intent));
}

/**
 * The email tool's side of the story, from the first identify on: a weekly newsletter and
 * webinar invitations, opened and clicked more by keen people, with fatigue, the odd
 * bounce and unsubscribes (mostly from the indifferent).
 */
function receiveEmails(random: Random, journey: Journey, since: number): void {
  const { person, visitor, drafts } = journey;
  const userId = person.contact.userId;
  const intent = visitor.intent;
  if (!random.chance(person.company ? 0.8 : 0.6)) return;
  let fatigue = 1;
  let first = true;
  for (const send of journey.calendar.sends) {
    if (send.at <= since) continue;
    const properties = emailProperties(send);
    if (first && random.chance(person.company ? 0.025 : 0.012)) {
      drafts.push(
        trackForUser(send.at + random.int(5, 120) * 1000, userId, 'Email Bounced', {
          ...properties,
          reason: 'mailbox does not exist',
        }),
      );
      return;
    }
    first = false;
    fatigue *= 0.96 + 0.04 * intent;
    if (!random.chance((0.1 + 0.45 * intent) * fatigue)) {
      if (random.chance(0.003)) {
        drafts.push(
          trackForUser(send.at + random.int(1, 48) * HOUR, userId, 'Unsubscribed', {
            ...properties,
            list: 'marketing',
          }),
        );
        return;
      }
      continue;
    }
    const openedAt = send.at + Math.floor(Math.min(random.exponential(5 * HOUR), 7 * 24 * HOUR));
    drafts.push(trackForUser(openedAt, userId, 'Email Opened', properties));
    if (random.chance(0.04 + 0.2 * intent)) {
      const clickedAt = openedAt + random.int(5, 300) * 1000;
      drafts.push(
        trackForUser(clickedAt, userId, 'Email Clicked', {
          ...properties,
          url: `${send.target.path}?utm_campaign=${send.campaign}`,
        }),
      );
      followEmailClick(random, journey, send, clickedAt + random.int(500, 3000));
    }
    if (random.chance(0.006 + 0.03 * (1 - intent))) {
      drafts.push(
        trackForUser(openedAt + random.int(20, 600) * 1000, userId, 'Unsubscribed', {
          ...properties,
          list: 'marketing',
        }),
      );
      return;
    }
  }
}

function engageOnSocial(random: Random, journey: Journey, since: number, now: number): void {
  const role = journey.person.contact.role;
  const affinity = role === 'marketing' || role === 'sales' || role === 'revops' || role === 'executive' ? 1 : 0.4;
  const count = random.poisson(0.15 + 1.2 * journey.visitor.intent * affinity);
  for (let i = 0; i < count; i++) {
    const at = Math.floor(since + random.next() * (now - since));
    const post = random.pick(BLOG_POSTS).title.split(' | ')[0];
    const action = random.pick(['like', 'like', 'like', 'comment', 'share', 'follow']);
    journey.drafts.push(
      trackForUser(at, journey.person.contact.userId, 'Social Engaged', { network: 'linkedin', action, post }),
    );
  }
}

function attendWebinars(random: Random, journey: Journey, now: number): void {
  for (const { webinar, draft } of journey.registrations) {
    if (draft.at > now || webinar.at > now) continue;
    if (!random.chance(0.35 + 0.4 * journey.visitor.intent)) continue;
    const joinedAt = webinar.at + random.int(-3, 10) * MINUTE;
    const minutesWatched = random.int(10, 60);
    journey.drafts.push(
      trackForUser(joinedAt, journey.person.contact.userId, 'Webinar Attended', {
        webinar: webinar.title,
        webinarId: webinar.id,
        minutesWatched,
        tags: ['webinar'],
      }),
    );
  }
}

/** What follows identification: email engagement, social engagement and webinars. Drops anything after `now`. */
export function simulateFollowUps(random: Random, journey: Journey, now: number): void {
  const since = firstIdentifyAt(journey.drafts);
  if (since === null) return;
  receiveEmails(random, journey, since);
  engageOnSocial(random, journey, since, now);
  attendWebinars(random, journey, now);
  journey.drafts = journey.drafts.filter((draft) => draft.at <= now);
}
