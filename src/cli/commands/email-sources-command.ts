import { EMAIL_PROVIDERS, isEmailProvider } from '../../core/email-events/email-event.ts';
import { bootstrapWorkspace } from '../../server/bootstrap-workspace.ts';
import type { Config } from '../../server/config.ts';
import type { EmailSourceSettings } from '../../server/email-events/email-source-settings.ts';
import { saveEmailSource } from '../../server/email-events/email-sources.ts';
import { openConfiguredDatabase } from '../open-from-config.ts';

export interface EmailSourceOptions {
  publicKey?: string;
  signingKey?: string;
  topicArn: string[];
  rotate?: boolean;
}

/**
 * Sets up an email provider (`ripen email-sources set mailgun --signing-key …`) and prints its
 * webhook token when new or rotated. The generic mapping is set through the API.
 */
export async function runEmailSourcesSet(config: Config, provider: string, options: EmailSourceOptions): Promise<void> {
  if (!isEmailProvider(provider) || provider === 'generic') {
    const choices = EMAIL_PROVIDERS.filter((name) => name !== 'generic').join(', ');
    throw new Error(
      `provider must be one of ${choices} (set up generic with PUT /api/email-sources/generic), got \`${provider}\``,
    );
  }
  const settings: EmailSourceSettings = {
    ...(options.publicKey ? { publicKey: options.publicKey } : {}),
    ...(options.signingKey ? { signingKey: options.signingKey } : {}),
    ...(options.topicArn.length > 0 ? { topicArns: options.topicArn } : {}),
  };
  const database = await openConfiguredDatabase(config);
  try {
    const { workspaceId } = await bootstrapWorkspace(database.db);
    const saved = await saveEmailSource(database.db, workspaceId, provider, settings, {
      rotateToken: options.rotate === true,
      now: Date.now(),
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const { source, token } = saved.value;
    process.stdout.write(
      token === null
        ? `${provider} updated; its token is unchanged (--rotate issues a new one)\n`
        : `${token}\n(shown once) webhook URL: https://ripen:${token}@<your host>${source.path}\n`,
    );
  } finally {
    await database.close();
  }
}
