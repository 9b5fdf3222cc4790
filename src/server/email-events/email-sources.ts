import { randomBytes } from 'node:crypto';
import { type EmailProvider, isEmailProvider } from '../../core/email-events/email-event.ts';
import { err, type Failure, ok, type Result } from '../../core/result.ts';
import type { Db } from '../db/open-database.ts';
import { hashKey } from '../workspaces/api-keys.ts';
import { checkEmailSourceSettings, type EmailSourceSettings } from './email-source-settings.ts';

/** A configured provider as the API shows it: never its token or signing key. */
export interface EmailSourceView {
  provider: EmailProvider;
  path: string;
  /** Whether posts must carry the provider's signature (Mailgun, SES through SNS, SendGrid with a key). */
  verifiesSignatures: boolean;
  topicArns: string[];
  hasMapping: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A provider's settings, as the webhook route needs them. */
export interface EmailSource {
  workspaceId: string;
  provider: EmailProvider;
  settings: EmailSourceSettings;
}

function toView(
  provider: EmailProvider,
  row: { settings: EmailSourceSettings; created_at: Date; updated_at: Date },
): EmailSourceView {
  const settings = row.settings;
  return {
    provider,
    path: `/v1/email-events/${provider}`,
    verifiesSignatures: provider === 'mailgun' || provider === 'ses' || settings.publicKey !== undefined,
    topicArns: settings.topicArns ?? [],
    hasMapping: settings.mapping !== undefined,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The token providers authenticate with: 32 random bytes, shown once, stored as a hash like API keys. */
function newToken(): string {
  return `rk_email_${randomBytes(24).toString('base64url')}`;
}

/**
 * Adds or changes a workspace's provider. A new provider gets a token, and so does an existing
 * one when `rotateToken` is set (the old token stops working); otherwise the token stays and
 * the answer holds none.
 */
export async function saveEmailSource(
  db: Db,
  workspaceId: string,
  provider: EmailProvider,
  settings: EmailSourceSettings,
  options: { rotateToken: boolean; now: number },
): Promise<Result<{ source: EmailSourceView; token: string | null }, Failure<'invalid-settings'>>> {
  const checked = checkEmailSourceSettings(provider, settings);
  if (!checked.ok) return err({ kind: 'invalid-settings', message: checked.error });
  const token = newToken();
  const now = new Date(options.now);
  const existing = await db
    .selectFrom('email_sources')
    .select('provider')
    .where('workspace_id', '=', workspaceId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  const issued = existing === undefined || options.rotateToken;
  const row = await db
    .insertInto('email_sources')
    .values({
      workspace_id: workspaceId,
      provider,
      token_hash: hashKey(token),
      settings: JSON.stringify(checked.value),
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) =>
      conflict.columns(['workspace_id', 'provider']).doUpdateSet((update) => ({
        settings: update.ref('excluded.settings'),
        updated_at: update.ref('excluded.updated_at'),
        ...(issued ? { token_hash: update.ref('excluded.token_hash') } : {}),
      })),
    )
    .returning(['settings', 'created_at', 'updated_at'])
    .executeTakeFirstOrThrow();
  return ok({ source: toView(provider, row), token: issued ? token : null });
}

export async function listEmailSources(db: Db, workspaceId: string): Promise<EmailSourceView[]> {
  const rows = await db
    .selectFrom('email_sources')
    .select(['provider', 'settings', 'created_at', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('provider')
    .execute();
  // Only providers this version knows are listed; the column holds nothing else.
  return rows.flatMap((row) => (isEmailProvider(row.provider) ? [toView(row.provider, row)] : []));
}

/** Removes a provider; its token stops working at once. False when it was not configured. */
export async function deleteEmailSource(db: Db, workspaceId: string, provider: EmailProvider): Promise<boolean> {
  const result = await db
    .deleteFrom('email_sources')
    .where('workspace_id', '=', workspaceId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The provider a webhook token belongs to, or null for an unknown token. */
export async function findEmailSource(db: Db, token: string): Promise<EmailSource | null> {
  const row = await db
    .selectFrom('email_sources')
    .select(['workspace_id', 'provider', 'settings'])
    .where('token_hash', '=', hashKey(token))
    .executeTakeFirst();
  if (row === undefined || !isEmailProvider(row.provider)) return null;
  return { workspaceId: row.workspace_id, provider: row.provider, settings: row.settings };
}
