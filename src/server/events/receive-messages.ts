import type { MessageType } from '../../core/ingest/segment-message.ts';
import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import type { Db } from '../db/open-database.ts';
import { ApiError } from '../http/api-error.ts';
import { type ItemError, quarantineItems, validateMessages } from './accept-messages.ts';
import { createDirectIngest, type Ingest } from './ingest-batcher.ts';

export interface ReceiveDeps {
  db: Db;
  playbooks: PlaybookStore;
  clock: () => number;
  /** How validated messages are written; defaults to one transaction per call. */
  ingest?: Ingest;
}

export interface ReceiveResult {
  accepted: number;
  duplicates: number;
  errors: ItemError[];
}

/**
 * Validates, durably ingests the valid, then quarantines the invalid messages of one request.
 * Quarantine comes after the events' commit: if the database goes away in between, the
 * client is answered 503 and resends, its events are recognised by id and its invalid items
 * quarantined then; nothing is kept twice.
 */
export async function receiveMessages(
  deps: ReceiveDeps,
  workspaceId: string,
  items: readonly unknown[],
  forcedType: MessageType | null,
  source: string,
): Promise<ReceiveResult> {
  const receivedAt = deps.clock();
  const { valid, errors } = validateMessages(items, forcedType, receivedAt, source);
  let stored = { accepted: 0, duplicates: 0 };
  if (valid.length > 0) {
    const playbook = await deps.playbooks.active(workspaceId);
    if (playbook === null) {
      throw new ApiError(
        409,
        'no_playbook',
        'this workspace has no published playbook yet; publish one with `ripen playbook publish <file>`',
      );
    }
    const ingest = deps.ingest ?? createDirectIngest(deps.db);
    stored = await ingest(workspaceId, playbook, valid);
  }
  await quarantineItems(deps.db, workspaceId, items, errors, receivedAt);
  return { accepted: stored.accepted, duplicates: stored.duplicates, errors };
}
