import { assertUnreachable, err, ok, type Result } from '../result.ts';
import { explainIllegalTransition } from './explain-illegal-transition.ts';
import type { Stage } from './stages.ts';
import { isTransitionKind, TRANSITION_SOURCES } from './transition-table.ts';

export const BANT_FIELDS = ['budget', 'authority', 'need', 'timeline'] as const;
export type BantField = (typeof BANT_FIELDS)[number];

/** Where a contact is in the lifecycle. `nurtureUntil` (ms epoch) is only ever set while `recycled`. */
export interface LifecycleState {
  stage: Stage;
  nurtureUntil: number | null;
  reMqlCount: number;
}

/** A requested move, by a playbook rule (`qualify-mql`, `hand-raise`) or by a person or API client. */
export type TransitionRequest =
  /** Criteria met: lead → mql, or recycled → mql once nurture is over. */
  | { kind: 'qualify-mql'; rule: string }
  /** Fast lane to mql from lead or recycled, even before nurture is over. */
  | { kind: 'hand-raise'; rule: string }
  /** A rep accepts the MQL: mql → sal. */
  | { kind: 'accept' }
  /** mql or sal → sql, once every `required` BANT field has been recorded. */
  | { kind: 'qualify-sql'; bant: Partial<Record<BantField, string>>; required: readonly BantField[] }
  /** sql → opportunity. */
  | { kind: 'create-opportunity' }
  /** opportunity → customer when won; → recycled (with no nurture date) when lost. */
  | { kind: 'record-outcome'; outcome: 'won' }
  | { kind: 'record-outcome'; outcome: 'lost'; reason: string }
  /**
   * A won or lost deal from a CRM import: a fact, recorded from any stage but customer (won →
   * customer, lost → recycled), whether or not the lead ever reached sales in Ripen.
   */
  | { kind: 'import-outcome'; outcome: 'won' | 'lost' }
  /** mql, sal or sql → recycled until `nurtureUntil`, for one of the playbook's reasons. */
  | { kind: 'recycle'; reason: string; nurtureUntil: number; allowedReasons: readonly string[] }
  /** Any stage but customer and disqualified → disqualified, for one of the playbook's reasons. */
  | { kind: 'disqualify'; reason: string; allowedReasons: readonly string[] }
  /** disqualified or recycled → lead. Who may reopen is the server's concern. */
  | { kind: 'reopen' };

export type TransitionKind = TransitionRequest['kind'];

/** Why a move was refused, with a message that says what to do instead. */
export type TransitionError =
  | { kind: 'illegal-transition'; from: Stage; to: Stage | null; message: string }
  | { kind: 'missing-qualification'; missing: string[]; message: string }
  | { kind: 'invalid-reason'; reason: string; allowed: readonly string[]; message: string }
  | { kind: 'invalid-nurture-date'; message: string }
  | { kind: 'nurture-not-over'; nurtureUntil: number; message: string };

export interface AppliedTransition {
  state: LifecycleState;
  from: Stage;
  to: Stage;
}

/**
 * Applies a lifecycle move at `now` (ms epoch), or says why it is refused. A refused move changes nothing.
 * Re-qualifying from `recycled` (by criteria or hand-raise) increments `reMqlCount`.
 */
export function applyTransition(
  state: LifecycleState,
  request: TransitionRequest,
  now: number,
): Result<AppliedTransition, TransitionError> {
  const from = state.stage;
  const to = targetStage(request);
  if (!TRANSITION_SOURCES[request.kind].includes(from)) {
    return err({ kind: 'illegal-transition', from, to, message: explainIllegalTransition(request.kind, from, to) });
  }
  const next = nextState(state, request, now);
  return next.ok ? ok({ state: next.value, from, to }) : next;
}

/** Moves only the system makes (a CRM import's outcomes), never offered to a person. */
const SYSTEM_ONLY: ReadonlySet<TransitionKind> = new Set(['import-outcome']);

/** The kinds of request a contact in `stage` may receive, in table order (for menus and buttons). */
export function allowedTransitions(stage: Stage): ReadonlyArray<TransitionKind> {
  return Object.entries(TRANSITION_SOURCES)
    .filter(([, sources]) => sources.includes(stage))
    .map(([kind]) => kind)
    .filter(isTransitionKind)
    .filter((kind) => !SYSTEM_ONLY.has(kind));
}

/** The stage a request leads to, whatever the stage it starts from. */
export function targetStage(request: TransitionRequest): Stage {
  switch (request.kind) {
    case 'qualify-mql':
    case 'hand-raise':
      return 'mql';
    case 'accept':
      return 'sal';
    case 'qualify-sql':
      return 'sql';
    case 'create-opportunity':
      return 'opportunity';
    case 'record-outcome':
    case 'import-outcome':
      return request.outcome === 'won' ? 'customer' : 'recycled';
    case 'recycle':
      return 'recycled';
    case 'disqualify':
      return 'disqualified';
    case 'reopen':
      return 'lead';
    default:
      return assertUnreachable(request);
  }
}

function nextState(
  state: LifecycleState,
  request: TransitionRequest,
  now: number,
): Result<LifecycleState, TransitionError> {
  const move = (stage: Stage, nurtureUntil: number | null = null, reMqlCount = state.reMqlCount) =>
    ok({ stage, nurtureUntil, reMqlCount });
  const requalifying = state.stage === 'recycled';
  switch (request.kind) {
    case 'qualify-mql':
      if (requalifying && state.nurtureUntil !== null && now < state.nurtureUntil) {
        const message = `cannot re-qualify this contact as an MQL before its nurture period ends at ${formatInstant(state.nurtureUntil)}; wait until then, or let a hand-raise bring it back sooner`;
        return err({ kind: 'nurture-not-over', nurtureUntil: state.nurtureUntil, message });
      }
      return move('mql', null, state.reMqlCount + (requalifying ? 1 : 0));
    case 'hand-raise':
      return move('mql', null, state.reMqlCount + (requalifying ? 1 : 0));
    case 'accept':
      return move('sal');
    case 'qualify-sql': {
      const missing = BANT_FIELDS.filter((field) => request.required.includes(field) && !request.bant[field]?.trim());
      if (missing.length === 0) return move('sql');
      const message = `cannot qualify this contact as an SQL: record its ${listWords(missing)} first`;
      return err({ kind: 'missing-qualification', missing, message });
    }
    case 'create-opportunity':
      return move('opportunity');
    case 'record-outcome':
      if (request.outcome === 'won') return move('customer');
      if (request.reason.trim() === '') {
        const message = 'a lost outcome needs a reason, e.g. `chose a competitor`';
        return err({ kind: 'invalid-reason', reason: request.reason, allowed: [], message });
      }
      return move('recycled');
    case 'import-outcome':
      return move(request.outcome === 'won' ? 'customer' : 'recycled');
    case 'recycle': {
      const refused = checkReason('recycle', request.reason, request.allowedReasons);
      if (refused) return err(refused);
      if (!Number.isFinite(request.nurtureUntil) || request.nurtureUntil <= now) {
        const given = Number.isFinite(request.nurtureUntil) ? formatInstant(request.nurtureUntil) : 'an invalid date';
        const message = `the nurture-until date must be after now (${formatInstant(now)}), got ${given}`;
        return err({ kind: 'invalid-nurture-date', message });
      }
      return move('recycled', request.nurtureUntil);
    }
    case 'disqualify': {
      const refused = checkReason('disqualify', request.reason, request.allowedReasons);
      return refused ? err(refused) : move('disqualified');
    }
    case 'reopen':
      return move('lead');
    default:
      return assertUnreachable(request);
  }
}

function checkReason(
  action: 'recycle' | 'disqualify',
  reason: string,
  allowed: readonly string[],
): TransitionError | null {
  if (allowed.includes(reason)) return null;
  const message =
    allowed.length === 0
      ? `no ${action} reasons are configured in the playbook; add one before using \`${reason}\``
      : `\`${reason}\` is not a ${action} reason; use one of ${listWords(
          allowed.map((item) => `\`${item}\``),
          'or',
        )}`;
  return { kind: 'invalid-reason', reason, allowed, message };
}

function listWords(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

const MAX_DATE_MS = 8.64e15;

function formatInstant(ms: number): string {
  return Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : `${ms} ms after the epoch`;
}
