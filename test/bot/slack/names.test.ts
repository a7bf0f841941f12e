/**
 * Names people recognise: a Slack person is named from `users.info` (display name, else real
 * name, else handle) and a school from `team.info`, asked on first contact and again after a day,
 * never on every request, and never failing or holding up a request.
 */
import { WebClient } from '@slack/web-api';
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, SLACK_NAME_TIMEOUT_MS, slackWho } from '../../../src/bot/slack/identity';
import { ensureSlackSchool, findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { people } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { SLACK_NAME_TTL_MS } from '../../../src/domain/schools/identify';
import { createLogger } from '../../../src/log';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0, uniqueId } from '../../support/factories';
import {
  assertAllCallsMade,
  expectApi,
  SLACK,
  type SlackTestApp,
  startSlackTestApp,
} from '../../support/slack-app';
import { BOT_TOKEN, blockAction, slashCommand, type Who } from '../../support/slack-payloads';

let tdb: TestDatabase;
let app: SlackTestApp;
const clock = fixedClock(T0);
/** Slack calls nothing was pinned for: a lookup nobody expected. */
const unexpected: string[] = [];
const noMatch = (req: { path?: string }) => {
  if (String(req.path).startsWith('/api/')) unexpected.push(String(req.path));
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
  nock.emitter.on('no match', noMatch);
});
afterAll(async () => {
  nock.emitter.off('no match', noMatch);
  await app?.stop();
  await tdb?.destroy();
});
afterEach(() => {
  assertAllCallsMade();
  unexpected.length = 0;
});

/** `users.info` as Slack answers it (trimmed to the fields that matter, in their real places). */
function usersInfo(who: Who, profile: { display_name: string; real_name: string }) {
  return {
    ok: true,
    user: {
      id: who.userId,
      team_id: who.teamId,
      name: who.userName,
      deleted: false,
      real_name: profile.real_name,
      tz: 'Europe/London',
      is_bot: false,
      is_admin: false,
      updated: 1764494100,
      profile: {
        title: '',
        real_name: profile.real_name,
        real_name_normalized: profile.real_name,
        display_name: profile.display_name,
        display_name_normalized: profile.display_name,
        team: who.teamId,
      },
    },
  };
}

/** `team.info` as Slack answers it. */
function teamInfo(teamId: string, name: string) {
  return {
    ok: true,
    team: {
      id: teamId,
      name,
      url: 'https://hillside-primary.slack.com/',
      domain: 'hillside-primary',
      email_domain: '',
      icon: { image_default: true },
    },
  };
}

async function personOf(who: Who) {
  const school = await findSchoolBySlackTeam(tdb.db, who.teamId);
  if (!school) throw new Error('no school');
  const [person] = await tdb.db
    .select()
    .from(people)
    .where(and(eq(people.schoolId, school.id), eq(people.slackUserId, who.userId)));
  if (!person) throw new Error('no person');
  return { school, person };
}

async function help(who: Who) {
  const res = await app.send(slashCommand(who, '/spoc', 'help'));
  expect(res.status).toBe(200);
  return res;
}

describe('names from Slack', () => {
  it('names a person and school on first contact, not again within a day, and again after one', async () => {
    clock.set(T0);
    const teamId = uniqueId('T');
    await app.install(teamId);
    const brown: Who = { teamId, userId: uniqueId('U'), userName: 'mrs.brown' };

    const user = expectApi(
      'users.info',
      usersInfo(brown, { display_name: 'Mrs Brown', real_name: 'Jane Brown' }),
    );
    const team = expectApi('team.info', teamInfo(teamId, 'Hillside Primary'));
    await help(brown);
    expect(user.calls.map((c) => c.user)).toEqual([brown.userId]);
    expect(team.calls.map((c) => c.team)).toEqual([teamId]);
    let stored = await personOf(brown);
    expect(stored.person.displayName).toBe('Mrs Brown');
    expect(stored.person.nameCheckedAt).toEqual(new Date(T0));
    expect(stored.school.name).toBe('Hillside Primary');
    expect(stored.school.nameCheckedAt).toEqual(new Date(T0));
    assertAllCallsMade();

    // Within the day: the stored names stand, Slack is not asked, and the handle does not win.
    clock.advance(SLACK_NAME_TTL_MS - 60_000);
    await help(brown);
    await app.send(blockAction(brown, 'no-such-action', ''));
    expect(unexpected).toEqual([]);
    stored = await personOf(brown);
    expect(stored.person.displayName).toBe('Mrs Brown');
    expect(stored.school.name).toBe('Hillside Primary');

    // A day on: asked again, and Slack's newer names are taken.
    clock.advance(60_000);
    const again = expectApi('users.info', usersInfo(brown, { display_name: '', real_name: 'Jane Brown' }));
    const teamAgain = expectApi('team.info', teamInfo(teamId, 'Hillside Primary Academy'));
    await help(brown);
    expect(again.calls).toHaveLength(1);
    expect(teamAgain.calls).toHaveLength(1);
    stored = await personOf(brown);
    expect(stored.person.displayName).toBe('Jane Brown');
    expect(stored.person.nameCheckedAt).toEqual(clock.now());
    expect(stored.school.name).toBe('Hillside Primary Academy');
    expect(unexpected).toEqual([]);
  });

  it('keeps the handle when users.info fails, and the request still succeeds', async () => {
    clock.set(T0);
    const teamId = uniqueId('T');
    await app.install(teamId);
    const patel: Who = { teamId, userId: uniqueId('U'), userName: 'ms.patel' };
    expectApi('users.info', {
      ok: false,
      error: 'missing_scope',
      needed: 'users:read',
      provided: 'commands',
    });
    expectApi('team.info', teamInfo(teamId, 'Hillside Primary'));
    const res = await help(patel);
    expect(res.text).toContain('/spoc');
    const stored = await personOf(patel);
    expect(stored.person.displayName).toBe('ms.patel');
    expect(stored.school.name).toBe('Hillside Primary');
    // Asked, so not asked again on the next request: at most daily, even while Slack refuses.
    expect(stored.person.nameCheckedAt).toEqual(new Date(T0));
    await help(patel);
    expect(unexpected).toEqual([]);
  });

  it('never replaces a school name SPOC did not make up from the workspace domain', async () => {
    clock.set(T0);
    const teamId = uniqueId('T');
    await app.install(teamId);
    await ensureSlackSchool(tdb.db, teamId, "St Mary's CE Primary", clock.now());
    const head: Who = { teamId, userId: uniqueId('U'), userName: 'head' };
    expectApi('users.info', usersInfo(head, { display_name: 'Mr Jones', real_name: 'Dai Jones' }));
    expectApi('team.info', teamInfo(teamId, 'Hillside Primary'));
    await help(head);
    const stored = await personOf(head);
    expect(stored.school.name).toBe("St Mary's CE Primary");
    expect(stored.person.displayName).toBe('Mr Jones');
  });
});

describe('contextFor', () => {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const deps = () => ({
    db: tdb.db,
    clock,
    log,
    kick: () => {},
    clientFor: async () => new WebClient(BOT_TOKEN, { retryConfig: { retries: 0 } }),
  });
  /** A slash command's fields, as Bolt hands them to the listener. */
  const command = (who: Who) => ({
    token: 'legacy-verification-token',
    team_id: who.teamId,
    team_domain: 'hillside-primary',
    channel_id: 'C0GENERAL1',
    user_id: who.userId,
    user_name: who.userName,
    command: '/spoc',
    text: 'help',
  });

  it('logs one warning, without the token, when Slack is down, and keeps the handle', async () => {
    lines.length = 0;
    clock.set(T0);
    const who: Who = { teamId: uniqueId('T'), userId: uniqueId('U'), userName: 'mr.green' };
    nock(SLACK).post('/api/users.info').reply(503, 'upstream down');
    nock(SLACK)
      .post('/api/team.info')
      .reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '30' });
    const ctx = await contextFor(deps(), slackWho(command(who)));
    expect(ctx.actor.displayName).toBe('mr.green');
    expect(ctx.school.name).toBe('hillside-primary');
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ teamId: who.teamId, userId: who.userId });
    expect(JSON.stringify(lines)).not.toContain(BOT_TOKEN);
  });

  it('waits no longer than its timeout for a slow Slack', async () => {
    lines.length = 0;
    clock.set(T0);
    const who: Who = { teamId: uniqueId('T'), userId: uniqueId('U'), userName: 'mr.slow' };
    nock(SLACK)
      .post('/api/users.info')
      .delay(SLACK_NAME_TIMEOUT_MS + 2_000)
      .reply(200, usersInfo(who, { display_name: 'Mr Slow', real_name: 'Sam Slow' }));
    nock(SLACK)
      .post('/api/team.info')
      .delay(SLACK_NAME_TIMEOUT_MS + 2_000)
      .reply(200, teamInfo(who.teamId, 'Hillside Primary'));
    const started = Date.now();
    const ctx = await contextFor(deps(), slackWho(command(who)));
    expect(Date.now() - started).toBeLessThan(SLACK_NAME_TIMEOUT_MS + 1_000);
    expect(ctx.actor.displayName).toBe('mr.slow');
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
    nock.abortPendingRequests();
  });
});
