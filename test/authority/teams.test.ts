/**
 * `spoc authority` in Teams, in the authority's own team, through `POST /api/messages` with signed
 * activities and every connector call pinned: the member school's overview (never a school that is
 * not a member), an incident it escalated opened, the authority's update and its hand-back said
 * once, and the same words refused in a school's own team.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { people, schools } from '../../src/db/schema';
import { addMember, makeAuthority } from '../../src/domain/authority/members';
import { systemClock } from '../../src/domain/clock';
import { claimIncident } from '../../src/domain/incidents/claim-incident';
import { escalateIncident } from '../../src/domain/incidents/escalate-incident';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { makeSchool } from '../support/factories';
import { channelMessage, TEACHER } from '../support/teams-activities';
import { useTeamsSpoc } from '../support/teams-harness';
import { officeTools } from '../support/teams-office';
import { must } from '../support/wait';

const harness = useTeamsSpoc('spoc-authority-key');
const { db, post } = harness;
const { knownPerson, replyTo, words } = officeTools(harness, { idPrefix: { ask: 'f:auth-' } });

/** A Slack school with a fault its technician has taken on. */
async function schoolWithFault(name: string, summary: string) {
  const school = await makeSchool(db(), { clock: systemClock });
  await db().update(schools).set({ name }).where(eq(schools.id, school.schoolId));
  const office = await school.person('office');
  const tech = await school.person('technician');
  const teacher = await school.person('teacher');
  const incident = must(await reportFault(teacher, { summary, urgency: 'today' })).incident;
  must(await claimIncident(tech, { incidentId: incident.id }));
  return { school, office, incident };
}

describe('spoc authority in Teams', () => {
  it('lists the member school, opens, updates and hands back what it escalated, and refuses elsewhere', async () => {
    await post(channelMessage('spoc setup', 'auth-setup'));
    const megan = await knownPerson(TEACHER);
    // In a school's own team, the same words are refused.
    expect(words(await replyTo('spoc authority'))).toContain("not an authority's");

    const authorityId = megan.ctx.actor.schoolId;
    await db().update(schools).set({ name: 'Essex ICT' }).where(eq(schools.id, authorityId));
    must(await makeAuthority({ db: db(), clock: systemClock }, { schoolId: authorityId }));
    const member = await schoolWithFault('Hillside Primary', 'Hillside server down');
    const outsider = await schoolWithFault('Riverside Infants', 'Riverside secret fault');
    const joined = must(
      await addMember({ db: db(), clock: systemClock }, { authorityId, schoolId: member.school.schoolId }),
    );
    must(
      await escalateIncident(member.office, {
        incidentId: member.incident.id,
        providerId: joined.provider.id,
        note: 'Over to Essex, please',
      }),
    );
    await db().update(people).set({ role: 'authority' }).where(eq(people.id, megan.person.id));

    const overview = words(await replyTo('spoc authority'));
    expect(overview).toContain('Hillside Primary');
    expect(overview).toContain('Escalated to you: 1');
    expect(overview).toContain(`spoc authority open \\"Hillside Primary\\" INC-${member.incident.number}`);
    expect(overview).not.toContain('Riverside');

    const ref = `INC-${member.incident.number}`;
    const opened = words(await replyTo(`spoc authority open Hillside ${ref}`));
    expect(opened).toContain('Hillside server down');
    expect(opened).not.toContain('Action.Execute');
    expect(words(await replyTo(`spoc authority open Riverside INC-${outsider.incident.number}`))).toContain(
      'None of your member schools is called that.',
    );
    expect(words(await replyTo(`spoc authority update Hillside ${ref} New disk fitted`))).toContain(
      `Your update on ${ref} is recorded at Hillside Primary.`,
    );
    expect(words(await replyTo(`spoc authority handback Hillside ${ref} All yours`))).toContain(
      `${ref} is handed back to Hillside Primary.`,
    );
    expect(words(await replyTo(`spoc authority handback Hillside ${ref}`))).toContain(
      `${ref} at Hillside Primary is not escalated to you.`,
    );
  });
});
