/** `npm run spoc -- <command>`: the operator's command line (DESIGN.md §4). */
import { parseArgs } from 'node:util';
import { parseConfig } from './config';
import { openDatabase } from './db/client';
import { listSchools } from './db/queries/schools';

const USAGE = `Usage: npm run spoc -- <command>

Commands:
  migrate     apply database migrations (also done at every start)
  schools     list schools with their ids and platform ids
  help        this text

The database is DATABASE_URL (Postgres) or embedded PGlite under SPOC_DATA_DIR (default ./data).`;

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const [command] = positionals;
  if (!command || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!['migrate', 'schools'].includes(command)) {
    console.error(`Unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    console.error('The environment has problems:');
    for (const problem of parsed.problems) console.error(`  - ${problem}`);
    return 1;
  }
  const database = await openDatabase(parsed.config.database);
  try {
    await database.migrate();
    if (command === 'migrate') {
      console.log(`Migrations applied (${database.kind}).`);
      return 0;
    }
    const schools = await listSchools(database.db);
    if (schools.length === 0) {
      console.log('No schools yet: run /spoc setup in Slack to create one.');
      return 0;
    }
    const rows = schools.map((s) => ({
      id: s.id,
      name: s.name,
      slack: s.slackTeamId ?? '-',
      teams: s.teamsTenantId ?? '-',
      channel: s.slackChannelId ?? '(none)',
      people: String(s.people),
      admins: String(s.admins),
    }));
    const headers = {
      id: 'ID',
      name: 'NAME',
      slack: 'SLACK TEAM',
      teams: 'TEAMS TENANT',
      channel: 'SPOC CHANNEL',
      people: 'PEOPLE',
      admins: 'ADMINS',
    };
    const keys = Object.keys(headers) as Array<keyof typeof headers>;
    const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
    const line = (r: Record<string, string>) =>
      keys
        .map((k, i) => r[k]!.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    console.log(line(headers));
    for (const r of rows) console.log(line(r));
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
