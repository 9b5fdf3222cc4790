import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database created for one test file or benchmark run on a PostgreSQL server, and dropped after. */
export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

async function runAdmin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix>_<random>` on the server named by `serverUrl` (any database on it). */
export async function createThrowawayDatabase(serverUrl: string, prefix: string): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await runAdmin(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => runAdmin(serverUrl, `drop database if exists ${name} with (force)`) };
}

/** Runs `work` on a throwaway database and drops it afterwards, whatever happens. */
export async function withThrowawayDatabase<T>(
  serverUrl: string,
  prefix: string,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const throwaway = await createThrowawayDatabase(serverUrl, prefix);
  try {
    return await work(throwaway.url);
  } finally {
    await throwaway.drop();
  }
}
