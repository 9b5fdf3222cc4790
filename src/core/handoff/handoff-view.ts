/** A hand-off as the API and the web app's inbox show it (GET /api/handoffs). */
export interface HandoffView {
  id: string;
  contactId: string;
  owner: string;
  teamId: string | null;
  status: string;
  closedReason: string | null;
  qualifiedAt: string;
  warnAt: string;
  dueAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
  escalationStep: number;
  firstTouchAt: string | null;
  touchChannel: string | null;
  /** Who the lead is, for the inbox: enough to decide what to do without opening it. */
  contact: HandoffContact;
}

export interface HandoffContact {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  company: string | null;
  stage: string;
  score: number;
  grade: string;
  temperature: string;
}
