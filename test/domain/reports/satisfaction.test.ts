/**
 * Satisfaction in the service report: answered and 👍 share for the period, per school week and
 * per technician (the office's alone), from the questions asked in the period; a technician gets
 * no report, and a report made for someone without `report.byPerson` holds no per-technician
 * figures or comments at all.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { confirmFixed } from '../../../src/domain/incidents/reporter-response';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { commentOnSatisfaction, rateIncident } from '../../../src/domain/incidents/satisfaction';
import { presentServiceReport } from '../../../src/domain/presenters/service-report';
import { reportCsv } from '../../../src/domain/reports/report-csv';
import { serviceReport } from '../../../src/domain/reports/run-service-report';
import { computeSatisfaction, type ReportAsked } from '../../../src/domain/reports/satisfaction';
import { can, FORBIDDEN, ROLES } from '../../../src/domain/roles';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool, type TestSchool } from '../../support/factories';
import { must } from '../../support/wait';

const SAM = { id: 'sam', name: 'Sam Tech' };
const ALEX = { id: 'alex', name: 'Alex Wilber' };

const asked = (
  at: string,
  rating: 'up' | 'down' | null,
  technician: { id: string; name: string } | null,
  comment = '',
): ReportAsked => ({
  incidentNumber: 1,
  askedAt: new Date(at),
  rating,
  comment,
  answeredAt: rating ? new Date(at) : null,
  technician,
});

describe('the figures', () => {
  const rows = [
    asked('2026-11-24T10:00:00Z', 'up', SAM),
    asked('2026-11-25T10:00:00Z', 'down', ALEX, 'Took three days'),
    asked('2026-11-30T09:00:00Z', 'up', SAM, 'Quick'),
    asked('2026-12-01T09:00:00Z', null, SAM),
    asked('2026-12-02T09:00:00Z', 'up', null),
  ];

  it('counts asked, answered and the 👍 share of the answers, per school week and per technician', () => {
    const s = computeSatisfaction(rows, 'Europe/London', true);
    expect(s.all).toEqual({ asked: 5, answered: 4, up: 3, down: 1, upPercent: 75 });
    expect(s.weeks).toEqual([
      { from: '2026-11-23', tally: { asked: 2, answered: 2, up: 1, down: 1, upPercent: 50 } },
      { from: '2026-11-30', tally: { asked: 3, answered: 2, up: 2, down: 0, upPercent: 100 } },
    ]);
    expect(s.byTechnician).toEqual([
      { name: 'Sam Tech', tally: { asked: 3, answered: 2, up: 2, down: 0, upPercent: 100 } },
      { name: 'Alex Wilber', tally: { asked: 1, answered: 1, up: 0, down: 1, upPercent: 0 } },
      { name: 'Nobody assigned', tally: { asked: 1, answered: 1, up: 1, down: 0, upPercent: 100 } },
    ]);
    expect(s.comments?.map((c) => [c.comment, c.rating, c.technicianName])).toEqual([
      ['Quick', 'up', 'Sam Tech'],
      ['Took three days', 'down', 'Alex Wilber'],
    ]);
  });

  it('counts the week in the school time zone: Sunday 23:30 UTC in June is Monday in London', () => {
    const s = computeSatisfaction([asked('2026-06-07T23:30:00Z', 'up', SAM)], 'Europe/London', true);
    expect(s.weeks.map((w) => w.from)).toEqual(['2026-06-08']);
  });

  it('leaves out per technician figures and comments for anyone who may not see them', () => {
    const s = computeSatisfaction(rows, 'Europe/London', false);
    expect(s.byTechnician).toBeNull();
    expect(s.comments).toBeNull();
    expect(s.all.answered).toBe(4);
  });
});

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

/** A fault reported, resolved by `tech`, Fixed at `at` and answered `rating` (null: not answered). */
async function answered(
  s: TestSchool,
  tech: Awaited<ReturnType<TestSchool['person']>>,
  at: string,
  rating: 'up' | 'down' | null,
  comment?: string,
) {
  const teacher = await s.person('teacher', 'Ms Patel');
  s.clock.set(at);
  const { incident } = must(await reportFault(teacher, { summary: 'Printer jammed', urgency: 'today' }));
  must(await claimIncident(tech, { incidentId: incident.id }));
  must(await resolveIncident(tech, { incidentId: incident.id, resolution: 'Cleared it' }));
  must(await confirmFixed(teacher, { incidentId: incident.id }));
  if (rating) must(await rateIncident(teacher, { incidentId: incident.id, rating }));
  if (comment) must(await commentOnSatisfaction(teacher, { incidentId: incident.id, comment }));
}

describe('the service report', () => {
  let s: TestSchool;
  let office: Awaited<ReturnType<TestSchool['person']>>;
  let admin: Awaited<ReturnType<TestSchool['person']>>;
  let sam: Awaited<ReturnType<TestSchool['person']>>;

  beforeAll(async () => {
    s = await makeSchool(tdb.db);
    office = await s.person('office', 'Mrs Office');
    admin = await s.person('admin', 'Mr Head');
    sam = await s.person('technician', 'Sam Tech');
    const alex = await s.person('technician', 'Alex Wilber');
    await answered(s, sam, '2026-11-24T10:00:00Z', 'up');
    await answered(s, alex, '2026-11-25T10:00:00Z', 'down', 'Took three days');
    await answered(s, sam, '2026-11-30T10:00:00Z', 'up');
    await answered(s, sam, '2026-12-01T10:00:00Z', null);
    // Another school's answers are never counted here.
    const other = await makeSchool(tdb.db);
    await answered(other, await other.person('technician'), '2026-11-30T11:00:00Z', 'down');
    s.clock.set('2026-12-02T12:00:00Z');
  });

  it('this week: answered and the 👍 share', async () => {
    const r = must(await serviceReport(office, { period: 'week' }));
    expect(r.satisfaction.all).toEqual({ asked: 2, answered: 1, up: 1, down: 0, upPercent: 100 });
    expect(r.satisfaction.weeks.map((w) => w.from)).toEqual(['2026-11-30']);
  });

  it('the term: per week, and per technician for the office and admins', async () => {
    for (const who of [office, admin]) {
      const r = must(await serviceReport(who, { period: 'term' }));
      const sat = r.satisfaction;
      expect(sat.all).toEqual({ asked: 4, answered: 3, up: 2, down: 1, upPercent: 67 });
      expect(sat.weeks).toEqual([
        { from: '2026-11-23', tally: { asked: 2, answered: 2, up: 1, down: 1, upPercent: 50 } },
        { from: '2026-11-30', tally: { asked: 2, answered: 1, up: 1, down: 0, upPercent: 100 } },
      ]);
      expect(sat.byTechnician?.map((t) => [t.name, t.tally.answered, t.tally.upPercent])).toEqual([
        ['Sam Tech', 2, 100],
        ['Alex Wilber', 1, 0],
      ]);
      expect(sat.comments?.map((c) => c.comment)).toEqual(['Took three days']);
    }
    const r = must(await serviceReport(office, { period: 'term' }));
    const said = JSON.stringify(presentServiceReport(r));
    expect(said).toContain('Satisfaction per technician');
    expect(said).toContain('3 of 4 answered · 👍 2 of 3 (67%)');
    expect(said).toContain('Week of Mon 23 Nov 2026: 2 of 2 answered · 👍 1 of 2 (50%)');
    const csv = parse(reportCsv(r).replace(/^\uFEFF/, ''), { columns: true }) as Array<
      Record<string, string>
    >;
    const cell = (section: string, item: string, measure: string) =>
      csv.find((row) => row.Section === section && row.Item === item && row.Measure === measure)?.Value;
    expect(cell('Satisfaction', 'All', '% thumbs up')).toBe('67');
    expect(cell('Satisfaction by week', 'Week of 23/11/2026', 'Answered')).toBe('2');
    expect(cell('Satisfaction by technician', 'Alex Wilber', 'Thumbs down')).toBe('1');
    expect(cell('Satisfaction comments', 'INC-2', 'Thumbs down')).toBe('Took three days');
  });

  it('only the office and admins may see figures per technician', () => {
    expect(ROLES.filter((r) => can(r, 'report.byPerson'))).toEqual(['office', 'admin']);
    expect(ROLES.filter((r) => can(r, 'report.view'))).toEqual(['office', 'admin']);
  });

  it('a technician gets no report, so never anyone’s figures', async () => {
    for (const period of ['week', 'term']) {
      expect(await serviceReport(sam, { period })).toEqual({
        ok: false,
        error: { code: 'AUTH.FORBIDDEN', message: FORBIDDEN['report.view'] },
      });
    }
  });

  it('a report without per technician figures says none of them, in the message or the CSV', async () => {
    const r = must(await serviceReport(office, { period: 'term' }));
    const { satisfaction } = r;
    const bare = {
      ...r,
      satisfaction: { ...satisfaction, byTechnician: null, comments: null },
    };
    const said = JSON.stringify(presentServiceReport(bare));
    expect(said).toContain('3 of 4 answered');
    expect(said).not.toContain('Sam Tech');
    expect(said).not.toContain('Took three days');
    expect(reportCsv(bare)).not.toContain('Satisfaction by technician');
    expect(reportCsv(bare)).not.toContain('Took three days');
  });
});
