import type { MessageType } from '../../core/ingest/segment-message.ts';
import type { Db } from '../db/open-database.ts';
import { ApiError } from '../http/api-error.ts';
import type { PlaybookStore } from '../playbooks/playbook-store.ts';
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

/** Validates, quarantines the invalid, and durably ingests the rest of one request's messages. */
export async function receiveMessages(
  deps: ReceiveDeps,
  workspaceId: string,
  items: readonly unknown[],
  forcedType: MessageType | null,
  source: string,
): Promise<ReceiveResult> {
  const receivedAt = deps.clock();
  const { valid, errors } = validateMessages(items, forcedType, receivedAt, source);
  await quarantineItems(deps.db, workspaceId, items, errors, receivedAt);
  if (valid.length === 0) return { accepted: 0, duplicates: 0, errors };
  const playbook = await deps.playbooks.active(workspaceId);
  if (playbook === null) {
    throw new ApiError(
      409,
      'no_playbook',
      'this workspace has no published playbook yet; publish one with `ripen playbook publish <file>`',
    );
  }
  const ingest = deps.ingest ?? createDirectIngest(deps.db);
  const result = await ingest(workspaceId, playbook, valid);
  return { accepted: result.accepted, duplicates: result.duplicates, errors };
}
