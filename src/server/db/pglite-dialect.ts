import type { PGlite, QueryOptions } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * Kysely dialect for PGlite. PGlite is one connection in one process, so the driver hands
 * out that connection to one user at a time; a transaction keeps it until commit.
 * See docs/decisions/0002-query-layer.md for why this is ours and not a package.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

/** Parameters at least this long go to PGlite as UTF-8 bytes (binary format) rather than as strings. */
const BINARY_FROM_LENGTH = 256;

const TEXT_OIDS = [25, 1043]; // text, varchar: their binary form is the UTF-8 bytes
const JSON_OID = 114; // json: binary form is the text too
const JSONB_OID = 3802; // jsonb: a version byte (1), then the text

function utf8(text: string, versionByte: number | null): Uint8Array {
  const offset = versionByte === null ? 0 : 1;
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(text) + offset);
  if (versionByte !== null) bytes[0] = versionByte;
  bytes.write(text, offset);
  return bytes;
}

/**
 * PGlite measures and encodes string parameters in JavaScript, character by character: for
 * the bulk statements' JSON (megabytes per ingest transaction) that was a tenth of the
 * server's CPU. Long strings bound to text and JSON parameters are therefore encoded natively
 * (`Buffer`) and sent in binary format, which for these types is the UTF-8 text itself
 * (PGlite binds byte arrays in binary format; test/server/db/long-text-parameters.test.ts
 * checks the round trip). Everything else keeps PGlite's own serialisation.
 */
function textSerializer(pglite: PGlite, oid: number, versionByte: number | null) {
  return (value: unknown): string | Uint8Array => {
    const text = typeof value === 'string' ? value : (pglite.serializers[oid]?.(value) ?? String(value));
    return text.length >= BINARY_FROM_LENGTH ? utf8(text, versionByte) : text;
  };
}

class PGliteConnection implements DatabaseConnection {
  readonly #options: QueryOptions;
  constructor(private readonly pglite: PGlite) {
    const serializers: Record<number, (value: unknown) => string | Uint8Array> = {
      [JSON_OID]: textSerializer(pglite, JSON_OID, null),
      [JSONB_OID]: textSerializer(pglite, JSONB_OID, 1),
    };
    for (const oid of TEXT_OIDS) serializers[oid] = textSerializer(pglite, oid, null);
    // PGlite's option type says serialisers return strings; its bind step takes bytes as binary.
    this.#options = { serializers: serializers as QueryOptions['serializers'] };
  }
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters], this.#options);
    const affected = result.affectedRows ?? 0;
    return { rows: result.rows, numAffectedRows: BigInt(affected) };
  }
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.executeQuery<R>(compiled);
    for (let i = 0; i < result.rows.length; i += chunkSize) yield { rows: result.rows.slice(i, i + chunkSize) };
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | null = null;

  constructor(private readonly pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite);
  }
  async init(): Promise<void> {
    await this.pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
  }
  async destroy(): Promise<void> {
    await this.pglite.close();
  }
}
