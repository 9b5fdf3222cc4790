import type { CompiledPlaybook } from './compile-playbook.ts';

/**
 * The active (latest published) playbook of each workspace, as every feature reads it. The
 * server's implementation caches it per process (`server/playbooks/playbook-store.ts`); the
 * interface lives here so that scoring, hand-off and the routes depend on what they read, not
 * on the folder that publishes.
 */
export interface PlaybookStore {
  /**
   * Inside a transaction pass it as `via`: on PGlite's one connection another query would wait
   * for it forever.
   */
  active(workspaceId: string, via?: unknown): Promise<CompiledPlaybook | null>;
  invalidate(workspaceId: string): void;
  invalidateAll(): void;
}

/** Thrown when a contact was scored by a newer playbook version than this process holds. */
export class StalePlaybookError extends Error {
  constructor(readonly newerVersion: number) {
    super(`playbook version ${newerVersion} was published by another process`);
  }
}
