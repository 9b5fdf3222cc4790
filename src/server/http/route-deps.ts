import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import type { Db } from '../db/open-database.ts';
import type { KeyResolver } from '../workspaces/api-keys.ts';

/** What the REST routes of a feature need: the database, playbooks, the clock and key look-up. */
export interface RouteDeps {
  db: Db;
  playbooks: PlaybookStore;
  clock: () => number;
  resolveKey: KeyResolver;
}
