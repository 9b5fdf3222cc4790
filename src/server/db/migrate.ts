import { type Kysely, type Migration, type MigrationResult, Migrator } from 'kysely';
import * as initialSchema from './migrations/0001-initial-schema.ts';
import * as scoreQueueAndJobs from './migrations/0002-score-queue-and-jobs.ts';
import * as handoff from './migrations/0003-handoff.ts';
import * as highVolumeTables from './migrations/0004-high-volume-tables.ts';
import * as cheaperWrites from './migrations/0005-cheaper-writes.ts';
import * as quarantineMessageId from './migrations/0006-quarantine-message-id.ts';
import * as usersAndSessions from './migrations/0007-users-and-sessions.ts';
import * as leadListIndexes from './migrations/0008-lead-list-indexes.ts';
import * as keyOriginsAndLanguages from './migrations/0009-key-origins-and-languages.ts';
import * as emailDeliverability from './migrations/0010-email-deliverability.ts';
import * as privacy from './migrations/0011-privacy.ts';
import * as narrowContacts from './migrations/0012-narrow-contacts.ts';
import * as contactMerges from './migrations/0013-contact-merges.ts';
import * as companyScore from './migrations/0014-company-score-and-enrichment.ts';
import * as insightIndexes from './migrations/0015-insight-indexes.ts';
import * as predictiveModels from './migrations/0016-predictive-models.ts';
import * as dropTaggedEventsIndex from './migrations/0017-drop-tagged-events-index.ts';
import * as touchOriginsByContact from './migrations/0018-touch-origins-by-contact.ts';
import * as contactFunnelFacts from './migrations/0019-contact-funnel-facts.ts';
import * as contactTouches from './migrations/0020-contact-touches.ts';
import * as firstMqlDetails from './migrations/0021-first-mql-details.ts';
import * as stageHistoryByContactAndTime from './migrations/0022-stage-history-by-contact-and-time.ts';

/** Numbered migrations, applied in name order. Never edit one that has landed: add a new file. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-score-queue-and-jobs': scoreQueueAndJobs,
  '0003-handoff': handoff,
  '0004-high-volume-tables': highVolumeTables,
  '0005-cheaper-writes': cheaperWrites,
  '0006-quarantine-message-id': quarantineMessageId,
  '0007-users-and-sessions': usersAndSessions,
  '0008-lead-list-indexes': leadListIndexes,
  '0009-key-origins-and-languages': keyOriginsAndLanguages,
  '0010-email-deliverability': emailDeliverability,
  '0011-privacy': privacy,
  '0012-narrow-contacts': narrowContacts,
  '0013-contact-merges': contactMerges,
  '0014-company-score-and-enrichment': companyScore,
  '0015-insight-indexes': insightIndexes,
  '0016-predictive-models': predictiveModels,
  '0017-drop-tagged-events-index': dropTaggedEventsIndex,
  '0018-touch-origins-by-contact': touchOriginsByContact,
  '0019-contact-funnel-facts': contactFunnelFacts,
  '0020-contact-touches': contactTouches,
  '0021-first-mql-details': firstMqlDetails,
  '0022-stage-history-by-contact-and-time': stageHistoryByContactAndTime,
};

/** Applies pending migrations. Safe to run from several processes: Kysely takes a lock. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'ripen_migrations',
    migrationLockTableName: 'ripen_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    const which = failed ? `migration ${failed.migrationName}` : 'migrating the database';
    throw new Error(`${which} failed: ${reason}`);
  }
  return results ?? [];
}
