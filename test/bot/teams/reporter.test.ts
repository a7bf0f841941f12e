/**
 * The reporter's Fixed / Still broken in their personal chat, through `POST /api/messages` with
 * signed `adaptiveCard/action` invokes: Fixed closes the fault, Still broken reopens it, each
 * answered with the notice that replaces the buttons (Slack's words); only the reporter may
 * answer, and a second press changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import nock from 'nock';
import { beforeAll, describe, expect, it } from 'vitest';
import { setPersonRole } from '../../../src/db/queries/people';
import { incidents } from '../../../src/db/schema';
import { systemClock } from '../../../src/domain/clock';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { actorOf, identifyTeamsUser } from '../../../src/domain/schools/identify';
import { COLLEAGUE, personalMessage, TEACHER, TEAM_ID, TENANT_ID } from '../../support/teams-activities';
import { useTeamsSpoc } from '../../support/teams-harness';

// The outbox may send the reporter's notices meanwhile; whatever it sends is accepted.
const { db, post } = useTeamsSpoc('spoc-reporter-key', { recordConnector: false });
beforeAll(() => {
  nock('https://smba.trafficmanager.net')
    .persist()
    .post(/.*/)
    .reply(200, { id: '1:sent' })
    .put(/.*/)
    .reply(200, { id: '1:sent' });
});

const clock = systemClock;

async function person(who: { id: string; name: string; aadObjectId: string }) {
  const found = await identifyTeamsUser(db(), clock, {
    tenantId: TENANT_ID,
    teamId: TEAM_ID,
    aadObjectId: who.aadObjectId,
    userId: who.id,
    userName: who.name,
  });
  if (!found.ok) throw new Error(found.error.message);
  return found.value;
}

/** A fault the teacher reported and a technician resolved. */
async function resolvedFault(summary: string): Promise<string> {
  const teacher = await person(TEACHER);
  const tech = await person(COLLEAGUE);
  await setPersonRole(db(), tech.school.id, tech.person.id, 'technician', clock.now());
  const reported = await reportFault(
    { db: db(), clock, actor: actorOf(teacher.person) },
    { summary, urgency: 'today', submissionKey: `test:${randomUUID()}` },
  );
  if (!reported.ok) throw new Error(reported.error.message);
  const id = reported.value.incident.id;
  const resolved = await resolveIncident(
    { db: db(), clock, actor: actorOf({ ...tech.person, role: 'technician' }) },
    { incidentId: id, resolution: 'Replaced the cable' },
  );
  if (!resolved.ok) throw new Error(resolved.error.message);
  return id;
}

/** A press on the notice in the personal chat, as Teams sends it. */
async function press(verb: string, incidentId: string, from = TEACHER) {
  const { text: _t, textFormat: _f, ...message } = personalMessage('', `f:${randomUUID()}`);
  const res = await post({
    ...message,
    from,
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data: { value: incidentId } }, trigger: 'manual' },
  });
  return JSON.parse(res.text) as {
    statusCode: number;
    type: string;
    value: { body: Array<{ text?: string }>; actions?: Array<{ verb?: string }> } | string;
  };
}

const statusOf = async (id: string) =>
  (await db().select().from(incidents).where(eq(incidents.id, id)))[0]?.status;
const textOf = (answer: Awaited<ReturnType<typeof press>>) =>
  typeof answer.value === 'string' ? answer.value : answer.value.body.map((b) => b.text ?? '').join('\n');

describe("the reporter's Fixed / Still broken in Teams", () => {
  it('Fixed closes the fault and answers with its status card, closed, the thanks on it and its buttons gone', async () => {
    const id = await resolvedFault('Projector in Room 4');
    const answer = await press('reporter.fixed', id);
    expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(textOf(answer)).toContain('Thanks for letting us know');
    expect(textOf(answer)).toContain('is closed');
    // Still the fault's status card: where it stands, not only the thanks.
    expect(textOf(answer)).toContain('**Status:** Closed on ');
    expect(typeof answer.value !== 'string' && answer.value.actions).toBeFalsy();
    expect(await statusOf(id)).toBe('closed');
    // A second press changes nothing and says where it stands.
    const again = await press('reporter.stillBroken', id);
    expect(textOf(again)).toContain("so it can't be reopened");
    expect(await statusOf(id)).toBe('closed');
  });

  it('Still broken reopens the fault, with no Fixed / Still broken left', async () => {
    const id = await resolvedFault('Printer jammed');
    const answer = await press('reporter.stillBroken', id);
    expect(textOf(answer)).toContain("Sorry it's still not working.");
    expect(textOf(answer)).toContain('is open again and the ICT team has been told');
    expect(textOf(answer)).toContain('**Status:** Open again');
    const verbs = typeof answer.value === 'string' ? [] : (answer.value.actions ?? []).map((a) => a.verb);
    expect(verbs).not.toContain('reporter.fixed');
    expect(verbs).not.toContain('reporter.stillBroken');
    expect(await statusOf(id)).toBe('reopened');
  });

  it("refuses anyone but the reporter, in the domain's words", async () => {
    const id = await resolvedFault('Wi-Fi in the hall');
    const answer = await press('reporter.fixed', id, COLLEAGUE);
    expect(answer.type).toBe('application/vnd.microsoft.activity.message');
    expect(answer.value).toMatch(/^Only the person who reported INC-\d+ can answer for it\.$/);
    expect(await statusOf(id)).toBe('resolved');
  });
});
