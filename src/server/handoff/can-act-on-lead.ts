import { assertUnreachable } from '../../core/result.ts';
import type { KeyIdentity } from '../workspaces/api-keys.ts';
import type { SalesAction } from './perform-sales-action.ts';

/**
 * Who may do what to a lead. Admins may do everything; managers everything but reopening
 * (SPEC §5: reopen is an admin's call); reps act on leads they own, and may accept
 * (and so claim) a lead that nobody owns yet; they never reassign, not even their own.
 * Marketing and viewers work no leads.
 */
export function canActOnLead(identity: KeyIdentity, lead: { owner: string | null }, action: SalesAction): boolean {
  if (identity.kind === 'write') return false;
  switch (identity.role) {
    case 'admin':
      return true;
    case 'manager':
      return action.kind !== 'reopen';
    case 'rep':
      if (action.kind === 'reopen' || action.kind === 'reassign' || identity.userId === null) return false;
      if (lead.owner === identity.userId) return true;
      return lead.owner === null && action.kind === 'accept';
    case 'marketing':
    case 'viewer':
      return false;
    default:
      return assertUnreachable(identity.role);
  }
}

/** Marking reps available or away: managers and admins, or reps for themselves. */
export function canSetAvailability(identity: KeyIdentity, repId: string): boolean {
  if (identity.kind === 'write') return false;
  if (identity.role === 'admin' || identity.role === 'manager') return true;
  return identity.role === 'rep' && identity.userId === repId;
}

/** Who the stage history names for a move made with this key. */
export function actorOf(identity: KeyIdentity): string {
  return identity.userId ? `user:${identity.userId}` : `key:${identity.keyId}`;
}
