/**
 * `npm run spoc -- authority …` as an operator runs it: making an authority by name and from a
 * workspace's school row, adding and removing members, and the authority's view, in a separate
 * process on the same database; and the usage kept in step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client';
import { fixedClock } from '../../src/domain/clock';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { identifySlackUser } from '../../src/domain/schools/identify';
import { type CliHarness, cliHarness } from '../support/cli';
import { must } from '../support/wait';

let cli: CliHarness;
const withDb = <T>(fn: (db: Database) => Promise<T>) => cli.withDb(fn);
const spoc = (...args: string[]) => cli.spoc(...args);
const clock = fixedClock(new Date());

async function school(team: string, name: string, fault: string) {
  await withDb(async (database) => {
    const who = await identifySlackUser(database.db, clock, {
      teamId: team,
      teamName: name,
      userId: `U${team}`,
    });
    must(
      await reportFault({ db: database.db, clock, actor: who.actor }, { summary: fault, urgency: 'today' }),
    );
  });
}

beforeAll(async () => {
  cli = await cliHarness('spoc-cli-authority-');
  await school('T0CLIAUTHA', 'Hillside Primary', 'Hillside printer jammed');
  await school('T0CLIAUTHB', 'Riverside Infants', 'Riverside board blank');
  await withDb(async (database) => {
    await identifySlackUser(database.db, clock, {
      teamId: 'T0CLIESSEX',
      teamName: 'Essex ICT',
      userId: 'U0CLIESSEX',
    });
  });
});

afterAll(async () => {
  await cli?.destroy();
});

describe('npm run spoc -- authority', { timeout: 180_000 }, () => {
  it('makes an authority, adds a member, shows it its member only, and removes it', async () => {
    const made = await spoc('authority', 'create', '--school', 'T0CLIESSEX');
    expect(made.stderr).toBe('');
    expect(made.stdout).toContain('Essex ICT is now an authority');
    const byName = await spoc('authority', 'create', '--name', 'Kent Schools Trust');
    expect(byName.stdout).toMatch(/Authority Kent Schools Trust made, id [0-9a-f-]{36}\./);
    expect((await spoc('authority', 'create', '--name', 'kent schools trust')).stderr).toContain(
      'There is already an authority called kent schools trust.',
    );

    const added = await spoc('authority', 'add-member', '--authority', 'Essex ICT', '--school', 'T0CLIAUTHA');
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('Hillside Primary is now a member of Essex ICT');
    const twice = await spoc(
      'authority',
      'add-member',
      '--authority',
      'Kent Schools Trust',
      '--school',
      'T0CLIAUTHA',
    );
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('Hillside Primary is a member of Essex ICT: remove it there first.');

    const view = await spoc('authority', '--school', 'essex ict');
    expect(view.code).toBe(0);
    expect(view.stdout).toContain('Hillside Primary');
    expect(view.stdout).toContain('Open incidents: P1 0 · P2 1 · P3 0 · P4 0');
    expect(view.stdout).not.toContain('Riverside');
    expect((await spoc('authority', '--school', 'Essex ICT', 'Riverside')).stdout).toContain(
      'None of your member schools is called that.',
    );
    expect((await spoc('authority', '--school', 'T0CLIAUTHB')).stderr).toContain(
      'Riverside Infants is a school, not an authority.',
    );

    const removed = await spoc(
      'authority',
      'remove-member',
      '--authority',
      'Essex ICT',
      '--school',
      'T0CLIAUTHA',
    );
    expect(removed.stdout).toContain('Hillside Primary is no longer a member of Essex ICT.');
    expect((await spoc('authority', '--school', 'Essex ICT')).stdout).toContain('has no member schools yet');
  });

  it('keeps its usage in step', async () => {
    const help = await spoc('help');
    expect(help.stdout).toContain('authority --school A [SCHOOL]');
    expect(help.stdout).toContain('authority add-member --authority A --school S');
    const bare = await spoc('authority');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('authority needs --school');
  });
});
