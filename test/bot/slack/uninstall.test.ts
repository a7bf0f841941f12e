/**
 * Uninstalling SPOC from a workspace (`app_uninstalled`, or `tokens_revoked` naming its bot) stops
 * deliveries there without losing anything of the school's, and installing it again (the OAuth
 * flow, driven as a browser and Slack drive it) delivers what waited, once.
 */
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NOT_INSTALLED } from '../../../src/bot/slack/workspaces';
import { countPending } from '../../../src/db/queries/outbox';
import { getSchool } from '../../../src/db/queries/schools';
import { hasInstallation } from '../../../src/db/queries/slack-installations';
import { incidents, outbox, people } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { setupSchool } from '../../../src/domain/schools/setup-school';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool, T0 } from '../../support/factories';
import { assertAllCallsMade, expectApi } from '../../support/slack-app';
import {
  eventCallback,
  installThroughOAuth,
  type LoggedSlackApp,
  seconds,
  startLoggedSlackApp,
  workspaceAccess,
} from '../../support/slack-install';
import { BOT_TOKEN, slashCommand } from '../../support/slack-payloads';

const SPOC = 'C0SPOC0U01';
const UNINSTALLED = 'Slack: SPOC uninstalled; its schools’ messages wait until it is installed again';
const clock = fixedClock(T0);
let tdb: TestDatabase;
let app: LoggedSlackApp;
/** Web API calls nothing was pinned for (a call made while it should not have been). */
const unpinned: string[] = [];
const noteUnpinned = (req: { method?: string; path?: string; hostname?: string; host?: string }) => {
  const host = req.hostname ?? req.host ?? '';
  if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) unpinned.push(`${req.method} ${host}${req.path}`);
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startLoggedSlackApp(tdb, clock);
  nock.emitter.on('no match', noteUnpinned);
});
afterAll(async () => {
  nock.emitter.removeListener('no match', noteUnpinned);
  await app?.stop();
  await tdb?.destroy();
});
afterEach(async () => {
  assertAllCallsMade();
  unpinned.length = 0;
  // Never a token in the logs.
  expect(JSON.stringify(app.lines)).not.toContain(BOT_TOKEN);
  app.lines.length = 0;
  await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
});

async function installedSchool() {
  clock.set(T0);
  const school = await makeSchool(tdb.db, { clock });
  await app.install(school.teamId);
  const admin = await school.person('admin');
  const teacher = await school.person('teacher', 'Ms Patel');
  expect((await setupSchool({ ...admin, clock }, { slackChannelId: SPOC })).ok).toBe(true);
  return { school, admin, teacher };
}

async function report(teacher: Awaited<ReturnType<typeof installedSchool>>['teacher']) {
  const r = await reportFault(
    { ...teacher, clock },
    { summary: 'Projector has no signal', urgency: 'today' },
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value.incident;
}

const rowsOf = (schoolId: string) =>
  tdb.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.schoolId, schoolId), eq(outbox.status, 'pending')))
    .orderBy(outbox.id);

describe('SPOC uninstalled from a workspace, then installed again', () => {
  it('keeps the school’s messages waiting while uninstalled and delivers them once after the OAuth install', async () => {
    const { school, teacher } = await installedSchool();
    const uninstalled = await app.send(eventCallback(clock, school.teamId, { type: 'app_uninstalled' }));
    expect(uninstalled.status).toBe(200);
    // Slack's events are acked first and acted on after: one line says it is done.
    expect(await app.logged(UNINSTALLED)).toMatchObject({
      event: 'app_uninstalled',
      installation: `T:${school.teamId}`,
      schools: 1,
    });
    expect(app.lines.filter((l) => l.msg === UNINSTALLED)).toHaveLength(1);
    expect(await hasInstallation(tdb.db, `T:${school.teamId}`)).toBe(false);
    expect((await getSchool(tdb.db, school.schoolId))?.slackUninstalledAt).toEqual(clock.now());

    // A fault reported meanwhile (say from the command line): its messages wait, no call is made.
    const incident = await report(teacher);
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 2, dead: 0 });
    const waiting = await rowsOf(school.schoolId);
    expect(waiting).toHaveLength(2);
    for (const row of waiting) {
      expect(row.lastError).toBe('SPOC is uninstalled from this workspace');
      expect(row.attempts).toBe(0);
      expect(row.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 24 * 60 * 60_000));
    }
    expect(unpinned).toEqual([]);
    // The workspace is not served meanwhile.
    const who = { teamId: school.teamId, userId: teacher.slackUserId };
    expect((await app.send(slashCommand(who, '/spoc', 'help'))).json().text).toBe(NOT_INSTALLED);

    // Nothing of the school's was lost.
    const [row] = await tdb.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row?.summary).toBe('Projector has no signal');
    const staff = await tdb.db.select().from(people).where(eq(people.schoolId, school.schoolId));
    expect(staff).toHaveLength(3);

    // Installed again: the mark goes and what waited is due now, and sent once.
    clock.set(new Date(clock.now().getTime() + 60 * 60_000));
    await installThroughOAuth(app, workspaceAccess(school.teamId));
    expect(await hasInstallation(tdb.db, `T:${school.teamId}`)).toBe(true);
    expect((await getSchool(tdb.db, school.schoolId))?.slackUninstalledAt).toBeNull();
    const card = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC, ts: '1764498000.000100' },
      { match: (a) => a.channel === SPOC },
    );
    const dm = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0PATEL001', ts: '1764498000.000200' },
      { match: (a) => a.channel === teacher.slackUserId },
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect(card.calls).toHaveLength(1);
    expect(dm.calls).toHaveLength(1);
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(await countPending(tdb.db, school.schoolId)).toBe(0);
    expect(unpinned).toEqual([]);
  });

  it('treats tokens_revoked naming the bot as an uninstall; its twin app_uninstalled changes nothing more', async () => {
    const { school } = await installedSchool();
    // People's tokens alone: SPOC keeps none, so nothing changes.
    const people = eventCallback(clock, school.teamId, {
      type: 'tokens_revoked',
      tokens: { oauth: ['U0PERSON01'] },
    });
    expect((await app.send(people)).status).toBe(200);
    await app.logged('Slack: people’s tokens revoked, not the bot’s; nothing to do');
    expect(await hasInstallation(tdb.db, `T:${school.teamId}`)).toBe(true);
    expect((await getSchool(tdb.db, school.schoolId))?.slackUninstalledAt).toBeNull();

    const revoked = eventCallback(clock, school.teamId, {
      type: 'tokens_revoked',
      tokens: { oauth: ['U0PERSON01'], bot: ['UBOT'] },
    });
    expect((await app.send(revoked)).status).toBe(200);
    expect(await app.logged(UNINSTALLED)).toMatchObject({ event: 'tokens_revoked', schools: 1 });
    expect(await hasInstallation(tdb.db, `T:${school.teamId}`)).toBe(false);
    const marked = (await getSchool(tdb.db, school.schoolId))?.slackUninstalledAt;
    expect(marked).toEqual(clock.now());

    // The twin event comes after the installation is gone, a minute later: the mark keeps its time.
    clock.set(new Date(clock.now().getTime() + 60_000));
    app.lines.length = 0;
    expect((await app.send(eventCallback(clock, school.teamId, { type: 'app_uninstalled' }))).status).toBe(
      200,
    );
    // The installation is gone, so the request gate answers it with nothing done.
    await app.logged('Slack request from a workspace SPOC does not serve: nothing done');
    expect((await getSchool(tdb.db, school.schoolId))?.slackUninstalledAt).toEqual(marked);
    expect(app.lines.filter((l) => l.msg === UNINSTALLED)).toHaveLength(0);
  });

  it('ignores an uninstall older than the installation stored (a late retry after a reinstall)', async () => {
    const { school } = await installedSchool();
    const late = eventCallback(
      clock,
      school.teamId,
      { type: 'app_uninstalled' },
      { event_time: seconds(clock.now()) - 600 },
    );
    expect((await app.send(late)).status).toBe(200);
    await app.logged('Slack: an uninstall older than the installation stored; ignored');
    expect(await hasInstallation(tdb.db, `T:${school.teamId}`)).toBe(true);
    expect((await getSchool(tdb.db, school.schoolId))?.slackUninstalledAt).toBeNull();
  });

  it('refuses an uninstall that Slack did not sign', async () => {
    const { school } = await installedSchool();
    const forged = eventCallback(clock, school.teamId, { type: 'app_uninstalled' });
    forged.headers['x-slack-signature'] = `v0=${'0'.repeat(64)}`;
    expect((await app.send(forged)).status).toBe(401);
    expect(await hasInstallation(tdb.db, `T:${school.teamId}`)).toBe(true);
    expect((await getSchool(tdb.db, school.schoolId))?.slackUninstalledAt).toBeNull();
  });
});
