/**
 * Presses on the Teams incident card (`adaptiveCard/action` invokes): Claim claims in the database
 * and answers with the refreshed card, a second technician gets the card back saying who has it,
 * and `refresh` answers with the card as it is. No connector call is made (the network is off).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCardAction } from '../../../src/bot/teams/actions';
import { getIncidentDetail } from '../../../src/db/queries/incidents';
import { setPersonRole } from '../../../src/db/queries/people';
import { fixedClock } from '../../../src/domain/clock';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import type { Role } from '../../../src/domain/roles';
import { actorOf, identifyTeamsUser } from '../../../src/domain/schools/identify';
import { createLogger } from '../../../src/log';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0 } from '../../support/factories';
import { BOT, SERVICE_URL } from '../../support/teams-activities';

const clock = fixedClock(T0);
const log = createLogger('silent');
let database: TestDatabase;
let kicks = 0;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

const hex = () => randomBytes(8).toString('hex');
type Context = Parameters<typeof handleCardAction>[1];
type Value = Parameters<typeof handleCardAction>[2];

async function teamsSchool() {
  const db = database.db;
  const tenantId = randomUUID();
  const teamId = `19:${hex()}@thread.tacv2`;
  const channelId = `19:${hex()}@thread.tacv2`;
  const who = async (name: string, role: Role) => {
    const user = { id: `29:${hex()}`, name, aadObjectId: randomUUID() };
    const found = await identifyTeamsUser(db, clock, {
      tenantId,
      teamId,
      aadObjectId: user.aadObjectId,
      userId: user.id,
      userName: name,
    });
    if (!found.ok) throw new Error(found.error.message);
    if (role !== 'teacher')
      await setPersonRole(db, found.value.school.id, found.value.person.id, role, clock.now());
    return {
      user,
      personId: found.value.person.id,
      schoolId: found.value.school.id,
      ctx: { db, clock, actor: actorOf({ ...found.value.person, role }) },
    };
  };
  const teacher = await who('Megan Bowen', 'teacher');
  const sam = await who('Sam Tech', 'technician');
  const alex = await who('Alex Tech', 'technician');
  const report = await reportFault(teacher.ctx, {
    summary: 'Projector in Room 4',
    urgency: 'lesson_stopped',
  });
  if (!report.ok) throw new Error(report.error.message);
  /** A press on the card in the SPOC channel, as Teams sends it. */
  const press = (from: { id: string; name: string; aadObjectId: string }, verb: string) => {
    const activity = {
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: hex(),
      serviceUrl: SERVICE_URL,
      channelId: 'msteams',
      from,
      recipient: BOT,
      conversation: {
        isGroup: true,
        conversationType: 'channel',
        tenantId,
        id: `${channelId};messageid=1700000000001`,
      },
      channelData: { tenant: { id: tenantId }, team: { id: teamId }, channel: { id: channelId } },
      value: {
        action: { type: 'Action.Execute', verb, data: { value: report.value.incident.id } },
        trigger: 'manual',
      },
    };
    return handleCardAction(
      { db, clock, log, kick: () => void kicks++ },
      { activity } as unknown as Context,
      activity.value as unknown as Value,
    );
  };
  return { schoolId: teacher.schoolId, incidentId: report.value.incident.id, teacher, sam, alex, press };
}

type Card = {
  body: Array<{ type: string; text?: string; facts?: Array<{ title: string; value: string }> }>;
  actions?: Array<{ verb?: string; data?: { verb?: string } }>;
};
const cardIn = (response: Awaited<ReturnType<typeof handleCardAction>>) => {
  expect(response).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return response.value as unknown as Card;
};
const assigneeOn = (card: Card) =>
  card.body.find((e) => e.type === 'FactSet')?.facts?.find((f) => f.title === 'Assignee')?.value;

describe('card actions in Teams', () => {
  it('claims on Claim and answers with the refreshed card, with no Claim for the claimer', async () => {
    const s = await teamsSchool();
    const before = kicks;
    const card = cardIn(await s.press(s.sam.user, 'incident.claim'));
    const stored = await getIncidentDetail(database.db, s.schoolId, s.incidentId);
    expect(stored?.assigneeId).toBe(s.sam.personId);
    expect(stored?.status).toBe('in_progress');
    expect(kicks).toBe(before + 1);
    expect(card.actions?.map((a) => a.verb)).not.toContain('incident.claim');
    // Resolve opens a dialog, so its verb is in its data.
    expect(card.actions?.map((a) => a.verb ?? a.data?.verb)).toContain('incident.resolve');
    expect(assigneeOn(card)).toBe('**Sam Tech**');
    expect(card).toMatchObject({ version: '1.5', refresh: { action: { verb: 'refresh' } } });
  });

  it('gives a second technician the card back, saying who has it, and changes nothing', async () => {
    const s = await teamsSchool();
    cardIn(await s.press(s.sam.user, 'incident.claim'));
    const card = cardIn(await s.press(s.alex.user, 'incident.claim'));
    expect(card.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Already claimed by Sam Tech.',
      color: 'Attention',
    });
    expect(assigneeOn(card)).toBe('**Sam Tech**');
    expect((await getIncidentDetail(database.db, s.schoolId, s.incidentId))?.assigneeId).toBe(s.sam.personId);
  });

  it("refuses a teacher's Claim in the domain's words, and answers refresh with the card as it is, with no actions for a teacher", async () => {
    const s = await teamsSchool();
    const refused = cardIn(await s.press(s.teacher.user, 'incident.claim'));
    expect(refused.body[0]).toMatchObject({ type: 'TextBlock', color: 'Attention' });
    expect((await getIncidentDetail(database.db, s.schoolId, s.incidentId))?.assigneeId).toBeNull();
    const fresh = cardIn(await s.press(s.teacher.user, 'refresh'));
    expect(fresh.actions).toBeUndefined();
    expect(fresh.body[0]?.text).toContain('Projector in Room 4');
  });

  it('answers a press not handled in Teams yet with a message', async () => {
    const s = await teamsSchool();
    const response = await s.press(s.sam.user, 'incident.unheardOf');
    expect(response).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
  });
});
