/**
 * `spoc incident INC-n` as a teacher asks it: their own report in full, someone else's of their
 * school as only its public status (where it stands and who has it), another school's or none not
 * found; staff see any of their school's in full. `getIncident`, which acting on a fault reads,
 * still finds only what the person may see whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentAnswer } from '../../../src/domain/answers/incidents';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { getIncident, lookUpIncident } from '../../../src/domain/incidents/list-incidents';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { publicStatusLine } from '../../../src/domain/presenters/incidents';
import type { Presentation } from '../../../src/domain/presenters/presentation';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';
import { must } from '../../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

const notFound = {
  ok: false,
  error: { code: 'INCIDENT.NOT_FOUND', message: "I couldn't find that incident in your school." },
};
const said = (p: Presentation) => JSON.stringify(p);

describe('looking up one incident', () => {
  it("gives a teacher someone else's fault as its public status only", async () => {
    const school = await makeSchool(tdb.db);
    const patel = await school.person('teacher', 'Ms Patel');
    const jones = await school.person('teacher', 'Mr Jones');
    const sam = await school.person('technician', 'Sam Tech', 'U0SAMTECH1');
    const { incident } = must(
      await reportFault(patel, { summary: 'Private: laptop of the head', urgency: 'today' }),
    );
    const ref = `INC-${incident.number}`;

    expect(must(await lookUpIncident(jones, { ref }))).toEqual({
      seen: 'status',
      status: {
        number: incident.number,
        status: 'new',
        assignee: null,
        providerName: null,
      },
    });
    must(await claimIncident(sam, { incidentId: incident.id }));
    expect(must(await lookUpIncident(jones, { ref }))).toMatchObject({
      seen: 'status',
      status: { status: 'in_progress', assignee: { name: 'Sam Tech', slackUserId: 'U0SAMTECH1' } },
    });
    const answer = await incidentAnswer(jones, [ref]);
    expect(answer.text).toEqual([
      'That is not one of your reports. ',
      { bold: [ref] },
      ' is In progress',
      ' with ',
      { person: { name: 'Sam Tech', slackUserId: 'U0SAMTECH1' } },
      '.',
    ]);
    // Nothing of what is wrong, nor who reported it.
    expect(said(answer)).not.toContain('laptop');
    expect(said(answer)).not.toContain('Patel');
    expect(answer.actions).toEqual([]);
    // Acting on it (a comment) still finds nothing.
    expect(await getIncident(jones, { ref })).toEqual(notFound);

    // The reporter and staff see it whole.
    expect(must(await lookUpIncident(patel, { ref }))).toMatchObject({ seen: 'detail', viewer: 'reporter' });
    expect(must(await lookUpIncident(sam, { ref }))).toMatchObject({ seen: 'detail', viewer: 'staff' });
    expect(said(await incidentAnswer(sam, [ref]))).toContain('laptop');
    expect(said(await incidentAnswer(patel, [ref]))).toContain('laptop');

    const office = await school.person('office');
    must(await closeIncident(office, { incidentId: incident.id, note: 'Not ours' }));
    expect((await incidentAnswer(jones, [ref])).text).toEqual([
      'That is not one of your reports. ',
      { bold: [ref] },
      ' is Closed',
      '.',
    ]);
  });

  it('names the provider when no technician has it', () => {
    const line = publicStatusLine({
      number: 9,
      status: 'escalated',
      assignee: null,
      providerName: 'Acme IT',
    });
    expect(line).toEqual([
      { bold: ['INC-9'] },
      ' is Escalated',
      ' with ',
      { text: 'Acme IT', max: 100 },
      '.',
    ]);
  });

  it('says an unclaimed fault has nobody yet', async () => {
    const school = await makeSchool(tdb.db);
    const patel = await school.person('teacher');
    const jones = await school.person('teacher');
    const { incident } = must(await reportFault(patel, { summary: 'Printer', urgency: 'today' }));
    expect((await incidentAnswer(jones, [`INC-${incident.number}`])).text).toEqual([
      'That is not one of your reports. ',
      { bold: [`INC-${incident.number}`] },
      ' is New',
      ': nobody has picked it up yet.',
    ]);
  });

  it("never reveals another school's fault, nor one that does not exist", async () => {
    const a = await makeSchool(tdb.db);
    const b = await makeSchool(tdb.db);
    const teacherA = await a.person('teacher');
    const teacherB = await b.person('teacher');
    const adminB = await b.person('admin');
    const { incident } = must(await reportFault(teacherA, { summary: 'Secret A fault', urgency: 'today' }));
    for (const ctx of [teacherB, adminB]) {
      expect(await lookUpIncident(ctx, { ref: incident.id })).toEqual(notFound);
      expect(await lookUpIncident(ctx, { ref: 'INC-999' })).toEqual(notFound);
      expect(said(await incidentAnswer(ctx, [incident.id]))).toContain("I couldn't find that incident");
    }
    expect(await lookUpIncident(teacherA, { ref: 'INC-999' })).toEqual(notFound);
  });
});
