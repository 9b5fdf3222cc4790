import type { Explanation } from '../app/types.ts';

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
