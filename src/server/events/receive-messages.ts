import type { MessageType } from '../../core/ingest/segment-message.ts';
import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { type ItemError, quarantineItems, validateMessages } from './accept-messages.ts';
import { createDirectIngest, type Ingest, type IngestFailure } from './ingest-batcher.ts';

export interface ReceiveDeps {
  db: Db;
  playbooks: PlaybookStore;
  clock: () => number;
  /** How validated messages are written; defaults to one transaction per call. */
  ingest?: Ingest;
}

/** Why nothing of a request was stored: no playbook to score by, or ingestion is behind. */
export type ReceiveFailure = IngestFailure | Failure<'no-playbook'>;

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
): Promise<Result<ReceiveResult, ReceiveFailure>> {
  const receivedAt = deps.clock();
  const { valid, errors } = validateMessages(items, forcedType, receivedAt, source);
  let stored = { accepted: 0, duplicates: 0 };
  if (valid.length > 0) {
    const playbook = await deps.playbooks.active(workspaceId);
    if (playbook === null) {
      const message = 'this workspace has no published playbook yet; publish one with `ripen playbook publish <file>`';
      return err({ kind: 'no-playbook', message });
    }
    const ingest = deps.ingest ?? createDirectIngest(deps.db);
    const written = await ingest(workspaceId, playbook, valid);
    if (!written.ok) return written;
    stored = written.value;
  }
  await quarantineItems(deps.db, workspaceId, items, errors, receivedAt);
  return ok({ accepted: stored.accepted, duplicates: stored.duplicates, errors });
}
