import { assertUnreachable } from '../core/result.ts';
import { type Visit, type Visitor, viewPage } from './browse-site.ts';
import type { DemoProfile } from './create-demo-contact.ts';
import type { DemoCalendar, Webinar } from './demo-calendar.ts';
import { type Draft, trackForActor } from './demo-draft.ts';
import { type Channel, CONTACT, DEMO, EBOOKS, ebookPage, SIGNUP, type SitePage } from './demo-site.ts';
import type { DemoCompany, DemoContact } from './generate-demo.ts';
import type { Random } from './seeded-random.ts';

export type Form = 'newsletter' | 'ebook' | 'webinar' | 'trial' | 'contact-sales' | 'demo';

/** The order forms come in when several are filled in one visit: the buying journey's. */
export const FORM_ORDER: readonly Form[] = ['newsletter', 'ebook', 'webinar', 'trial', 'contact-sales', 'demo'];

export interface Person {
  contact: DemoContact;
  company: DemoCompany | null;
  profile: DemoProfile;
}

export interface WebinarRegistration {
  webinar: Webinar;
  draft: Draft;
}

/** Everything one person's simulated history has produced so far. */
export interface Journey {
  person: Person;
  calendar: DemoCalendar;
  visitor: Visitor;
  /** How the person first came to the site; null only until their first visit. */
  firstTouch: Channel | null;
  drafts: Draft[];
  registrations: WebinarRegistration[];
}

function identifyTraits(contact: DemoContact, company: DemoCompany | null): Record<string, unknown> {
  const traits: Record<string, unknown> = {
    email: contact.email,
    firstName: contact.firstName,
    lastName: contact.lastName,
    jobTitle: contact.jobTitle,
    seniority: contact.seniority,
    role: contact.role,
    country: contact.country,
  };
  if (contact.phone !== undefined) traits.phone = contact.phone;
  if (company) traits.company = company.name;
  return traits;
}

function companyTraits(company: DemoCompany): Record<string, unknown> {
  return {
    name: company.name,
    domain: company.domain,
    industry: company.industry,
    employees: company.employees,
    annualRevenue: company.annualRevenue,
    foundedYear: company.foundedYear,
    country: company.country,
    ...company.details,
  };
}

function teamSize(company: DemoCompany | null): string {
  if (company === null) return 'just me';
  if (company.employees <= 50) return '1-50';
  if (company.employees <= 200) return '51-200';
  if (company.employees <= 1000) return '201-1000';
  return '1000+';
}

/**
 * A form submission sends an identify with everything the form asked (every form asks
 * the same here), so the browser's anonymous history joins the person. The first one
 * also links the person to their company with a `group` call.
 */
function identify(journey: Journey, at: number): void {
  const { contact, company } = journey.person;
  const first = journey.visitor.actor.userId === null;
  journey.visitor.actor.userId = contact.userId;
  journey.drafts.push({
    at,
    message: {
      type: 'identify',
      messageId: '',
      timestamp: '',
      userId: contact.userId,
      anonymousId: journey.visitor.actor.anonymousId,
      traits: identifyTraits(contact, company),
    },
  });
  if (first && company) {
    journey.drafts.push({
      at: at + 300,
      message: {
        type: 'group',
        messageId: '',
        timestamp: '',
        userId: contact.userId,
        groupId: company.domain,
        traits: companyTraits(company),
      },
    });
  }
}

/** Fills in a form during `visit`: the form's page, the identify, and the event it stands for. */
export function submitForm(random: Random, journey: Journey, visit: Visit, form: Form, webinar?: Webinar): void {
  const actor = journey.visitor.actor;
  // The form is sent shortly before the visitor leaves its page.
  const submitOn = (page: SitePage): number => viewPage(random, journey.visitor, visit, page) - random.int(300, 1500);
  switch (form) {
    case 'newsletter': {
      // A footer form, sent as the visitor leaves the page they were on.
      identify(journey, visit.at - 100);
      visit.at += random.int(500, 3000);
      return;
    }
    case 'ebook': {
      const ebook = random.pick(EBOOKS);
      const submitted = submitOn(ebookPage(ebook));
      identify(journey, submitted);
      journey.drafts.push(
        trackForActor(submitted + 150, actor, 'Ebook Downloaded', {
          title: ebook.title,
          tags: [...ebook.tags],
          format: 'pdf',
        }),
      );
      return;
    }
    case 'webinar': {
      const next = webinar ?? journey.calendar.webinars.find((w) => w.at > visit.at + 86_400_000);
      if (next === undefined) {
        submitForm(random, journey, visit, 'newsletter');
        return;
      }
      const submitted = submitOn(next.page);
      identify(journey, submitted);
      const properties = {
        webinar: next.title,
        webinarId: next.id,
        startsAt: new Date(next.at).toISOString(),
        tags: ['webinar'],
      };
      const draft = trackForActor(submitted + 150, actor, 'Webinar Registered', properties);
      journey.drafts.push(draft);
      journey.registrations.push({ webinar: next, draft });
      return;
    }
    case 'trial': {
      const submitted = submitOn(SIGNUP);
      identify(journey, submitted);
      journey.drafts.push(trackForActor(submitted + 150, actor, 'Trial Started', { plan: 'Growth', trialDays: 14 }));
      return;
    }
    case 'contact-sales': {
      const submitted = submitOn(CONTACT);
      identify(journey, submitted);
      const topic = random.pick(['pricing', 'enterprise plan', 'security review', 'migration from another tool']);
      journey.drafts.push(trackForActor(submitted + 150, actor, 'Contact Sales Requested', { topic }));
      return;
    }
    case 'demo': {
      const submitted = submitOn(DEMO);
      identify(journey, submitted);
      journey.drafts.push(
        trackForActor(submitted + 150, actor, 'Demo Requested', {
          form: 'book-a-demo',
          teamSize: teamSize(journey.person.company),
        }),
      );
      return;
    }
    default:
      assertUnreachable(form);
  }
}
