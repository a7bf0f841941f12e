/**
 * Enterprise Grid: an org-wide install (stored under the organisation) serves every workspace of
 * the organisation that has no installation of its own, for its requests and for its outbox
 * messages, which are sent with the organisation's token. Uninstalled org-wide, all its
 * workspaces wait; installed org-wide again, they are sent.
 */
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../../src/bot/slack/app';
import { databaseInstallationStore } from '../../../src/bot/slack/installation-store';
import { NOT_INSTALLED } from '../../../src/bot/slack/workspaces';
import { createSealer } from '../../../src/db/encryption';
import { findSchoolBySlackTeam, getSchool } from '../../../src/db/queries/schools';
import { hasInstallation } from '../../../src/db/queries/slack-installations';
import { outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0, uniqueId } from '../../support/factories';
import {
  assertAllCallsMade,
  SLACK,
  type SlackTestApp,
  startSlackTestApp,
  TEST_ENCRYPTION_KEY,
} from '../../support/slack-app';
import { eventCallback, installThroughOAuth } from '../../support/slack-install';
import { API_APP_ID, sign } from '../../support/slack-payloads';
import { until } from '../../support/wait';

const ORG_TOKEN = 'xoxb-org-wide-token';
const clock = fixedClock(T0);
let tdb: TestDatabase;
let app: SlackTestApp;

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(async () => {
  assertAllCallsMade();
  await tdb.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.status, 'pending'));
});

/** Installs SPOC org-wide, as the OAuth flow stores it: under the organisation, with no team. */
async function installOrgWide(enterpriseId: string, token = ORG_TOKEN) {
  const store = databaseInstallationStore(tdb.db, clock, createSealer([TEST_ENCRYPTION_KEY]));
  await store.storeInstallation({
    team: undefined,
    enterprise: { id: enterpriseId, name: 'Essex Schools' },
    user: { id: 'U0ORGADMIN', token: undefined, scopes: undefined },
    bot: { id: 'BORG', userId: 'UBOTORG', token, scopes: BOT_SCOPES },
    isEnterpriseInstall: true,
    authVersion: 'v2',
  });
}

/** A slash command from a workspace of a Grid organisation, in the fields Slack sends. */
function gridCommand(
  who: { teamId: string; enterpriseId: string; userId: string },
  text: string,
  channelId: string,
  orgWide = true,
) {
  return sign(
    new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: who.teamId,
      team_domain: 'oakfield-primary',
      enterprise_id: who.enterpriseId,
      enterprise_name: 'Essex Schools',
      channel_id: channelId,
      channel_name: 'ict-help',
      user_id: who.userId,
      user_name: 'head',
      command: '/spoc',
      text,
      api_app_id: API_APP_ID,
      is_enterprise_install: String(orgWide),
      response_url: `https://hooks.slack.com/commands/${who.teamId}/1111/cmdresponse`,
      trigger_id: '1337.42.abcdef',
    }).toString(),
    'application/x-www-form-urlencoded',
  );
}

/** Pins a Web API call made with `token`; records its form fields. */
function expectWith(
  token: string,
  method: string,
  reply: object,
  match: (a: URLSearchParams) => boolean = () => true,
) {
  const calls: URLSearchParams[] = [];
  nock(SLACK)
    .post(`/api/${method}`, (body) => match(new URLSearchParams(body as unknown as string)))
    .matchHeader('authorization', `Bearer ${token}`)
    .reply((_uri, body) => {
      calls.push(new URLSearchParams(body as string));
      return [200, reply];
    });
  return calls;
}

async function reportIn(teamId: string) {
  const who = await identifySlackUser(tdb.db, clock, { teamId, userId: uniqueId('U'), userName: 'ms.patel' });
  const r = await reportFault(
    { db: tdb.db, clock, actor: { ...who.actor } },
    { summary: 'Whiteboard pen not pairing', urgency: 'today' },
  );
  if (!r.ok) throw new Error(r.error.message);
  return who;
}

const pendingOf = (schoolId: string) =>
  tdb.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.schoolId, schoolId), eq(outbox.status, 'pending')));

describe('Enterprise Grid org-wide install', () => {
  it('serves a workspace of the organisation with no install of its own, and sends its messages with the organisation’s token', async () => {
    const enterpriseId = uniqueId('E');
    await installOrgWide(enterpriseId);
    const who = { teamId: uniqueId('T'), enterpriseId, userId: uniqueId('U') };
    const channel = 'C0GRIDSPOC';
    // First contact names the person and the school through the organisation's token.
    const named = [
      expectWith(ORG_TOKEN, 'users.info', {
        ok: true,
        user: { name: 'head', profile: { display_name: 'Mr Head' } },
      }),
      expectWith(ORG_TOKEN, 'team.info', { ok: true, team: { name: 'Oakfield Primary' } }),
    ];
    const setup = await app.send(gridCommand(who, 'setup', channel));
    expect(setup.text).toContain('is now the SPOC channel');
    await app.settleTopic(who.teamId);
    expect(named.map((calls) => calls.length)).toEqual([1, 1]);
    const school = await findSchoolBySlackTeam(tdb.db, who.teamId);
    expect(school?.name).toBe('Oakfield Primary');
    // The school knows its organisation, for the outbox, which knows only the workspace.
    expect(school?.slackEnterpriseId).toBe(enterpriseId);
    expect(await hasInstallation(tdb.db, `T:${who.teamId}`)).toBe(false);

    // A payload that does not say it is org-wide is served by the organisation's install too.
    const help = await app.send(gridCommand(who, 'help', channel, false));
    expect(help.status).toBe(200);
    expect(help.text).not.toContain(NOT_INSTALLED);
    expect(help.text).toContain('/spoc');

    // The card goes to the school's channel with the organisation's token, found from the school
    // alone: after a restart, the outbox knows only the school's workspace.
    const reporter = await reportIn(who.teamId);
    await app.close();
    app = await startSlackTestApp(tdb, clock);
    const card = expectWith(
      ORG_TOKEN,
      'chat.postMessage',
      { ok: true, channel, ts: '1764494100.000100' },
      (a) => a.get('channel') === channel,
    );
    const dm = expectWith(
      ORG_TOKEN,
      'chat.postMessage',
      { ok: true, channel: 'D0GRID0001', ts: '1764494100.000200' },
      (a) => a.get('channel') === reporter.person.slackUserId,
    );
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect([card.length, dm.length]).toEqual([1, 1]);

    // A workspace of another organisation is not served by this one's install.
    const stranger = { teamId: uniqueId('T'), enterpriseId: uniqueId('E'), userId: uniqueId('U') };
    expect((await app.send(gridCommand(stranger, 'help', channel))).json().text).toBe(NOT_INSTALLED);
    expect(await findSchoolBySlackTeam(tdb.db, stranger.teamId)).toBeUndefined();
  });

  it('an org-wide uninstall stops all its workspaces (not one with its own install); installed again, they get their messages', async () => {
    const enterpriseId = uniqueId('E');
    await installOrgWide(enterpriseId);
    const grid = { teamId: uniqueId('T'), enterpriseId, userId: uniqueId('U') };
    const grid2 = { teamId: uniqueId('T'), enterpriseId, userId: uniqueId('U') };
    const own = { teamId: uniqueId('T'), enterpriseId, userId: uniqueId('U') };
    await app.install(own.teamId);
    await app.send(gridCommand(grid, 'setup', 'C0GRIDSPO2'));
    await app.send(gridCommand(grid2, 'setup', 'C0GRIDSPO3'));
    await app.send(gridCommand(own, 'setup', 'C0GRIDSPO4', false));
    for (const w of [grid, grid2, own]) await app.settleTopic(w.teamId);
    const gridSchool = await findSchoolBySlackTeam(tdb.db, grid.teamId);
    const grid2School = await findSchoolBySlackTeam(tdb.db, grid2.teamId);
    const ownSchool = await findSchoolBySlackTeam(tdb.db, own.teamId);
    expect([gridSchool, grid2School, ownSchool].map((s) => s?.slackEnterpriseId)).toEqual([
      enterpriseId,
      enterpriseId,
      enterpriseId,
    ]);

    // Told of the organisation as a whole.
    const uninstall = eventCallback(
      clock,
      enterpriseId,
      { type: 'app_uninstalled' },
      {
        enterprise_id: enterpriseId,
        authorizations: [
          {
            enterprise_id: enterpriseId,
            team_id: null,
            user_id: 'UBOTORG',
            is_bot: true,
            is_enterprise_install: true,
          },
        ],
      },
    );
    expect((await app.send(uninstall)).status).toBe(200);
    // Acked first, acted on after: the installation's delete and the marks are one transaction.
    await until(
      async () => ((await hasInstallation(tdb.db, `E:${enterpriseId}`)) ? undefined : true),
      'the organisation’s installation deleted',
    );
    expect(await hasInstallation(tdb.db, `T:${own.teamId}`)).toBe(true);
    const marks = async () =>
      Promise.all(
        [gridSchool, grid2School, ownSchool].map(
          async (s) => (await getSchool(tdb.db, s?.id ?? ''))?.slackUninstalledAt ?? null,
        ),
      );
    expect(await marks()).toEqual([clock.now(), clock.now(), null]);

    await reportIn(grid.teamId);
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 2, dead: 0 });
    const waiting = await pendingOf(gridSchool?.id ?? '');
    expect(waiting.map((r) => [r.lastError, r.attempts])).toEqual([
      ['SPOC is uninstalled from this workspace', 0],
      ['SPOC is uninstalled from this workspace', 0],
    ]);

    // Installed org-wide again, with a new token: what waited goes now, with it.
    const NEW_ORG_TOKEN = 'xoxb-org-wide-token-2';
    nock(SLACK)
      .post('/api/auth.test')
      .matchHeader('authorization', `Bearer ${NEW_ORG_TOKEN}`)
      .reply(200, { ok: true, url: 'https://essex.enterprise.slack.com/', enterprise_id: enterpriseId });
    await installThroughOAuth(app, {
      ok: true,
      app_id: API_APP_ID,
      authed_user: { id: 'U0ORGADMIN' },
      scope: BOT_SCOPES.join(','),
      token_type: 'bot',
      access_token: NEW_ORG_TOKEN,
      bot_user_id: 'UBOTORG',
      team: null,
      enterprise: { id: enterpriseId, name: 'Essex Schools' },
      is_enterprise_install: true,
    });
    expect(await marks()).toEqual([null, null, null]);
    const sent = [
      expectWith(
        NEW_ORG_TOKEN,
        'chat.postMessage',
        { ok: true, channel: 'C0GRIDSPO2', ts: '1.1' },
        (a) => a.get('channel') === 'C0GRIDSPO2',
      ),
      expectWith(
        NEW_ORG_TOKEN,
        'chat.postMessage',
        { ok: true, channel: 'D0GRID0002', ts: '1.2' },
        (a) => a.get('channel') !== 'C0GRIDSPO2',
      ),
    ];
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect(sent.map((calls) => calls.length)).toEqual([1, 1]);
  });
});
