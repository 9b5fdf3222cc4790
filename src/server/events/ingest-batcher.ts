import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';
import type { CompiledPlaybook } from '../../core/playbook/compile-playbook.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import type { EngagementEvent } from '../../core/scoring/engagement-state.ts';
import { isDatabaseUnavailable } from '../db/database-unavailable.ts';
import type { Db } from '../db/open-database.ts';
import { ingestMessages } from './ingest-messages.ts';

export interface SubmitResult {
  accepted: number;
  duplicates: number;
}

/** Ingestion is behind: nothing of the request was stored; the client retries later. */
export type IngestFailure = Failure<'overloaded'>;

interface Entry {
  messages: readonly NormalizedMessage[];
  resolve: (result: Result<SubmitResult, IngestFailure>) => void;
  reject: (error: unknown) => void;
}

interface WorkspaceQueue {
  pending: Entry[];
  pendingMessages: number;
  inFlight: number;
}

export type Ingest = (
  workspaceId: string,
  playbook: CompiledPlaybook,
  messages: readonly NormalizedMessage[],
) => Promise<Result<SubmitResult, IngestFailure>>;

/**
 * Group commit for ingestion. Requests that arrive while a workspace's transactions are in
 * flight wait and are then written together in one transaction: one round trip per query
 * for many events instead of per event. Each request still resolves only after the commit
 * that holds its messages. If a shared transaction fails, its requests are retried one by
 * one so that a bad request fails alone.
 */
export function createIngestBatcher(
  db: Db,
  options: {
    maxInFlight?: number;
    maxMessages?: number;
    maxPending?: number;
    afterWrite?: (rows: number, stored: readonly EngagementEvent[]) => void;
  } = {},
): Ingest {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxMessages = options.maxMessages ?? 2000;
  // Beyond this many waiting messages per workspace, new requests get 429 instead of queueing
  // without bound (memory) and timing out (latency).
  const maxPending = options.maxPending ?? 20_000;
  const queues = new Map<string, WorkspaceQueue>();
  const playbooks = new Map<string, CompiledPlaybook>();

  function takeGroup(queue: WorkspaceQueue): Entry[] {
    const group: Entry[] = [];
    let size = 0;
    while (queue.pending.length > 0) {
      const next = queue.pending[0]!;
      if (group.length > 0 && size + next.messages.length > maxMessages) break;
      group.push(next);
      size += next.messages.length;
      queue.pending.shift();
      queue.pendingMessages -= next.messages.length;
    }
    return group;
  }

  async function write(workspaceId: string, group: Entry[]): Promise<void> {
    const playbook = playbooks.get(workspaceId);
    if (!playbook) throw new Error('batcher has no playbook for the workspace');
    const result = await ingestMessages(
      db,
      workspaceId,
      playbook.version,
      group.flatMap((entry) => entry.messages),
    );
    options.afterWrite?.(result.accepted, result.stored);
    // A message id sent by two waiting requests counts as accepted for the first one only.
    const claimed = new Set<string>();
    for (const entry of group) {
      let accepted = 0;
      for (const message of entry.messages) {
        if (result.insertedIds.has(message.messageId) && !claimed.has(message.messageId)) {
          claimed.add(message.messageId);
          accepted++;
        }
      }
      entry.resolve(ok({ accepted, duplicates: entry.messages.length - accepted }));
    }
  }

  async function drain(workspaceId: string, queue: WorkspaceQueue): Promise<void> {
    queue.inFlight++;
    try {
      // Let the event loop read every request that has already arrived before taking a group.
      // PGlite runs a whole transaction without returning to the event loop, so without this
      // yield each request would be written alone, however many were waiting on their sockets.
      await yieldToEventLoop();
      while (queue.pending.length > 0) {
        const group = takeGroup(queue);
        try {
          await write(workspaceId, group);
        } catch (error) {
          // With the database away, writing the requests one by one would only fail again.
          if (group.length === 1 || isDatabaseUnavailable(error)) {
            for (const entry of group) entry.reject(error);
            continue;
          }
          for (const entry of group) {
            await write(workspaceId, [entry]).catch((single: unknown) => entry.reject(single));
          }
        }
        await yieldToEventLoop();
      }
    } finally {
      queue.inFlight--;
    }
  }

  return (workspaceId, playbook, messages) =>
    new Promise<Result<SubmitResult, IngestFailure>>((resolve, reject) => {
      const known = playbooks.get(workspaceId);
      if (!known || known.version < playbook.version) playbooks.set(workspaceId, playbook);
      let queue = queues.get(workspaceId);
      if (!queue) {
        queue = { pending: [], pendingMessages: 0, inFlight: 0 };
        queues.set(workspaceId, queue);
      }
      if (queue.pendingMessages > 0 && queue.pendingMessages + messages.length > maxPending) {
        const message = 'ingestion is behind; nothing of this request was stored, retry after the Retry-After delay';
        resolve(err({ kind: 'overloaded', message }));
        return;
      }
      queue.pending.push({ messages, resolve, reject });
      queue.pendingMessages += messages.length;
      if (queue.inFlight < maxInFlight) void drain(workspaceId, queue);
    });
}

/** Direct ingestion, one transaction per call (CLI imports already send large batches). */
export function createDirectIngest(
  db: Db,
  afterWrite?: (rows: number, stored: readonly EngagementEvent[]) => void,
): Ingest {
  return async (workspaceId, playbook, messages) => {
    const result = await ingestMessages(db, workspaceId, playbook.version, messages);
    afterWrite?.(result.accepted, result.stored);
    return ok({ accepted: result.accepted, duplicates: result.duplicates });
  };
}
