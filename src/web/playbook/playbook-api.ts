import type { BacktestReport, BacktestWeek, ChangedLead } from '../../core/backtest/backtest-report.ts';
import type { BacktestRun } from '../../core/backtest/backtest-run.ts';
import type { Explanation } from '../app/types.ts';

/** A backtest in the background (`POST /api/backtest/runs`, `GET /api/backtest/runs/{id}`), and its report. */
export type { BacktestReport, BacktestRun, BacktestWeek, ChangedLead };

export interface PublishedPlaybook {
  version: number;
  name: string;
  source: string;
  publishedAt: string;
  publishedBy: string | null;
}

export interface PlaybookIssue {
  line: number | null;
  column: number | null;
  field: string;
  expected: string;
  found: string;
  message: string;
}

export interface Validation {
  valid: boolean;
  issues: PlaybookIssue[];
  warnings: PlaybookIssue[];
}

export interface Tried {
  valid: boolean;
  issues: PlaybookIssue[];
  draft: Explanation | null;
  current: Explanation | null;
}

export interface VersionSummary {
  version: number;
  name: string;
  publishedAt: string;
  publishedBy: string;
}

export interface Rescoring {
  version: number;
  status: string;
  processed: number;
  total: number;
}

/** A lead's figures in an impact preview. */
export interface ImpactFigures {
  score: number;
  fit: number;
  engagement: number;
  grade: string;
  temperature: string;
  stage: string;
}

export const IMPACT_KINDS = ['grade', 'temperature', 'stage', 'unqualified'] as const;
export type ImpactKind = (typeof IMPACT_KINDS)[number];

export interface Transition {
  from: string;
  to: string;
  count: number;
}

/** What publishing a draft would change (`POST /api/playbook/impact`). */
export interface Impact {
  version: number;
  contacts: number;
  scoreChanged: number;
  changed: Record<ImpactKind, number>;
  transitions: { grade: Transition[]; temperature: Transition[]; stage: Transition[] };
  examples: Record<
    ImpactKind,
    Array<{ id: string; name: string | null; email: string | null; before: ImpactFigures; after: ImpactFigures }>
  >;
  tookMs: number;
}
