/**
 * The Teams deliverer against pinned connector calls: the card posted once into the SPOC channel
 * and then updated in place, a thread line as a reply to it, a notice in the reporter's personal
 * chat, a person Teams cannot reach yet (waiting, the SPOC channel told once), and the connector's
 * refusals sorted into when to try again.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsAdapter } from '../../../src/bot/teams/adapter';
import { createTeamsDeliverer, NO_PERSONAL_CHAT, withUpdates } from '../../../src/bot/teams/delivery';
import { createTeamsSender } from '../../../src/bot/teams/proactive';
import { getIncidentDetail, listIncidentEvents } from '../../../src/db/queries/incidents';
import type { OutboxRow } from '../../../src/db/queries/outbox';
import { setPersonRole } from '../../../src/db/queries/people';
import { findStatusMessage } from '../../../src/db/queries/status-messages';
import { saveTeamsConversation } from '../../../src/db/queries/teams-conversations';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import type { OutboxMessage } from '../../../src/domain/messages';
import type { Role } from '../../../src/domain/roles';
import { actorOf, identifyTeamsUser } from '../../../src/domain/schools/identify';
import { setupSchool } from '../../../src/domain/schools/setup-school';
import { createLogger } from '../../../src/log';
import { DeliveryRetry } from '../../../src/worker/outbox-dispatcher';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0 } from '../../support/factories';
import { APP_ID, BOT, SERVICE_URL } from '../../support/teams-activities';
import { APP_PASSWORD } from '../../support/teams-app';
import { BOT_ACCESS_TOKEN, pinBotToken } from '../../support/teams-auth';

const CONNECTOR = 'https://smba.trafficmanager.net';
const clock = fixedClock(T0);
const logLines: string[] = [];
const log = createLogger('debug', { write: (line: string) => void logLines.push(line) });
let database: TestDatabase;
let deliverer: ReturnType<typeof createTeamsDeliverer>;

beforeAll(async () => {
  pinBotToken();
  database = await createTestDatabase();
  const { adapter } = createTeamsAdapter({
    appId: APP_ID,
    appPassword: APP_PASSWORD,
    appType: 'MultiTenant',
  });
  const sender = withUpdates(createTeamsSender(adapter, APP_ID), adapter, APP_ID);
  deliverer = createTeamsDeliverer({ db: database.db, clock, log, sender });
});
afterAll(async () => {
  await database?.destroy();
  nock.cleanAll();
});

const hex = () => randomBytes(8).toString('hex');
let rowId = 1;
function row(schoolId: string, message: OutboxMessage, extra: Partial<OutboxRow> = {}): OutboxRow {
  return {
    id: rowId++,
    schoolId,
    message,
    attempts: 0,
    inDoubt: false,
    lastError: null,
    createdAt: clock.now(),
    ...extra,
  } as unknown as OutboxRow;
}

/** A Teams school with its SPOC channel set up and stored, a teacher and a technician. */
async function teamsSchool() {
  const db = database.db;
  const tenantId = randomUUID();
  const teamId = `19:${hex()}@thread.tacv2`;
  const channelId = `19:${hex()}@thread.tacv2`;
  const who = async (name: string, role: Role) => {
    const aadObjectId = randomUUID();
    const found = await identifyTeamsUser(db, clock, {
      tenantId,
      teamId,
      aadObjectId,
      userId: `29:${hex()}`,
      userName: name,
    });
    if (!found.ok) throw new Error(found.error.message);
    if (role !== 'teacher')
      await setPersonRole(db, found.value.school.id, found.value.person.id, role, clock.now());
    const ctx: Ctx = { db, clock, actor: actorOf({ ...found.value.person, role }) };
    return { ctx, aadObjectId, personId: found.value.person.id, schoolId: found.value.school.id };
  };
  const admin = await who('Ada Admin', 'teacher');
  const setup = await setupSchool(admin.ctx, { teamsChannelId: channelId });
  if (!setup.ok) throw new Error(setup.error.message);
  await saveTeamsConversation(
    db,
    {
      tenantId,
      teamId,
      conversationId: channelId,
      kind: 'channel',
      reference: {
        serviceUrl: SERVICE_URL,
        channelId: 'msteams',
        bot: BOT,
        conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId },
      },
    },
    clock.now(),
  );
  const teacher = await who('Megan_Bowen', 'teacher');
  const tech = await who('Sam Tech', 'technician');
  const report = await reportFault(teacher.ctx, {
    summary: 'Projector *dead* in Room 4',
    urgency: 'lesson_stopped',
  });
  if (!report.ok) throw new Error(report.error.message);
  const incidentId = report.value.incident.id;
  return { schoolId: admin.schoolId, tenantId, teamId, channelId, teacher, tech, incidentId };
}

type Body = Record<string, unknown> & { activity?: Record<string, unknown> };
const cardOf = (activity: Record<string, unknown> | undefined) =>
  ((activity?.attachments ?? []) as Array<{ contentType: string; content: Record<string, unknown> }>)[0];
/** Each action's verb (a dialog's Action.Submit carries it in its data). */
const verbsOf = (card: Record<string, unknown>) =>
  ((card.actions ?? []) as Array<{ verb?: string; data?: { verb?: string } }>).map(
    (a) => a.verb ?? a.data?.verb,
  );

/** Pins the new channel post of a card; says what was posted. */
function pinChannelPost(channelId: string, messageId: string) {
  const seen: { body?: Body; auth?: string } = {};
  const scope = nock(CONNECTOR)
    .post('/uk/v3/conversations', (body) => {
      seen.body = body;
      return body.channelData?.channel?.id === channelId;
    })
    .reply(function () {
      seen.auth = this.req.headers.authorization as string;
      return [201, { id: `${channelId};messageid=${messageId}`, activityId: messageId }];
    });
  return { scope, seen };
}

async function postCard(s: Awaited<ReturnType<typeof teamsSchool>>, messageId = '1700000000001') {
  const { scope, seen } = pinChannelPost(s.channelId, messageId);
  await deliverer.deliver(row(s.schoolId, { type: 'incident.card', incidentId: s.incidentId }));
  expect(scope.isDone()).toBe(true);
  return { conversationId: `${s.channelId};messageid=${messageId}`, messageId, seen };
}

async function failureOf(p: Promise<unknown>): Promise<DeliveryRetry> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryRetry);
  return error as DeliveryRetry;
}

describe('the Teams deliverer', () => {
  it('posts the card once into the SPOC channel, then updates it in place', async () => {
    const s = await teamsSchool();
    const { conversationId, messageId, seen } = await postCard(s);
    expect(seen.auth).toBe(`Bearer ${BOT_ACCESS_TOKEN}`);
    expect(seen.body).toMatchObject({ isGroup: true, channelData: { tenant: { id: s.tenantId } } });
    const posted = cardOf(seen.body?.activity);
    expect(posted?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(posted?.content.version).toBe('1.5');
    expect(verbsOf(posted?.content ?? {})).toEqual(
      expect.arrayContaining(['incident.claim', 'incident.resolve']),
    );
    expect(posted?.content.refresh).toMatchObject({
      action: { verb: 'refresh', data: { value: s.incidentId } },
    });
    // Remembered where it is: the thread's conversation id and the message id.
    const stored = await getIncidentDetail(database.db, s.schoolId, s.incidentId);
    expect([stored?.cardChannel, stored?.cardTs]).toEqual([conversationId, messageId]);

    expect((await claimIncident(s.tech.ctx, { incidentId: s.incidentId })).ok).toBe(true);
    let updated: Body | undefined;
    const put = nock(CONNECTOR)
      .put(`/uk/v3/conversations/${encodeURIComponent(conversationId)}/activities/${messageId}`, (body) => {
        updated = body;
        return true;
      })
      .reply(200, { id: messageId });
    await deliverer.deliver(row(s.schoolId, { type: 'incident.card', incidentId: s.incidentId }));
    expect(put.isDone()).toBe(true);
    expect(updated?.id).toBe(messageId);
    const card = cardOf(updated)?.content ?? {};
    expect(verbsOf(card)).not.toContain('incident.claim');
    expect(JSON.stringify(card)).toContain('**Sam Tech**');
    // Nothing else was posted.
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('replies in the card thread with a history line', async () => {
    const s = await teamsSchool();
    const { conversationId } = await postCard(s);
    expect((await claimIncident(s.tech.ctx, { incidentId: s.incidentId })).ok).toBe(true);
    const claimed = (await listIncidentEvents(database.db, s.schoolId, s.incidentId)).find(
      (e) => e.kind === 'claimed',
    );
    let reply: Body | undefined;
    const post = nock(CONNECTOR)
      .post(`/uk/v3/conversations/${encodeURIComponent(conversationId)}/activities`, (body) => {
        reply = body;
        return true;
      })
      .reply(201, { id: '1700000000002' });
    await deliverer.deliver(
      row(s.schoolId, { type: 'incident.thread', incidentId: s.incidentId, eventId: claimed?.id ?? 0 }),
    );
    expect(post.isDone()).toBe(true);
    expect(reply).toMatchObject({
      type: 'message',
      textFormat: 'markdown',
      conversation: { id: conversationId },
    });
    expect(reply?.text).toContain('**Sam Tech**');
    expect(reply?.replyToId).toBeUndefined();
  });

  it('tells the reporter in their personal chat, and waits (not dead) for one Teams cannot reach, telling the SPOC channel once', async () => {
    const s = await teamsSchool();
    const notice = row(s.schoolId, {
      type: 'person.notify',
      personId: s.teacher.personId,
      incidentId: s.incidentId,
      event: 'reported',
    });
    const { conversationId } = await postCard(s);

    // No personal chat yet: the SPOC channel is told in the card's thread, and the notice waits.
    let told: Body | undefined;
    const tell = nock(CONNECTOR)
      .post(`/uk/v3/conversations/${encodeURIComponent(conversationId)}/activities`, (body) => {
        told = body;
        return true;
      })
      .reply(201, { id: '1700000000003' });
    const waiting = await failureOf(deliverer.deliver(notice));
    expect(tell.isDone()).toBe(true);
    expect(told?.text).toContain("I can't message **Megan\\_Bowen** in Teams yet");
    expect(waiting.message).toBe(NO_PERSONAL_CHAT);
    expect(waiting.options).toMatchObject({ waiting: true });
    expect(waiting.options.permanent).toBeFalsy();
    // Still waiting at the next attempt: not told again.
    const again = await failureOf(deliverer.deliver({ ...notice, lastError: NO_PERSONAL_CHAT }));
    expect(again.options.waiting).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);

    // The teacher installs the app: the notice goes to their personal chat.
    const personal = `a:${hex()}`;
    await saveTeamsConversation(
      database.db,
      {
        tenantId: s.tenantId,
        conversationId: personal,
        kind: 'personal',
        aadObjectId: s.teacher.aadObjectId,
        userId: `29:${hex()}`,
        reference: {
          serviceUrl: SERVICE_URL,
          channelId: 'msteams',
          bot: BOT,
          conversation: { id: personal, conversationType: 'personal', tenantId: s.tenantId },
        },
      },
      clock.now(),
    );
    let dm: Body | undefined;
    const post = nock(CONNECTOR)
      .post(`/uk/v3/conversations/${encodeURIComponent(personal)}/activities`, (body) => {
        dm = body;
        return true;
      })
      .reply(201, { id: '1:dm-1' });
    await deliverer.deliver({ ...notice, lastError: NO_PERSONAL_CHAT });
    expect(post.isDone()).toBe(true);
    // The fault's status card: which fault and where it stands.
    const status = JSON.stringify(cardOf(dm)?.content);
    expect(status).toContain('Your fault **INC-1**');
    expect(status).toContain('Reported — waiting for someone to pick it up');
  });

  it("keeps the reporter's one status card up to date in place, each step a short message under it", async () => {
    const s = await teamsSchool();
    await postCard(s);
    const personal = `a:${hex()}`;
    await saveTeamsConversation(
      database.db,
      {
        tenantId: s.tenantId,
        conversationId: personal,
        kind: 'personal',
        aadObjectId: s.teacher.aadObjectId,
        userId: `29:${hex()}`,
        reference: {
          serviceUrl: SERVICE_URL,
          channelId: 'msteams',
          bot: BOT,
          conversation: { id: personal, conversationType: 'personal', tenantId: s.tenantId },
        },
      },
      clock.now(),
    );
    const activities = `/uk/v3/conversations/${encodeURIComponent(personal)}/activities`;
    const notify = (event: 'reported' | 'claimed') =>
      row(s.schoolId, {
        type: 'person.notify',
        personId: s.teacher.personId,
        incidentId: s.incidentId,
        event,
      });

    // Reported: one card, nothing else.
    const sent: Body[] = [];
    const first = nock(CONNECTOR)
      .post(activities, (body) => sent.push(body) > 0)
      .reply(201, { id: '1700000000101' });
    await deliverer.deliver(notify('reported'));
    expect(first.isDone()).toBe(true);
    expect(sent).toHaveLength(1);
    expect(await findStatusMessage(database.db, s.schoolId, s.incidentId, s.teacher.personId)).toEqual({
      channel: personal,
      postedId: '1700000000101',
    });

    // Claimed: that card is replaced in place, and the step is a short message under it.
    expect((await claimIncident(s.tech.ctx, { incidentId: s.incidentId })).ok).toBe(true);
    let updated: Body | undefined;
    const put = nock(CONNECTOR)
      .put(`${activities}/1700000000101`, (body) => {
        updated = body;
        return true;
      })
      .reply(200, { id: '1700000000101' });
    const line = nock(CONNECTOR)
      .post(activities, (body) => sent.push(body) > 0)
      .reply(201, { id: '1700000000103' });
    await deliverer.deliver(notify('claimed'));
    expect(put.isDone() && line.isDone()).toBe(true);
    expect(JSON.stringify(cardOf(updated)?.content)).toContain('Claimed by **Sam Tech** — being worked on');
    expect(sent[1]).toMatchObject({ type: 'message', textFormat: 'markdown' });
    expect(sent[1]?.text).toContain('**Sam Tech** is now working on your fault **INC-1**');
    expect(sent[1]?.attachments).toBeUndefined();

    // Deleted from the chat (404): a fresh card is sent and kept, then the step.
    const gone = nock(CONNECTOR)
      .put(`${activities}/1700000000101`)
      .reply(404, { error: { code: 'NotFound' } });
    const fresh = nock(CONNECTOR)
      .post(activities, (body) => sent.push(body) > 0)
      .reply(201, { id: '1700000000102' })
      .post(activities, (body) => sent.push(body) > 0)
      .reply(201, { id: '1700000000104' });
    await deliverer.deliver(notify('claimed'));
    expect(gone.isDone() && fresh.isDone()).toBe(true);
    expect(cardOf(sent[2])).toBeDefined();
    expect(sent[3]?.text).toContain('is now working on your fault');
    expect(
      (await findStatusMessage(database.db, s.schoolId, s.incidentId, s.teacher.personId))?.postedId,
    ).toBe('1700000000102');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('waits for the SPOC channel when the school has none yet', async () => {
    const s = await teamsSchool();
    const { db } = database;
    const { schools } = await import('../../../src/db/schema');
    const { eq } = await import('drizzle-orm');
    await db.update(schools).set({ teamsChannelId: null }).where(eq(schools.id, s.schoolId));
    const waiting = await failureOf(
      deliverer.deliver(row(s.schoolId, { type: 'incident.card', incidentId: s.incidentId })),
    );
    expect(waiting.message).toContain('no SPOC channel yet');
    expect(waiting.options).toMatchObject({ waiting: true });
  });

  it('retries a 429 at its Retry-After, a 503 with backoff, waits on 403 and gives up on 400', async () => {
    const s = await teamsSchool();
    const card = () =>
      deliverer.deliver(row(s.schoolId, { type: 'incident.card', incidentId: s.incidentId }));
    // One connector call each: botbuilder's own retries are off (connector-retries.test.ts).
    nock(CONNECTOR)
      .post('/uk/v3/conversations')
      .reply(429, { error: { code: 'TooManyRequests' } }, { 'Retry-After': '1' });
    const limited = await failureOf(card());
    expect(limited.options).toMatchObject({ waiting: true, at: new Date(clock.now().getTime() + 1_000) });

    nock(CONNECTOR).post('/uk/v3/conversations').reply(503, {}, { 'Retry-After': '1' });
    const unavailable = await failureOf(card());
    expect(unavailable.options.permanent).toBeFalsy();
    expect(unavailable.options.waiting).toBeFalsy();

    nock(CONNECTOR)
      .post('/uk/v3/conversations')
      .reply(403, { error: { code: 'BotNotInConversationRoster' } });
    const removed = await failureOf(card());
    expect(removed.options).toMatchObject({ waiting: true });
    expect(logLines.join('\n')).toContain('SPOC may have been removed');

    nock(CONNECTOR)
      .post('/uk/v3/conversations')
      .reply(400, { error: { code: 'BadSyntax' } });
    expect((await failureOf(card())).options.permanent).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  }, 20_000);

  it('records a provider escalation, and a diary announcement for a channel not of the school, as never sent in Teams, saying why', async () => {
    const s = await teamsSchool();
    const escalation = await failureOf(
      deliverer.deliver(
        row(s.schoolId, {
          type: 'provider.escalation',
          incidentId: s.incidentId,
          escalationId: randomUUID(),
        }),
      ),
    );
    expect(escalation.options.permanent).toBe(true);
    expect(escalation.message).toContain('Slack channel');
    const diary = await failureOf(
      deliverer.deliver(
        row(s.schoolId, { type: 'diary.announce', diaryEntryId: randomUUID(), channel: 'C1' }),
      ),
    );
    expect(diary.options.permanent).toBe(true);
  });
});
