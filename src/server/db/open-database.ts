import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  sql,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { lockDataFolder } from './data-folder-lock.ts';
import { migrateToLatest } from './migrate.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Schema } from './schema.ts';

export type Db = Kysely<Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const oneTransactionAtATime = new WeakSet<Db>();

/**
 * True when `db` runs one transaction at a time: embedded PGlite, one connection in one
 * process, handed to one user until commit. Nothing can then change between a transaction's
 * look-up and its insert, so identity locks and the look-up repeated under them are not needed.
 */
export function runsOneTransactionAtATime(db: Db): boolean {
  return oneTransactionAtATime.has(db);
}

export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      onIdleError?: (error: Error) => void;
      /** Named prepared statements (default on); off for a pooler in transaction mode. */
      preparedStatements?: boolean;
      /**
       * Off for a bulk load that can be run again (the demo): a commit returns before its
       * write-ahead log reaches the disk (`synchronous_commit = off`), so a crash may lose the
       * last moments of work, never consistency. Default on.
       */
      durableCommits?: boolean;
    }
  | { kind: 'pglite'; dataDir: string | null };

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

/** int8 comes back as a number on both drivers (PGlite's default), so code sees one shape. */
function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8_OID) return (value) => Number(value);
  if (oid === INT8_ARRAY_OID) {
    return (value) =>
      value === '{}'
        ? []
        : value
            .slice(1, -1)
            .split(',')
            .map((item) => (item === 'NULL' ? null : Number(item)));
  }
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
}

/** At most this many distinct statements are kept prepared per connection; others are planned each time. */
const MAX_PREPARED = 400;

/**
 * Makes a pool run parameterised queries as named prepared statements, so PostgreSQL parses
 * and plans each distinct statement once per connection instead of on every call (planning
 * was an eighth of the server's database time under ingestion load). The name is a hash of
 * the text, so a name always means the same statement. Statements without parameters (DDL,
 * `begin`, `commit`) run as before.
 */
function prepareStatements(pool: pg.Pool): void {
  const names = new Map<string, string>();
  function nameOf(text: string): string | undefined {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `r_${createHash('sha1').update(text).digest('base64url')}`;
      names.set(text, name);
    }
    return name;
  }
  type Query = (config: unknown, values?: unknown) => Promise<unknown>;
  // 'connect' fires once for each new connection, before the pool hands it out.
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (config, values) => {
      const name =
        typeof config === 'string' && Array.isArray(values) && values.length > 0 ? nameOf(config) : undefined;
      return name === undefined ? query(config, values) : query({ name, text: config, values });
    };
  });
}

/** Fails early with what to do, naming the server but never the URL's password. */
async function checkConnection(db: Kysely<Schema>, url: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    const parsed = new URL(url);
    const where = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `cannot use PostgreSQL at ${where} (DATABASE_URL): ${reason}. Check that the server runs and the database exists, or unset DATABASE_URL to use the embedded database.`,
    );
  }
}

/**
 * Every transaction Ripen opens on PostgreSQL is planned as if its pages were in memory
 * (`random_page_cost` 1.1 instead of the default 4, which assumes spinning disks). Ingestion
 * and scoring look up a few dozen identities by index among thousands of rows; at the default
 * the planner read whole tables instead (contacts, anonymous ids, companies), a sixth of the
 * database's time in the ingestion benchmark. `set local` is sent with `begin`, in the same
 * round trip, and lasts for the transaction only: it works through a pooler in transaction
 * mode, and statements outside transactions keep the server's own tuning.
 */
const PLAN_FOR_CACHED_DATA = 'set local random_page_cost = 1.1';

class CachedDataPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel || settings.accessMode) {
      await super.beginTransaction(connection, settings);
      await connection.executeQuery(CompiledQuery.raw(PLAN_FOR_CACHED_DATA));
      return;
    }
    await connection.executeQuery(CompiledQuery.raw(`begin; ${PLAN_FOR_CACHED_DATA}`));
  }
}

class CachedDataPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new CachedDataPostgresDriver(this.#config);
  }
}

/** Opens PostgreSQL (DATABASE_URL) or embedded PGlite (a folder, or memory when null) and migrates it. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      options: target.durableCommits === false ? '-c synchronous_commit=off' : undefined,
      types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
    });
    // An idle connection that PostgreSQL closes (restart, failover, admin termination) emits
    // 'error' on the pool; without a listener that would crash the process. The pool drops
    // the dead client and the next query opens a fresh connection.
    pool.on('error', (error) => target.onIdleError?.(error));
    // A connection checked out of the pool has no pool listener: if PostgreSQL ends it between
    // two statements of a transaction, `pg` emits 'error' on the client, and with no listener
    // Node ends the process. The error also fails the transaction's next statement (answered
    // 503), and the pool discards the client when it is released, so it only needs a listener.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    if (target.preparedStatements ?? true) prepareStatements(pool);
    const db = new Kysely<Schema>({ dialect: new CachedDataPostgresDialect({ pool }) });
    await checkConnection(db, target.url);
    await migrateToLatest(db as Kysely<unknown>);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (target.dataDir !== null) mkdirSync(target.dataDir, { recursive: true });
  const lock = target.dataDir === null ? null : lockDataFolder(target.dataDir);
  // A small buffer pool keeps the embedded server within its memory budget (docs/benchmarks.md):
  // its WebAssembly memory is never returned, and the operating system caches the files anyway.
  // The embedded server is Ripen's own: plan for data in memory once for all (see PLAN_FOR_CACHED_DATA).
  // `pg_trgm` is part of PostgreSQL; PGlite loads it only when asked (migration 0008's search index).
  const options = {
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'random_page_cost=1.1'],
    extensions: { pg_trgm },
  };
  const pglite = target.dataDir === null ? new PGlite(options) : new PGlite(target.dataDir, options);
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  oneTransactionAtATime.add(db);
  const close = async () => {
    try {
      await db.destroy();
    } finally {
      lock?.release();
    }
  };
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await close();
    throw error;
  }
  return { db, kind: 'pglite', close };
}
