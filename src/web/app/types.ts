/** The shapes the API answers with, as the pages use them (the server's schemas are the source). */

export type Role = 'admin' | 'marketing' | 'manager' | 'rep' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'marketing', 'manager', 'rep', 'viewer'];

export interface Session {
  user: { id: string; email: string; role: Role; language: string | null };
  can: {
    writeLeads: boolean;
    editCompanies: boolean;
    mergeContacts: boolean;
    publishPlaybook: boolean;
    manage: boolean;
    reassign: boolean;
  };
  csrfToken: string;
}

export interface Contact {
  id: string;
  email: string | null;
  userId: string | null;
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  seniority: string | null;
  role: string | null;
  phone: string | null;
  country: string | null;
  companyId: string | null;
  properties: Record<string, unknown>;
  stage: string;
  owner: string | null;
  fit: number;
  engagement: number;
  score: number;
  /** The predictive model's chance of a win, 0–1; null before a model scored it. */
  predicted: number | null;
  grade: string;
  temperature: string;
  cell: string;
  scoredAt: string | null;
  stageEnteredAt: Record<string, string>;
  nurtureUntil: string | null;
  teamId: string | null;
  nurtureTrack: string | null;
  qualification: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ExplanationLine {
  kind: string;
  points: number;
  group?: string;
  rule?: string;
  label?: string;
  matched?: number;
  counted?: number;
  rawPoints?: number;
  halfLifeDays?: number | null;
  cap?: number;
  events?: Array<{ messageId: string; at: string; rawPoints: number; points: number }>;
}

export interface Explanation {
  at: string;
  playbookVersion: number;
  cell: string;
  fit: { points: number; grade: string; lines: ExplanationLine[] };
  engagement: { points: number; temperature: string; lines: ExplanationLine[] };
  combined: { points: number; fitWeight?: number; engagementWeight?: number };
}

export interface StageMove {
  from: string | null;
  to: string;
  at: string;
  actor: string | null;
  transition: string | null;
  rule: string | null;
  reason: string | null;
  playbookVersion: number | null;
  timeInStageMs: number | null;
}

export type { HandoffView as Handoff } from '../../core/handoff/handoff-view.ts';

import type { HandoffView as Handoff } from '../../core/handoff/handoff-view.ts';

export interface LeadPageData {
  contact: Contact;
  company: {
    id: string;
    name: string | null;
    domain: string | null;
    industry: string | null;
    employees: number | null;
    score: number | null;
    engagedContacts: number;
  } | null;
  explanation: Explanation | null;
  history: StageMove[];
  handoff: Handoff | null;
  actions: string[];
  reasons: { recycle: string[]; disqualify: string[]; lost: string[] };
  requiredBant: string[];
}

export interface TimelineEvent {
  messageId: string;
  type: string;
  name: string | null;
  source: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  occurredAt: string;
  receivedAt: string;
}

export interface HomeData {
  stages: Record<string, number>;
  mqls: { last7Days: number; previous7Days: number };
  mqlsBySource: Array<{ source: string; count: number }>;
  myHandoffs: Handoff[];
  myBreached: number;
  sla: Array<{ owner: string; due: number; inTime: number; breached: number }>;
}

export { STAGES } from '../../core/lifecycle/stages.ts';
export { GRADES } from '../../core/scoring/grades.ts';

import { TEMPERATURES } from '../../core/scoring/grades.ts';

/** Hottest first, as the matrix and the filters show them. */
export const TEMPERATURES_HOT_FIRST = [...TEMPERATURES].reverse();

export function personName(contact: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}): string {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return name || contact.email || '—';
}
