import type { PlaybookStore } from '../../core/playbook/playbook-store.ts';
import type { Db } from '../db/open-database.ts';
import type { KeyResolver } from '../workspaces/api-keys.ts';

/** What every service takes first: the database, the published playbooks and the clock. */
export interface ServiceDeps {
  db: Db;
  playbooks: PlaybookStore;
  clock: () => number;
}

/** What the REST routes of a feature need: the services' dependencies and key look-up. */
export interface RouteDeps extends ServiceDeps {
  resolveKey: KeyResolver;
}
