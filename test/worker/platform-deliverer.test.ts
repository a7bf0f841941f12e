/**
 * Each school's messages go through its own platform; a school on a platform this deployment
 * cannot reach keeps its messages waiting, never marked dead.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/db/queries/outbox';
import { enqueue } from '../../src/db/queries/outbox';
import { outbox, schools } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import { silentLogger } from '../../src/log';
import { createOutboxDispatcher } from '../../src/worker/outbox-dispatcher';
import { deliverByPlatform } from '../../src/worker/platform-deliverer';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeSchool, T0, uniqueId } from '../support/factories';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

const recorder = () => {
  const rows: OutboxRow[] = [];
  return { rows, deliverer: { deliver: async (row: OutboxRow) => void rows.push(row) } };
};

it('routes by the school’s platform, and holds a Teams school’s messages while there is no Teams deliverer', async () => {
  const clock = fixedClock(T0);
  const slackSchool = await makeSchool(tdb.db, { clock });
  const teamsSchool = await makeSchool(tdb.db, { clock });
  // A Teams school: a tenant and no Slack workspace.
  await tdb.db
    .update(schools)
    .set({ slackTeamId: null, teamsTenantId: uniqueId('tenant-') })
    .where(eq(schools.id, teamsSchool.schoolId));
  const message = { type: 'incident.card', incidentId: '00000000-0000-4000-8000-000000000001' } as const;
  await enqueue(tdb.db, slackSchool.schoolId, [message], clock.now());
  await enqueue(tdb.db, teamsSchool.schoolId, [message], clock.now());

  const slack = recorder();
  const withoutTeams = createOutboxDispatcher({
    db: tdb.db,
    clock,
    log: silentLogger,
    deliverer: deliverByPlatform({ db: tdb.db, clock, slack: slack.deliverer }),
  });
  expect(await withoutTeams.runOnce()).toEqual({ sent: 1, retried: 1, dead: 0 });
  expect(slack.rows.map((r) => r.schoolId)).toEqual([slackSchool.schoolId]);
  const [waiting] = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, teamsSchool.schoolId));
  expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
  expect(waiting?.lastError).toContain('Teams');

  // A deployment that can reach Teams sends it when it comes due.
  clock.advance(31 * 60_000);
  const teams = recorder();
  const withTeams = createOutboxDispatcher({
    db: tdb.db,
    clock,
    log: silentLogger,
    deliverer: deliverByPlatform({ db: tdb.db, clock, slack: slack.deliverer, teams: teams.deliverer }),
  });
  expect(await withTeams.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
  expect(teams.rows.map((r) => r.schoolId)).toEqual([teamsSchool.schoolId]);
});
