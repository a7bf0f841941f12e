/** `npm run spoc -- <command>`: the operator's command line. */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { resealInstallations } from './bot/slack/installation-store';
import { plainLines } from './cli/plain-text';
import { type Config, parseConfig } from './config';
import { type Database, openDatabase } from './db/client';
import { createSealer, SealError } from './db/encryption';
import { ensureCommandLinePerson } from './db/queries/people';
import { findSchool, listSchools } from './db/queries/schools';
import { authorityAnswer } from './domain/answers/authority';
import { addMember, findAuthority, makeAuthority, removeMember } from './domain/authority/members';
import { fixedClock, systemClock } from './domain/clock';
import type { Ctx } from './domain/context';
import { refuseBesideRealSchools } from './domain/demo/demo-guard';
import { formatDemoSummary, seedDemo } from './domain/demo/seed-demo';
import { ALL_IMPORT_KINDS, type AnyImportKind } from './domain/imports/kinds';
import { MAX_IMPORT_BYTES } from './domain/imports/read-csv';
import { formatReference } from './domain/incidents/reference';
import type { Presentation } from './domain/presenters/presentation';
import { presentReminder } from './domain/presenters/reminder';
import { EXPORT_KINDS, type ExportKind, exportRegister } from './domain/registers/export-register';
import { dryRunImport, type ImportSummary, importFile } from './domain/registers/import-register';
import { reportCsv } from './domain/reports/report-csv';
import { serviceReport } from './domain/reports/run-service-report';
import { actorOf } from './domain/schools/identify';
import { createLogger, errorRef } from './log';
import { OperatorError } from './operator-error';
import { runAutoClosePass } from './worker/auto-close';
import { runReminderPass } from './worker/reminder-pass';

const USAGE = `Usage: npm run spoc -- <command>

Commands:
  migrate                               apply database migrations (also done at every start)
  schools                               list schools with their ids and platform ids
  import ${ALL_IMPORT_KINDS.join('|')} FILE.csv --school S [--dry-run] [--create-missing]
                                        preview (--dry-run) or import a CSV, all or nothing
  reminders run [--now ISO-8601] [--dry-run]
                                        run one reminder pass as if it were that moment
  export ${EXPORT_KINDS.join('|')} --school S
                                        write a register as CSV to standard output
  report week|last-week|term|last-term|YYYY-MM-DD..YYYY-MM-DD --school S [--now ISO-8601]
                                        write the service report as CSV to standard output
  rotate-key                            seal every stored Slack installation with the first key of
                                        SPOC_ENCRYPTION_KEY ("NEW,OLD" while rotating), all or nothing
  authority --school A [SCHOOL]         an authority's member schools (or one of them): open incidents
                                        by priority, SLA breaches, open escalations, contracts in notice,
                                        overdue payments
  authority create --name NAME          make a new authority (it has no workspace: the command line's)
  authority create --school S           make school row S (the authority's own workspace or team, once
                                        SPOC has met it) an authority; its admin gives /spoc role @person authority
  authority add-member --authority A --school S
                                        make S a member of A, with a provider row for A, so S escalates to A
  authority remove-member --authority A --school S
                                        end S's membership: A reads S no more
  seed demo [--now ISO-8601]            fill the playground's demo school (Slack team T0PLAYGRND),
                                        dated around that moment; running it again changes nothing
  help, -h, --help                      this text

S is the school's id, or its Slack team id or Teams tenant id (the schools command lists them);
A is an authority the same way, or by its name.
The database is DATABASE_URL (Postgres) or embedded PGlite under SPOC_DATA_DIR (default ./data).
Where SPOC_DATA_DIR holds no database yet, a command makes a new, empty one there only with
--create (seed demo makes one itself).`;

class UsageError extends Error {}

/** Whether a directory holds an embedded database (PGlite writes Postgres's own PG_VERSION first). */
const holdsDatabase = (dataDir: string) => existsSync(join(dataDir, 'PG_VERSION'));

/** Commands whose purpose is a database of their own: the playground's demo school. */
const makesItsDatabase = (command: string, args: string[]) => command === 'seed' && args[0] === 'demo';

/**
 * Run from the wrong directory, or with SPOC_DATA_DIR forgotten, a command would quietly start a
 * new, empty database and answer from it ("No schools yet"). It says so instead.
 */
function noDatabase(dataDir: string): string {
  return [
    `There is no SPOC database in ${resolve(dataDir)}: DATABASE_URL is unset, so the command line uses the embedded database in SPOC_DATA_DIR (default ./data). Nothing was created.`,
    "If SPOC's database is elsewhere, set SPOC_DATA_DIR to its directory (or DATABASE_URL to its Postgres). To start a new, empty database there, run the command again with --create.",
  ].join('\n');
}

/**
 * A fault as the command line logs it: type, code and first line (clipped) of the error and of its
 * cause (a failed query's driver error). A failed bulk write's own text runs to megabytes.
 */
function briefError(error: unknown): Record<string, unknown> {
  const brief = (e: { name?: unknown; code?: unknown; message?: unknown }) => {
    const line = String(e.message ?? e).split('\n')[0] ?? '';
    return {
      type: typeof e.name === 'string' ? e.name : typeof e,
      ...(e.code === undefined ? {} : { code: e.code }),
      message: line.length > 200 ? `${line.slice(0, 200)}…` : line,
    };
  };
  const e = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  return { ...brief(e), ...(e.cause instanceof Error ? { cause: brief(e.cause) } : {}) };
}

/**
 * An import or export that fails for a reason of SPOC's own (a file's problems are answered by the
 * domain, in its words) is answered in one sentence with a reference, and logged once with that
 * reference on standard error — never as a stack trace.
 */
function commandFailed(config: Config, what: 'import' | 'export', error: unknown): number {
  const ref = errorRef();
  const log = createLogger(config.logLevel, pino.destination({ fd: 2, sync: true }));
  // Not under `err`: pino's error serializer would fold the cause into the message.
  log.error({ ref, error: briefError(error) }, `${what} failed`);
  console.error(
    what === 'import'
      ? `The import failed, so nothing was imported (ref ${ref}): try again, and if it fails again give the ref to whoever runs SPOC.`
      : `The export failed (ref ${ref}): try again, and if it fails again give the ref to whoever runs SPOC.`,
  );
  return 1;
}

function printSummary(s: ImportSummary, out: (line: string) => void): void {
  out(
    `${s.fileName}: ${s.new} new, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected.length} refused`,
  );
  for (const note of s.notes) out(`  ${note}`);
  for (const r of s.rejected) out(`  line ${r.line}: ${r.reason}`);
  if (s.unknownLocations.length) out(`  locations not in the school yet: ${s.unknownLocations.join(', ')}`);
  if (s.unknownProviders.length) out(`  providers not in the school yet: ${s.unknownProviders.join(', ')}`);
  if (s.ignoredColumns.length) out(`  columns ignored: ${s.ignoredColumns.join(', ')}`);
}

async function contextFor(database: Database, schoolRef: string | undefined): Promise<Ctx> {
  if (!schoolRef) throw new UsageError('--school is required');
  const { found: school, several } = await findSchool(database.db, schoolRef);
  if (several)
    throw new OperatorError(
      `"${schoolRef}" names ${several.length} schools (${several.map((s) => `${s.name}, id ${s.id}`).join('; ')}): give the school's id with --school.`,
    );
  if (!school) throw new UsageError(`No school "${schoolRef}": npm run spoc -- schools lists them.`);
  const person = await ensureCommandLinePerson(database.db, school.id, systemClock.now());
  return { db: database.db, clock: systemClock, actor: actorOf(person) };
}

/** A presentation as plain lines, section by section (the answers' words, no markup). */
function printPresentation(p: Presentation, timezone: string): void {
  for (const section of p.sections) {
    if (section.kind === 'lines') for (const line of section.lines) printLines(line, timezone);
    else if (section.kind === 'fields')
      for (const f of section.fields) console.log(`${f.label}: ${plainLines(f.value, timezone).join(' ')}`);
    else if (section.kind === 'buttons') continue;
    else printLines(section.text, timezone);
  }
}
const printLines = (rich: Presentation['text'], timezone: string) => {
  for (const line of plainLines(rich, timezone)) console.log(line);
};

/** `authority …`: the operator's authority tasks, and the authority's view. */
async function authorityCommand(
  database: Database,
  args: string[],
  flags: Record<string, string | boolean | undefined>,
): Promise<number> {
  const ctx = { db: database.db, clock: systemClock };
  const authorityOf = async (ref: unknown) => {
    if (typeof ref !== 'string' || !ref) throw new UsageError('--authority is required');
    const found = await findAuthority(database.db, ref);
    if (!found.ok) throw new OperatorError(found.error.message);
    return found.value;
  };
  const schoolOf = async (ref: unknown) =>
    (await contextFor(database, ref as string | undefined)).actor.schoolId;
  const [verb, ...rest] = args;
  if (verb === 'create') {
    if (typeof flags.name === 'string') {
      const made = await makeAuthority(ctx, { name: flags.name });
      if (!made.ok) throw new OperatorError(made.error.message);
      console.log(`Authority ${made.value.authority.name} made, id ${made.value.authority.id}.`);
      return 0;
    }
    if (typeof flags.school !== 'string') throw new UsageError('authority create needs --name or --school');
    const { found, several } = await findSchool(database.db, flags.school);
    if (several)
      throw new OperatorError(`"${flags.school}" names ${several.length} schools: give the school's id.`);
    if (!found) throw new UsageError(`No school "${flags.school}": npm run spoc -- schools lists them.`);
    const made = await makeAuthority(ctx, { schoolId: found.id });
    if (!made.ok) throw new OperatorError(made.error.message);
    console.log(
      made.value.created
        ? `${found.name} is now an authority (id ${found.id}): its admin gives its staff the role with /spoc role @person authority.`
        : `${found.name} is already an authority.`,
    );
    return 0;
  }
  if (verb === 'add-member' || verb === 'remove-member') {
    const authority = await authorityOf(flags.authority);
    const schoolId = await schoolOf(flags.school);
    if (verb === 'remove-member') {
      const done = await removeMember(ctx, { authorityId: authority.id, schoolId });
      if (!done.ok) throw new OperatorError(done.error.message);
      console.log(
        done.value.was
          ? `${done.value.school.name} is no longer a member of ${authority.name}.`
          : `${done.value.school.name} was not a member of ${authority.name}: nothing changed.`,
      );
      return 0;
    }
    const done = await addMember(ctx, { authorityId: authority.id, schoolId });
    if (!done.ok) throw new OperatorError(done.error.message);
    const { school, provider } = done.value;
    if (done.value.already) console.log(`${school.name} is already a member of ${authority.name}.`);
    else
      console.log(
        `${school.name} is now a member of ${authority.name}; it escalates to the authority as its provider ${provider.name}${provider.existing ? ' (the provider it had by that name)' : ''}.`,
      );
    return 0;
  }
  if (flags.school === undefined)
    throw new UsageError('authority needs --school (the authority), or create, add-member or remove-member');
  const authority = await authorityOf(flags.school);
  const person = await ensureCommandLinePerson(database.db, authority.id, systemClock.now());
  // The operator reads as the authority's staff do: only its member schools.
  const asAuthority: Ctx = { ...ctx, actor: { ...actorOf(person), role: 'authority' } };
  const answer = await authorityAnswer(asAuthority, [verb ?? '', ...rest].filter(Boolean));
  printPresentation(answer, authority.timezone);
  return 0;
}

async function run(
  config: Config,
  database: Database,
  command: string,
  args: string[],
  flags: Record<string, string | boolean | undefined>,
): Promise<number> {
  if (command === 'migrate') {
    console.log(`Migrations applied (${database.kind}).`);
    return 0;
  }
  if (command === 'schools') {
    const schools = await listSchools(database.db);
    if (schools.length === 0) {
      console.log('No schools yet: run /spoc setup in Slack to create one.');
      return 0;
    }
    const rows = schools.map((s) => [
      s.id,
      s.name,
      s.slackTeamId ?? '-',
      s.teamsTenantId ?? '-',
      s.slackChannelId ?? s.teamsChannelId ?? '(none)',
      String(s.people),
      String(s.admins),
    ]);
    const headers = ['ID', 'NAME', 'SLACK TEAM', 'TEAMS TENANT', 'SPOC CHANNEL', 'PEOPLE', 'ADMINS'];
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    console.log(line(headers));
    for (const r of rows) console.log(line(r));
    return 0;
  }
  if (command === 'import') {
    const [kind, file] = args;
    if (!kind || !(ALL_IMPORT_KINDS as readonly string[]).includes(kind) || !file)
      throw new UsageError(`import needs a kind (${ALL_IMPORT_KINDS.join('|')}) and a file`);
    const ctx = await contextFor(database, flags.school as string | undefined);
    const size = await stat(file).then(
      (st) => st.size,
      () => undefined,
    );
    if (size === undefined) {
      console.error(`Cannot read ${file}: no such file. Nothing was imported.`);
      return 1;
    }
    if (size > MAX_IMPORT_BYTES) {
      console.error(
        `${file} is ${(size / 1024 / 1024).toFixed(1)} MB; the largest import is 5 MB. Nothing was imported.`,
      );
      return 1;
    }
    try {
      const input = {
        kind: kind as AnyImportKind,
        fileName: basename(file),
        content: await readFile(file, 'utf8'),
      };
      if (flags['dry-run']) {
        const preview = await dryRunImport(ctx, input);
        if (!preview.ok) {
          console.error(preview.error.message);
          return 1;
        }
        printSummary(preview.value, console.log);
        console.log('Dry run: nothing was changed.');
        return preview.value.rejected.length > 0 ? 1 : 0;
      }
      const done = await importFile(ctx, {
        ...input,
        createLocations: Boolean(flags['create-missing'] || flags['create-locations']),
      });
      if (!done.ok) {
        const preview = await dryRunImport(ctx, input);
        if (preview.ok) printSummary(preview.value, console.error);
        console.error(
          done.error.message + (done.error.message.includes('Confirm') ? ' (add --create-missing)' : ''),
        );
        return 1;
      }
      printSummary(done.value.summary, console.log);
      if (done.value.createdLocations.length)
        console.log(`Created: ${done.value.createdLocations.join(', ')}`);
      console.log('Imported.');
      return 0;
    } catch (error) {
      return commandFailed(config, 'import', error);
    }
  }
  if (command === 'reminders') {
    if (args[0] !== 'run') throw new UsageError('reminders needs the word run');
    const now = flags.now === undefined ? systemClock.now() : new Date(String(flags.now));
    if (Number.isNaN(now.getTime()))
      throw new UsageError(`--now must be an ISO-8601 moment, such as 2027-03-01T08:00:00Z`);
    const dryRun = Boolean(flags['dry-run']);
    // A real pass records when it posted; a moment still to come would stamp the future on
    // reminders and closures, and hold back the real ones about the same things.
    if (!dryRun && now.getTime() > systemClock.now().getTime() + 60_000) {
      console.error(
        `--now ${String(flags.now)} has not come yet: a real pass never records a time later than now. Add --dry-run to see what it would post then; nothing was changed.`,
      );
      return 2;
    }
    const results = await runReminderPass({ db: database.db, log: createLogger('warn'), now, dryRun });
    // Each reminder in the words it is posted with (its one line), dates in its school's time.
    const timezones = new Map(
      results.length ? (await listSchools(database.db)).map((s) => [s.id, s.timezone] as const) : [],
    );
    for (const r of results) {
      console.log(
        `${r.schoolName}: ${r.posted.length} reminder${r.posted.length === 1 ? '' : 's'} ${dryRun ? 'would be posted' : 'queued'}, ${r.alreadySent} already sent`,
      );
      const timezone = timezones.get(r.schoolId) ?? 'Europe/London';
      for (const reminder of r.posted) {
        const [first = '', ...more] = plainLines(presentReminder(reminder).text, timezone);
        console.log(`  - ${first}`);
        for (const line of more) console.log(`    ${line}`);
      }
    }
    if (results.length === 0) console.log('No school has a SPOC channel yet: nothing to remind.');
    const closed = await runAutoClosePass({ db: database.db, log: createLogger('warn'), now, dryRun });
    for (const c of closed) {
      console.log(
        `${c.schoolName}: ${c.closed.map(formatReference).join(', ')} ${dryRun ? 'would be closed' : 'closed'} (resolved, no reply for 5 school days)`,
      );
    }
    if (dryRun) console.log('Dry run: nothing was recorded or posted.');
    else if (results.some((r) => r.posted.length > 0))
      console.log('Queued reminders are posted by the running server (its outbox).');
    return 0;
  }
  if (command === 'export') {
    const [kind] = args;
    if (!kind || !(EXPORT_KINDS as readonly string[]).includes(kind))
      throw new UsageError(`export needs a kind (${EXPORT_KINDS.join('|')})`);
    const ctx = await contextFor(database, flags.school as string | undefined);
    let file: Awaited<ReturnType<typeof exportRegister>>;
    try {
      file = await exportRegister(ctx, { kind: kind as ExportKind });
    } catch (error) {
      return commandFailed(config, 'export', error);
    }
    if (!file.ok) {
      console.error(file.error.message);
      return 1;
    }
    process.stdout.write(file.value.csv);
    return 0;
  }
  if (command === 'report') {
    const period = args.join(' ');
    if (!period) throw new UsageError('report needs a period: week, last-week, term, last-term or FROM..TO');
    const now = flags.now === undefined ? systemClock.now() : new Date(String(flags.now));
    if (Number.isNaN(now.getTime()))
      throw new UsageError(`--now must be an ISO-8601 moment, such as 2027-03-01T08:00:00Z`);
    const ctx = {
      ...(await contextFor(database, flags.school as string | undefined)),
      clock: fixedClock(now),
    };
    const report = await serviceReport(ctx, { period });
    if (!report.ok) {
      // A period not understood: the same reason as in chat, with the periods there are.
      const periods =
        'A period is week, last-week, term, last-term or FROM..TO, e.g. 01/09/2026..18/12/2026.';
      console.error(
        report.error.code === 'VALIDATION' ? `${report.error.message} ${periods}` : report.error.message,
      );
      return 1;
    }
    process.stdout.write(reportCsv(report.value));
    return 0;
  }
  if (command === 'rotate-key') {
    const keys = config.encryptionKeys;
    if (!keys?.length)
      throw new OperatorError(
        'rotate-key needs SPOC_ENCRYPTION_KEY: the new key first, then the old one ("NEW,OLD").',
      );
    try {
      const done = await resealInstallations(database.db, createSealer(keys), systemClock);
      console.log(
        `${done.resealed} of ${done.total} Slack installation${done.total === 1 ? '' : 's'} sealed again with key ${done.keyId}; the others already were.`,
      );
      if (keys.length > 1)
        console.log('Every installation now opens with the first key alone: drop the old one.');
      return 0;
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      console.error(
        `${error.message}. Nothing was changed: add that key after the new one in SPOC_ENCRYPTION_KEY and run it again.`,
      );
      return 1;
    }
  }
  if (command === 'authority') return authorityCommand(database, args, flags);
  if (command === 'seed') {
    if (args[0] !== 'demo') throw new UsageError('seed needs the word demo');
    const now = flags.now === undefined ? systemClock.now() : new Date(String(flags.now));
    if (Number.isNaN(now.getTime()))
      throw new UsageError(`--now must be an ISO-8601 moment, such as 2027-03-01T08:00:00Z`);
    await refuseBesideRealSchools(database.db, 'seed', database.kind);
    const summary = await seedDemo(database.db, fixedClock(now));
    for (const line of formatDemoSummary(summary)) console.log(line);
    if (summary.seeded) console.log('Its messages are posted when the server (npm start) runs.');
    return 0;
  }
  throw new UsageError(`Unknown command: ${command}`);
}

async function main(argv: string[]): Promise<number> {
  let parsedArgs: ReturnType<typeof parseArgs>;
  try {
    parsedArgs = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        school: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'create-locations': { type: 'boolean' },
        'create-missing': { type: 'boolean' },
        create: { type: 'boolean' },
        now: { type: 'string' },
        name: { type: 'string' },
        authority: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...args] = parsedArgs.positionals;
  if (parsedArgs.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!command || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (
    ![
      'migrate',
      'schools',
      'import',
      'export',
      'reminders',
      'report',
      'rotate-key',
      'seed',
      'authority',
    ].includes(command)
  ) {
    console.error(`Unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    console.error('The environment has problems:');
    for (const problem of parsed.problems) console.error(`  - ${problem}`);
    return 1;
  }
  const target = parsed.config.database;
  if (
    'dataDir' in target &&
    !parsedArgs.values.create &&
    !makesItsDatabase(command, args) &&
    !holdsDatabase(target.dataDir)
  ) {
    console.error(noDatabase(target.dataDir));
    return 1;
  }
  let database: Database;
  try {
    database = await openDatabase(target);
  } catch (error) {
    if (!(error instanceof OperatorError)) throw error;
    console.error(error.message);
    return 1;
  }
  try {
    await database.migrate();
    return await run(
      parsed.config,
      database,
      command,
      args,
      parsedArgs.values as Record<string, string | boolean | undefined>,
    );
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof OperatorError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
