import { createHash } from 'node:crypto';
import type { NormalizedMessage } from '../../core/ingest/segment-message.ts';

/** The identities an erased contact is suppressed by. */
export type SuppressedKind = 'email' | 'user' | 'anonymous';

/**
 * What `suppressions` stores for an identity of an erased contact: a SHA-256 of the workspace,
 * the kind and the value (emails lower-cased, as contacts store them), never the value itself.
 */
export function suppressionHash(workspaceId: string, kind: SuppressedKind, value: string): string {
  const normalized = kind === 'email' ? value.trim().toLowerCase() : value;
  return createHash('sha256').update(`${workspaceId}\u0000${kind}\u0000${normalized}`).digest('hex');
}

/**
 * The hashes a message would be suppressed by: its email, user id and anonymous id. A batch
 * names the same visitor many times; `memo` (one per batch) hashes each identity once.
 */
export function messageSuppressionHashes(
  workspaceId: string,
  message: NormalizedMessage,
  memo: Map<string, string>,
): string[] {
  const hashOf = (kind: SuppressedKind, value: string) => {
    const key = `${kind}\u0000${value}`;
    let hash = memo.get(key);
    if (hash === undefined) {
      hash = suppressionHash(workspaceId, kind, value);
      memo.set(key, hash);
    }
    return hash;
  };
  const hashes: string[] = [];
  if (message.email !== null) hashes.push(hashOf('email', message.email));
  if (message.userId !== null) hashes.push(hashOf('user', message.userId));
  if (message.anonymousId !== null) hashes.push(hashOf('anonymous', message.anonymousId));
  return hashes;
}
