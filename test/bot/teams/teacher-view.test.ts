/**
 * The teacher's side in Teams, through `POST /api/messages` with signed activities and every
 * connector call pinned. `spoc incident INC-n` on a colleague's fault: not theirs, so only where it
 * stands and who has it (nothing of what is wrong, nor who reported it); a number the school does
 * not have, or another school's fault, is not found; the reporter sees it whole. The reporter's
 * one status card about a fault in the personal chat, updated in place at each step (each step a
 * short message under it), offers "Add a comment" only while the fault is open.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enqueue } from '../../../src/db/queries/outbox';
import { setPersonRole } from '../../../src/db/queries/people';
import { people } from '../../../src/db/schema';
import { systemClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import type { Role } from '../../../src/domain/roles';
import { actorOf, identifyTeamsUser } from '../../../src/domain/schools/identify';
import {
  COLLEAGUE,
  channelMessage,
  PERSONAL_CONVERSATION_ID,
  TEACHER,
  TEAM_ID,
  TENANT_ID,
} from '../../support/teams-activities';
import { type Card, cardOf, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';
import { must, until } from '../../support/wait';

const harness = useTeamsSpoc('spoc-teacher-view-key');
const { calls, db, post } = harness;
const { knownPerson, replyTo, sentTo, words, actionsOf, verbOf } = officeTools(harness, {
  idPrefix: { ask: 'f:teacher-' },
});

const clock = systemClock;

/** Someone of a team SPOC knows, with `role`, and a command context acting as them. */
async function member(
  who: { id: string; name: string; aadObjectId: string },
  role: Role,
  where = { tenantId: TENANT_ID, teamId: TEAM_ID },
): Promise<Ctx> {
  const found = await identifyTeamsUser(db(), clock, {
    ...where,
    aadObjectId: who.aadObjectId,
    userId: who.id,
    userName: who.name,
  });
  if (!found.ok) throw new Error(found.error.message);
  if (role !== 'teacher')
    await setPersonRole(db(), found.value.school.id, found.value.person.id, role, clock.now());
  return { db: db(), clock, actor: actorOf({ ...found.value.person, role }) };
}

const SAM = { id: `29:${randomUUID()}`, name: 'Sam Tech', aadObjectId: randomUUID() };
const OFFICE = { id: `29:${randomUUID()}`, name: 'Olive Office', aadObjectId: randomUUID() };

/** The school set up by Megan in its team's channel, then Megan made a teacher. */
async function school() {
  await post(channelMessage('spoc setup', '201'));
  const { person } = await knownPerson(TEACHER, 'no Megan');
  await db().update(people).set({ role: 'teacher' }).where(eq(people.id, person.id));
  const megan = (await knownPerson(TEACHER, 'no Megan')).ctx;
  return {
    megan,
    adele: await member(COLLEAGUE, 'teacher'),
    sam: await member(SAM, 'technician'),
    office: await member(OFFICE, 'office'),
  };
}

let known: Awaited<ReturnType<typeof school>> | undefined;
const staff = async () => {
  known ??= await school();
  return known;
};

/** The notices SPOC has sent to Megan's personal chat (not replies), as cards. */
const notices = (): Card[] =>
  sentTo(PERSONAL_CONVERSATION_ID)
    .filter((c) => !c.path.includes('/activities/'))
    .map(cardOf)
    .filter((card) => card !== undefined);

/** The latest update in place of Megan's status card that says `text`. */
const statusUpdate = (text: string): Card | undefined =>
  calls
    .filter((c) => c.method === 'PUT' && c.path.includes(PERSONAL_CONVERSATION_ID))
    .map(cardOf)
    .findLast((card) => card !== undefined && words(card).includes(text));

/** A step's short message (no card) in Megan's chat that says `text`. */
const stepLine = (text: string) =>
  sentTo(PERSONAL_CONVERSATION_ID).find(
    (c) => !c.path.includes('/activities/') && !cardOf(c) && String(c.body.text ?? '').includes(text),
  );

describe("the teacher's side in Teams", () => {
  it("spoc incident on a colleague's fault: not theirs, and only where it stands", async () => {
    const { adele, sam } = await staff();
    const { incident } = must(
      await reportFault(adele, { summary: 'Laptop of the head is locked', urgency: 'today' }),
    );
    const ref = `INC-${incident.number}`;

    const waiting = await replyTo(`spoc incident ${ref}`);
    expect(words(waiting)).toContain(
      `That is not one of your reports. **${ref}** is New: nobody has picked it up yet.`,
    );

    must(await claimIncident(sam, { incidentId: incident.id }));
    const notMine = await replyTo(`spoc incident ${ref}`);
    expect(words(notMine)).toContain(
      `That is not one of your reports. **${ref}** is In progress with **Sam Tech**.`,
    );
    expect(words(notMine)).toContain('`spoc incidents reported` lists the faults you reported.');
    expect(words(notMine)).not.toContain('Laptop');
    expect(words(notMine)).not.toContain('Adele');
    expect(words(notMine)).not.toContain("couldn't find");
    expect(actionsOf(notMine)).toHaveLength(0);

    // Adele, who reported it, sees it whole.
    const whole = await replyTo(`spoc incident ${ref}`, COLLEAGUE);
    expect(words(whole)).toContain('Laptop of the head is locked');
    expect(words(whole)).toContain('**History**');
  });

  it("a number the school does not have, or another school's fault, is not found", async () => {
    await staff();
    expect(words(await replyTo('spoc incident INC-999'))).toContain(
      "I couldn't find that incident in your school.",
    );
    const elsewhere = { tenantId: randomUUID(), teamId: `19:${randomUUID()}@thread.tacv2` };
    const stranger = { id: `29:${randomUUID()}`, name: 'Other Teacher', aadObjectId: randomUUID() };
    const theirs = must(
      await reportFault(await member(stranger, 'teacher', elsewhere), {
        summary: 'Secret fault',
        urgency: 'today',
      }),
    ).incident;
    const answer = await replyTo(`spoc incident ${theirs.id}`);
    expect(words(answer)).toContain("I couldn't find that incident in your school.");
    expect(words(answer)).not.toContain('Secret');
    expect(words(answer)).not.toContain('not one of your reports');
  });

  it('the status card offers Add a comment while the fault is open, and none once it is closed', async () => {
    const { megan, sam, office } = await staff();
    calls.splice(0);
    const { incident } = must(await reportFault(megan, { summary: 'Projector is dark', urgency: 'today' }));
    // Reported: one card in Megan's chat, the fault's status card.
    const status = await until(
      () => notices().find((c) => words(c).includes('Projector is dark')),
      'the status card',
    );
    expect(words(status)).toContain('Reported — waiting for someone to pick it up');

    calls.splice(0);
    must(await claimIncident(sam, { incidentId: incident.id }));
    const claimed = await until(() => statusUpdate('Claimed by'), 'the status card updated');
    expect(actionsOf(claimed).find((a) => verbOf(a) === 'reporter.comment')).toMatchObject({
      type: 'Action.Submit',
      title: 'Add a comment or photo link',
      data: { value: incident.id },
    });
    // The step is a short message under it, which tells her; no second card.
    expect(await until(() => stepLine('is now working on your fault'), 'the step')).toBeTruthy();
    expect(notices()).toHaveLength(0);

    calls.splice(0);
    must(await closeIncident(office, { incidentId: incident.id, note: 'Duplicate of another report' }));
    const closed = await until(() => statusUpdate('It was closed without a fix'), 'the closed status');
    expect(actionsOf(closed)).toHaveLength(0);
    await until(() => stepLine('was closed without a fix'), 'the closed step');

    // A notice that reaches Megan only after the fault was closed (sent late): the card stays without the button.
    calls.splice(0);
    await enqueue(
      db(),
      megan.actor.schoolId,
      [{ type: 'person.notify', personId: megan.actor.personId, incidentId: incident.id, event: 'claimed' }],
      clock.now(),
    );
    await until(() => stepLine('is now working on your fault'), 'the late step');
    const late = await until(() => statusUpdate('Closed'), 'the status card');
    expect(actionsOf(late).some((a) => verbOf(a) === 'reporter.comment')).toBe(false);
  });
});
