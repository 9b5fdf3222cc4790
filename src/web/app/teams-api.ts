import { api } from './api.ts';

/** The sales teams the published playbook routes to (GET /api/teams): settings and the inbox's picker. */
export interface TeamMember {
  id: string;
  weight: number;
  user: { id: string; role: string } | null;
  available: boolean;
  awayUntil: string | null;
  openHandoffs: number;
  breachedHandoffs: number;
}

export interface Teams {
  playbookVersion: number | null;
  teams: Array<{
    id: string;
    label: string | null;
    strategy: string;
    manager: TeamMember | null;
    reps: TeamMember[];
  }>;
  outsideTeams: Array<{ id: string; email: string; role: string }>;
}

export const TEAMS_KEY = ['teams'] as const;

export function fetchTeams(): Promise<Teams> {
  return api<Teams>('/api/teams');
}
