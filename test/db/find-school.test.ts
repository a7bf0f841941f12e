/**
 * `--school` on the command line: a school by its id, its Slack team id, its Teams team id, or its
 * Teams tenant id while that tenant holds only that school. A tenant (a trust) may hold several
 * schools; a reference naming more than one is answered with them all, and the command line asks
 * for the school's id rather than pick one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSlackSchool, ensureTeamsSchool, findSchool } from '../../src/db/queries/schools';
import { fixedClock } from '../../src/domain/clock';
import { type CliHarness, cliHarness } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { T0 } from '../support/factories';

const clock = fixedClock(T0);
const team = () => `19:${randomBytes(8).toString('hex')}@thread.tacv2`;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

describe('findSchool', () => {
  it('finds a school by its id, its Slack team id, its Teams team id, and its tenant id alone', async () => {
    const db = database.db;
    const slackTeam = `T${randomBytes(5).toString('hex').toUpperCase()}`;
    const slack = await ensureSlackSchool(db, slackTeam, 'Hillside Primary', clock.now());
    const tenant = randomUUID();
    const teamsTeam = team();
    const teams = await ensureTeamsSchool(db, tenant, teamsTeam, 'Oakfield Academy', clock.now());

    expect((await findSchool(db, slack.id)).found?.id).toBe(slack.id);
    expect((await findSchool(db, slackTeam)).found?.id).toBe(slack.id);
    expect((await findSchool(db, teams.id)).found?.id).toBe(teams.id);
    expect((await findSchool(db, teamsTeam)).found?.id).toBe(teams.id);
    // A tenant id is a UUID like a school's id, and names the tenant's only school.
    expect((await findSchool(db, tenant)).found?.id).toBe(teams.id);
    expect(await findSchool(db, randomUUID())).toEqual({});
    expect(await findSchool(db, 'T0NOSUCH')).toEqual({});
  });

  it('names every school of a tenant holding several, and still finds each by its id or team id', async () => {
    const db = database.db;
    const tenant = randomUUID();
    const [oakTeam, elmTeam] = [team(), team()];
    const oak = await ensureTeamsSchool(db, tenant, oakTeam, 'Oak Primary', clock.now());
    const elm = await ensureTeamsSchool(
      db,
      tenant,
      elmTeam,
      'Elm Academy',
      new Date(clock.now().getTime() + 1),
    );

    const lookup = await findSchool(db, tenant);
    expect(lookup.found).toBeUndefined();
    expect(lookup.several?.map((s) => [s.name, s.id])).toEqual([
      ['Oak Primary', oak.id],
      ['Elm Academy', elm.id],
    ]);
    expect((await findSchool(db, oak.id)).found?.id).toBe(oak.id);
    expect((await findSchool(db, elmTeam)).found?.id).toBe(elm.id);
  });
});

describe('npm run spoc -- … --school', { timeout: 120_000 }, () => {
  let cli: CliHarness;
  const tenant = randomUUID();
  let ids: { oak: string; elm: string };

  beforeAll(async () => {
    cli = await cliHarness('spoc-cli-school-');
    ids = await cli.withDb(async ({ db }) => ({
      oak: (await ensureTeamsSchool(db, tenant, team(), 'Oak Primary', clock.now())).id,
      elm: (await ensureTeamsSchool(db, tenant, team(), 'Elm Academy', new Date(clock.now().getTime() + 1)))
        .id,
    }));
  });
  afterAll(async () => {
    await cli?.destroy();
  });

  it('asks for the school id when a tenant holds several schools, naming them, and acts on none', async () => {
    const out = await cli.spoc('export', 'assets', '--school', tenant);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim()).toBe(
      `"${tenant}" names 2 schools (Oak Primary, id ${ids.oak}; Elm Academy, id ${ids.elm}): give the school's id with --school.`,
    );
  });

  it('acts for the school whose id is given', async () => {
    const out = await cli.spoc('export', 'assets', '--school', ids.elm);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
  });
});
