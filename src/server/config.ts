import { resolve } from 'node:path';
import { parseWebhookAllowList } from './webhooks/check-webhook-url.ts';

/** Server settings. This is the only file that reads process.env. */
export interface Config {
  databaseUrl: string | null;
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  /** RIPEN_WEBHOOK_ALLOW: CIDRs, addresses or host names webhooks may reach although private. */
  webhookAllowList: string[];
  /**
   * RIPEN_PREPARED_STATEMENTS=off runs PostgreSQL queries unprepared, for a connection pooler
   * in transaction mode that cannot keep prepared statements (PgBouncer before 1.21).
   */
  preparedStatements: boolean;
}

function readSwitch(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new Error(`${name} must be on or off, got \`${env[name]}\``);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3030);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a number between 0 and 65535, got \`${env.PORT}\``);
  }
  return {
    databaseUrl: env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL : null,
    dataDir: resolve(env.RIPEN_DATA_DIR ?? '.ripen/data'),
    host: env.HOST ?? '127.0.0.1',
    port,
    logLevel: env.LOG_LEVEL ?? 'info',
    webhookAllowList: parseWebhookAllowList(env.RIPEN_WEBHOOK_ALLOW),
    preparedStatements: readSwitch(env, 'RIPEN_PREPARED_STATEMENTS', true),
  };
}
