/**
 * What reaches SPOC at all: malformed bodies, signatures from the future, workspaces SPOC was not
 * installed in, and ids no listener answers. Through the real app over HTTP, signed as Slack signs.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { count } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../../src/bot/slack/app';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { people, schools } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { silentLogger } from '../../../src/log';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0, uniqueId } from '../../support/factories';
import {
  assertAllCallsMade,
  SLACK,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
} from '../../support/slack-app';
import {
  BOT_TOKEN,
  blockAction,
  RESPONSE_URL_HOST,
  responsePath,
  SIGNING_SECRET,
  sign,
  slashCommand,
  viewSubmission,
  type Who,
} from '../../support/slack-payloads';
import { until } from '../../support/wait';

const FORM = 'application/x-www-form-urlencoded';
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
afterEach(assertAllCallsMade);

const interactive = (payload: unknown) =>
  sign(`payload=${encodeURIComponent(JSON.stringify(payload))}`, FORM);

async function schoolCount(): Promise<number> {
  const [row] = await tdb.db.select({ n: count() }).from(schools);
  return row?.n ?? 0;
}

/** A request signed `secondsFromNow` away from the real clock. */
function signedAt(who: Who, secondsFromNow: number, text = 'setup') {
  const at = Math.floor(Date.now() / 1000) + secondsFromNow;
  const unsigned = slashCommand(who, '/spoc', text, 'C0MOVED001');
  return sign(unsigned.body, FORM, at);
}

describe('malformed bodies', () => {
  it('answers every malformed shape with 400, at once, and keeps serving', async () => {
    const s = await slackSchool(app);
    const user = { id: s.admin.userId, team_id: s.teamId };
    const team = { id: s.teamId };
    const shapes: Array<[string, ReturnType<typeof sign>]> = [
      ['payload=null', sign('payload=null', FORM)],
      ['JSON null', sign('null', 'application/json')],
      ['a string', interactive('hello')],
      ['a number', interactive(42)],
      ['an array', interactive([{ type: 'block_actions' }])],
      ['JSON string', sign('"hello"', 'application/json')],
      ['JSON array', sign('[1,2]', 'application/json')],
      ['unknown type', interactive({ type: 'workflow_step_edit', user, team })],
      ['no type', interactive({ user, team })],
      ['block_actions without a user', interactive({ type: 'block_actions', team, actions: [] })],
      [
        'block_actions with a null user',
        interactive({ type: 'block_actions', user: null, team, actions: [{ action_id: 'x' }] }),
      ],
      ['block_actions without actions', interactive({ type: 'block_actions', user, team })],
      ['view_submission without a view', interactive({ type: 'view_submission', user, team })],
      ['view_submission with a null view', interactive({ type: 'view_submission', user, team, view: null })],
      [
        'no workspace at all',
        interactive({ type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'x' }] }),
      ],
      ['slash command without a user', sign(`command=%2Fspoc&team_id=${s.teamId}&text=help`, FORM)],
      ['repeated payload field', sign('payload=%7B%7D&payload=%7B%7D', FORM)],
      ['not JSON', sign('{"type": "event_callback", ', 'application/json')],
      [
        'an event with no event',
        sign(JSON.stringify({ type: 'event_callback', team_id: s.teamId }), 'application/json'),
      ],
    ];
    for (const [name, request] of shapes) {
      const started = Date.now();
      const res = await app.send(request);
      expect(res.status, name).toBe(400);
      expect(Date.now() - started, name).toBeLessThan(3000);
    }
    // Still serving, and the school is as it was.
    const help = await app.send(slashCommand(s.admin, '/spoc', 'help'));
    expect(help.status).toBe(200);
    expect(help.json().text).toBeDefined();
  });

  it('refuses a body over 4 MB with 413', async () => {
    const res = await app.send(sign(`payload=${'x'.repeat(4 * 1024 * 1024 + 10)}`, FORM));
    expect(res.status).toBe(413);
  });
});

describe('signatures', () => {
  it('refuses a request signed an hour ahead, or an hour ago, and changes nothing', async () => {
    const s = await slackSchool(app, 'C0ORIGINAL1');
    for (const offset of [3600, 301, -301, -3600]) {
      const res = await app.send(signedAt(s.admin, offset));
      expect(res.status, `${offset} s`).toBe(401);
    }
    expect((await findSchoolBySlackTeam(tdb.db, s.teamId))?.slackChannelId).toBe('C0ORIGINAL1');
    // Within the window either way, it is Slack's clocks differing a little: accepted.
    const res = await app.send(signedAt(s.admin, 240, 'help'));
    expect(res.status).toBe(200);
  });

  it('refuses a wrong signature, a missing one and a body changed after signing', async () => {
    const s = await slackSchool(app);
    const good = slashCommand(s.admin, '/spoc', 'setup', 'C0MOVED002');
    const wrongSecret = sign(good.body, FORM, undefined, 'not-the-secret');
    const { 'x-slack-signature': _sig, ...unsigned } = good.headers;
    const tampered = { ...good, body: good.body.replace('setup', 'help!') };
    for (const request of [wrongSecret, { ...good, headers: unsigned }, tampered]) {
      expect((await app.send(request)).status).toBe(401);
    }
    expect((await findSchoolBySlackTeam(tdb.db, s.teamId))?.slackChannelId).not.toBe('C0MOVED002');
  });
});

describe('workspaces SPOC serves', () => {
  it('tells a workspace it was not installed in, and writes nothing: 30 random team ids make no school', async () => {
    const before = await schoolCount();
    const [peopleBefore] = await tdb.db.select({ n: count() }).from(people);
    for (let i = 0; i < 30; i++) {
      const stranger: Who = { teamId: uniqueId('T'), userId: uniqueId('U'), userName: 'mallory' };
      const res = await app.send(slashCommand(stranger, '/spoc', 'setup'));
      expect(res.status).toBe(200);
      expect(res.json().text).toContain('SPOC is not installed for your workspace');
      const press = await app.send(blockAction(stranger, 'incident_claim', 'x'));
      expect(press.status).toBe(200);
      expect(press.text).toBe('');
    }
    expect(await schoolCount()).toBe(before);
    const [peopleAfter] = await tdb.db.select({ n: count() }).from(people);
    expect(peopleAfter?.n).toBe(peopleBefore?.n);
  });

  describe('with one bot token', () => {
    let server: Server;
    let url: string;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      // This token's own answer, not the shared test app's.
      nock.cleanAll();
      const whoami = nock(SLACK).persist().post('/api/auth.test').reply(200, {
        ok: true,
        team_id: 'T0HOME0001',
        user_id: 'UBOT',
        bot_id: 'BBOT',
        enterprise_id: 'E0GRID0001',
        is_enterprise_install: false,
      });
      const slack = createSlackApp({
        mode: { kind: 'http', signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN },
        database: tdb,
        clock,
        log: silentLogger,
        kick: () => {},
        clientOptions: { retryConfig: { retries: 0 } },
      });
      server = (await slack.start(0, '127.0.0.1')) as Server;
      // Asked at start, not on the first request.
      await until(() => (whoami.isDone() ? true : undefined), 'auth.test at start');
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      stop = () => slack.stop();
    });
    afterAll(async () => {
      await stop?.();
    });
    const send = async (request: ReturnType<typeof sign>) => {
      const res = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      const text = await res.text();
      return { status: res.status, text };
    };

    it('serves only the workspace auth.test names; another of the same organisation is not installed', async () => {
      const before = await schoolCount();
      const elsewhere: Who = { teamId: 'T0ELSEWHERE', userId: 'U0MALLORY1', userName: 'mallory' };
      const refused = await send(slashCommand(elsewhere, '/spoc', 'setup'));
      expect(JSON.parse(refused.text).text).toContain('SPOC is not installed for your workspace');
      expect(await schoolCount()).toBe(before);

      const home: Who = { teamId: 'T0HOME0001', userId: 'U0HEAD0001', userName: 'head' };
      const served = await send(slashCommand(home, '/spoc', 'setup', 'C0HOMESPOC'));
      expect(JSON.parse(served.text).text).toContain('is now the SPOC channel');
      expect(await schoolCount()).toBe(before + 1);
    });
  });
});

describe('requests no listener answers', () => {
  it('acks an unknown button at once and tells the person', async () => {
    const s = await slackSchool(app);
    const said: Array<{ text?: string }> = [];
    nock(RESPONSE_URL_HOST)
      .post(responsePath(s.teamId))
      .reply((_uri, body) => {
        said.push(body as { text?: string });
        return [200, 'ok'];
      });
    const res = await app.send(blockAction(s.office, 'retired_button_2019', 'x'));
    expect(res.status).toBe(200);
    expect((await until(() => said[0], 'reply')).text).toBe(
      'That button no longer does anything — run `/spoc help` to see what SPOC can do.',
    );
  });

  it('answers an unknown form and an unknown command in the ack', async () => {
    const s = await slackSchool(app);
    const form = await app.send(viewSubmission(s.office, 'retired_form', { summary: 'x' }));
    expect(form.status).toBe(200);
    expect(form.json()).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(form.json())).toContain('This form no longer does anything');

    const command = await app.send(slashCommand(s.office, '/helpdesk', 'hello'));
    expect(command.status).toBe(200);
    expect(command.json().text).toContain('SPOC does not answer `/helpdesk`');
  });
});
