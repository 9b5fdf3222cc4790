import { Command, InvalidArgumentError } from 'commander';
import { CRM_DEALS } from '../demo/load-demo.ts';
import { readConfig } from '../server/config.ts';
import { runBacktestCommand } from './commands/backtest-command.ts';
import { runDemo } from './commands/demo-command.ts';
import { runEmailSourcesSet } from './commands/email-sources-command.ts';
import { runExport } from './commands/export-command.ts';
import { describeImportFields, runImport } from './commands/import-command.ts';
import { runKeysCreate, runKeysList, runKeysRevoke } from './commands/keys-command.ts';
import { runMerge, runUnmerge } from './commands/merge-command.ts';
import { runMigrate } from './commands/migrate-command.ts';
import { runPlaybookPublish, runPlaybookSchema, runPlaybookValidate } from './commands/playbook-command.ts';
import { runErase, runExportContact } from './commands/privacy-command.ts';
import { runReportCommand } from './commands/report-command.ts';
import { runScore } from './commands/score-command.ts';
import { runServe } from './commands/serve-command.ts';
import { runSuggestCommand } from './commands/suggest-command.ts';
import { runTrain, runTrainWorkspace } from './commands/train-command.ts';
import { runUsersCreate } from './commands/users-command.ts';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new InvalidArgumentError(`expected a whole number, got \`${value}\``);
  return number;
}

const program = new Command('ripen').description('Ripen: lead qualification engine').showHelpAfterError();

program
  .command('serve')
  .description('start the HTTP server (migrates first)')
  .option('--demo', 'on first start, load demo data into the embedded database')
  .option('--demo-contacts <n>', 'demo size', positiveInteger, 300)
  .action((options) => runServe(readConfig(), options));

program
  .command('migrate')
  .description('apply database migrations')
  .action(() => runMigrate(readConfig()));

program
  .command('demo')
  .description('load a synthetic B2B funnel (deterministic by seed)')
  .option('--contacts <n>', 'number of contacts (up to 1,000,000)', positiveInteger, 1000)
  .option('--seed <n>', 'random seed', positiveInteger, 42)
  .option('--months <n>', 'months of history', positiveInteger, 6)
  .option(
    '--crm-deals <n>',
    'earlier won and lost deals imported from a CRM export, for the reports and the predictive model',
    positiveInteger,
    CRM_DEALS,
  )
  .action((options) => runDemo(readConfig(), options));

program
  .command('import')
  .description('import a CSV of contacts, companies, events or CRM outcomes (idempotent; bad rows reported by line)')
  .argument('<kind>', 'contacts | companies | events | outcomes')
  .argument('<file>', 'CSV file with a header row')
  .option('--map <pairs...>', 'column mapping as field=Column, e.g. email="E-mail address" jobTitle=Title')
  .option('--values <maps...>', 'value maps per field, e.g. outcome=1:won,0:lost or outcome="Closed Won:won"')
  .option('--exclude <columns...>', 'columns never stored (e.g. an outcome column in a contacts file)')
  .option('--only <columns...>', 'the only unmapped columns kept as custom properties')
  .option('--delimiter <char>', 'field delimiter', ',')
  .addHelpText('after', describeImportFields)
  .action((kind, file, options) => runImport(readConfig(), kind, file, options));

program
  .command('export')
  .description(
    'write contacts as CSV (scores, grade, temperature, stage, fields, properties), best first; or, with `contact <email>`, everything held about one contact as JSON',
  )
  .argument('<kind>', 'contacts, or contact')
  .argument('[email]', 'with `contact`: whose data to export')
  .option('--stage <stage>', 'only this stage')
  .option('--grade <grade>', 'only this fit grade (A, B, C, D)')
  .option('--temperature <temperature>', 'only cold, warm or hot')
  .option('--owner <rep>', "only this rep's leads")
  .option('--min-score <n>', 'only contacts scoring at least this', (value) => {
    const number = Number(value);
    if (!Number.isFinite(number)) throw new InvalidArgumentError('must be a number');
    return number;
  })
  .option('--out <file>', 'write to this file instead of stdout')
  .action((kind, email, options) => {
    if (kind === 'contact') {
      if (!email) throw new InvalidArgumentError('`ripen export contact <email>` needs the email');
      return runExportContact(readConfig(), email, options);
    }
    return runExport(readConfig(), kind, options);
  });

program
  .command('erase')
  .description(
    'erase a contact and everything about it (events, scores, history, hand-offs), and keep it from coming back',
  )
  .argument('<email>', "the contact's email")
  .option('--yes', 'confirm: erasing cannot be undone')
  .option('--reason <text>', 'why, for the audit log (e.g. "GDPR request 2026-12-04")')
  .action((email, options) => runErase(readConfig(), email, options));

program
  .command('merge')
  .description('merge a second contact into a first one (the same person known twice); undo with `ripen unmerge`')
  .argument('<into-email>', 'the contact that stays')
  .argument('<merged-email>', 'the contact merged into it')
  .option('--reason <text>', 'why, kept with the merge (default "duplicate")')
  .action((into, merged, options) => runMerge(readConfig(), into, merged, options));

program
  .command('unmerge')
  .description('undo a merge: the merged contact comes back with its history')
  .argument('<merge-id>', 'the id `ripen merge` printed')
  .option('--reason <text>', 'why, for the audit log')
  .action((mergeId, options) => runUnmerge(readConfig(), mergeId, options));

program
  .command('score')
  .description("show a contact's score")
  .argument('<email>', "the contact's email")
  .option('--explain', 'list every contribution')
  .option('--json', 'print JSON')
  .action((email, options) => runScore(readConfig(), email, options));

program
  .command('backtest')
  .description('replay a past period under a draft playbook and the published one, side by side (docs/backtest.md)')
  .argument('<draft>', 'the draft playbook (YAML file)')
  .option('--from <date>', 'start, included: 2026-01-01 or an ISO instant (default: 3 months before --to)')
  .option('--to <date>', 'end, excluded (default: the start of today, UTC)')
  .option('--limit <n>', 'how many leads that change class to list', positiveInteger, 20)
  .option('--json', 'print JSON')
  .action((draft: string, options) => runBacktestCommand(readConfig(), draft, options));

program
  .command('report')
  .description('funnel analytics as tables or JSON (docs/insight.md)')
  .argument('<name>', 'funnel | time-in-stage | sla | recycle | grade-temperature | revenue')
  .option('--from <date>', 'start, included: 2026-01-01 or an ISO instant (default: 12 months before --to)')
  .option('--to <date>', 'end, excluded (default: now)')
  .option(
    '--by <split>',
    'funnel and revenue: first-touch-source, last-touch-source, first-touch-channel, last-touch-channel, first-touch-campaign, last-touch-campaign, industry, size, owner, playbook-version',
  )
  .option('--leads <cell>', 'list the leads behind a figure: its cell, e.g. "month=2026-03;stage=sql"')
  .option('--json', 'print JSON')
  .action((name: string, options) => runReportCommand(readConfig(), name, options));

const playbook = program.command('playbook').description('validate, publish and suggest playbooks');
playbook
  .command('validate')
  .argument('<file>')
  .description('check a playbook file; issues name line and field')
  .action((file) => runPlaybookValidate(file));
playbook
  .command('publish')
  .argument('<file>')
  .description('publish a new version and rescore every contact')
  .action((file) => runPlaybookPublish(readConfig(), file));
playbook
  .command('schema')
  .description('print the playbook JSON Schema')
  .option('--out <file>', 'write to a file')
  .action((options) => runPlaybookSchema(options));
playbook
  .command('suggest')
  .description(
    "points for the published playbook's rules learned from won and lost leads, as a draft to backtest (docs/backtest.md)",
  )
  .option('--out <file>', 'write the suggested draft (YAML) to a file')
  .option('--backtest', 'replay the suggestion against the published playbook')
  .option('--from <date>', 'with --backtest: start, included (default: 3 months before --to)')
  .option('--to <date>', 'with --backtest: end, excluded (default: the start of today, UTC)')
  .option('--json', 'print JSON')
  .action((options) => runSuggestCommand(readConfig(), options));

program;
const keys = program.command('keys').description('API keys: create, list, revoke');
keys
  .command('create')
  .argument('<kind>', 'secret | write')
  .option('--name <name>', 'label', 'created by CLI')
  .option('--role <role>', 'for secret keys: admin | manager | rep', 'admin')
  .option('--user <id>', 'the rep or manager the key acts for, as named in the playbook teams')
  .option(
    '--origin <origin>',
    'for write keys: a website browsers may send events from (repeat for more); none allows any',
    (value: string, previous: string[]) => [...previous, value],
    [] as string[],
  )
  .action((kind, options) => runKeysCreate(readConfig(), kind, options));
keys
  .command('list')
  .description('every key: id, prefix, kind, role, user, created, status, name (never the key itself)')
  .action(() => runKeysList(readConfig()));
keys
  .command('revoke')
  .argument('<id-or-prefix>', 'the key id or prefix that `keys list` shows')
  .description('revoke a key; servers refuse it within 30 s')
  .action((idOrPrefix: string) => runKeysRevoke(readConfig(), idOrPrefix));

program
  .command('email-sources')
  .description('email providers whose event webhooks Ripen accepts (docs/email-events.md)')
  .command('set')
  .argument('<provider>', 'sendgrid | mailgun | postmark | ses | brevo')
  .option('--public-key <key>', 'sendgrid: the Signed Event Webhook verification key')
  .option('--signing-key <key>', 'mailgun: the HTTP webhook signing key')
  .option(
    '--topic-arn <arn>',
    'ses: an SNS topic to accept (repeat for more); none accepts any',
    (value: string, previous: string[]) => [...previous, value],
    [] as string[],
  )
  .option('--rotate', 'issue a new webhook token; the old one stops working')
  .action((provider: string, options) => runEmailSourcesSet(readConfig(), provider, options));

program
  .command('train')
  .description(
    "train and evaluate the predictive model: on the workspace's won and lost leads (and write each contact's probability), or with --csv on any export with an outcome column (no database needed)",
  )
  .option('--csv <file>', 'CSV file with a header row, instead of the workspace')
  .option('--target <column>', 'with --csv: the outcome column (yes/no, won/lost, true/false, 1/0, or see --positive)')
  .option('--positive <value>', 'with --csv: the value of the target column that counts as a win')
  .option('--exclude <columns...>', 'with --csv: columns never used as features')
  .option('--id <column>', 'with --csv: a row identifier: not a feature; names the top-scored rows')
  .option(
    '--time <column>',
    'with --csv: a date column for the out-of-time check (train on the past, test on the latest fifth)',
  )
  .option(
    '--rows-in-time-order',
    'with --csv: the rows are in time order; the out-of-time check tests on the last fifth',
  )
  .option('--force <columns...>', 'with --csv: keep these columns even when flagged as leaking the outcome')
  .option('--delimiter <char>', 'with --csv: field delimiter', ',')
  .option('--seed <n>', 'with --csv: seed of the random splits', positiveInteger, 1)
  .option('--json', 'print the report (and, with --csv, the model) as JSON')
  .action((options) => (options.csv ? runTrain(options) : runTrainWorkspace(readConfig(), options)));

const users = program.command('users').description('people who sign in to the web app');
users
  .command('create')
  .description('create a user and print a one-time password for them')
  .requiredOption('--email <email>', 'the address they sign in with')
  .requiredOption('--role <role>', 'admin | marketing | manager | rep | viewer')
  .action((options: { email: string; role: string }) => runUsersCreate(readConfig(), options));

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`ripen: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
