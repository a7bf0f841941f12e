import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findIncidentBySubmission, listIncidentEvents } from '../../../src/db/queries/incidents';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { fixedClock } from '../../../src/domain/clock';
import { DEMO_INCIDENTS } from '../../../src/domain/demo/demo-incidents';
import { DEMO_TEAM_ID } from '../../../src/domain/demo/demo-school';
import { formatDemoSummary, seedDemo } from '../../../src/domain/demo/seed-demo';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { STATUSES } from '../../../src/domain/incidents/state-machine';
import { registerAsset } from '../../../src/domain/registers/assets';
import { isSchoolTime, makeCalendar } from '../../../src/domain/school-time';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';
import { must } from '../../support/wait';

/** A Wednesday in term, mid-morning in London. */
const NOW = '2026-11-25T10:30:00Z';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

/** A fingerprint of every row of every table that belongs to the school: any change shows. */
async function fingerprint(schoolId: string): Promise<Record<string, string>> {
  const tables = await tdb.rows<{ table_name: string }>(
    sql`select table_name from information_schema.columns
        where column_name = 'school_id' and table_schema = current_schema() order by table_name`,
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    const [row] = await tdb.rows<{ n: number; h: string | null }>(
      sql`select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h
          from ${sql.identifier(table_name)} t where t.school_id = ${schoolId}`,
    );
    out[table_name] = `${row?.n}:${row?.h ?? ''}`;
  }
  const [school] = await tdb.rows<{ s: string }>(
    sql`select s::text as s from schools s where s.id = ${schoolId}`,
  );
  out.schools = school?.s ?? '';
  return out;
}

describe('seedDemo', { timeout: 120_000 }, () => {
  let other: Awaited<ReturnType<typeof makeSchool>>;
  let otherBefore: Record<string, string>;

  it('fills the demo school through the commands, leaving another school alone', async () => {
    other = await makeSchool(tdb.db);
    const office = await other.person('office', 'Other office');
    must(
      await registerAsset(office, {
        tag: 'HPS-D01',
        type: 'desktop',
        make: 'Dell',
        model: '',
        serial: '',
        locationId: null,
        supplier: '',
        purchaseDate: null,
        costPence: null,
        warrantyEnd: null,
        status: 'in_use',
        notes: '',
      }),
    );
    const teacher = await other.person('teacher', 'Other teacher');
    must(await reportFault(teacher, { summary: 'Printer offline', urgency: 'today' }));
    otherBefore = await fingerprint(other.schoolId);

    const summary = await seedDemo(tdb.db, fixedClock(NOW));

    expect(summary).toMatchObject({
      seeded: true,
      schoolName: 'Hillside Primary (demo)',
      teamId: DEMO_TEAM_ID,
      channelId: 'C0PLAYSPOC',
      today: '2026-11-25',
      people: 6,
      locations: 14,
      assets: 40,
      assetsInRepair: 2,
      warrantiesEnding: 3,
      licences: 5,
      overDeployedLicences: 1,
      expiringLicences: 1,
      providers: 2,
      contracts: 2,
      contractsInNotice: 1,
      paymentsOverdue: 1,
      diaryEntries: 4,
      changes: 1,
      problems: 1,
      incidents: DEMO_INCIDENTS.length,
    });
    expect(summary.paymentsDueThisWeek).toBeGreaterThanOrEqual(1);
    for (const status of STATUSES)
      expect(summary.incidentsByStatus[status], status).toBeGreaterThanOrEqual(1);
    expect(await fingerprint(other.schoolId)).toEqual(otherBefore);

    const lines = formatDemoSummary(summary);
    expect(lines[0]).toBe(
      'Hillside Primary (demo) (Slack team T0PLAYGRND, SPOC channel C0PLAYSPOC): demo data added.',
    );
    expect(lines).toContain('  assets: 40 (3 warranties ending within 30 days, 2 in repair)');
    expect(lines.at(-1)).toMatch(
      /^ {2}incidents: 13 \(new 2, triaged 1, assigned 1, in progress 1, escalated 1, on hold 1, resolved 1, reopened 1, closed 4\)$/,
    );
  });

  it('leaves each fault where its script says, with history spread over school time', async () => {
    const school = await findSchoolBySlackTeam(tdb.db, DEMO_TEAM_ID);
    if (!school) throw new Error('no demo school');
    const cal = makeCalendar();
    const now = new Date(NOW);
    const kinds = new Set<string>();
    let earliest = now;
    for (const script of DEMO_INCIDENTS) {
      const incident = await findIncidentBySubmission(tdb.db, school.id, `demo-seed:${script.key}`);
      expect(incident?.status, script.key).toBe(script.ends);
      const events = await listIncidentEvents(tdb.db, school.id, incident?.id ?? '');
      expect(events.length, script.key).toBe(script.steps.length + 1);
      for (const e of events) {
        kinds.add(e.kind);
        expect(e.createdAt <= now, `${script.key} ${e.kind} not in the future`).toBe(true);
        expect(
          isSchoolTime(cal, e.createdAt),
          `${script.key} ${e.kind} at ${e.createdAt.toISOString()}`,
        ).toBe(true);
        if (e.createdAt < earliest) earliest = e.createdAt;
      }
    }
    expect(now.getTime() - earliest.getTime()).toBeGreaterThan(10 * 86_400_000);
    expect([...kinds].sort()).toEqual(
      [
        'assigned',
        'claimed',
        'closed',
        'comment',
        'confirmed',
        'escalated',
        'on_hold',
        'reopened',
        'reported',
        'resolved',
        'resumed',
        'triaged',
      ].sort(),
    );

    const [escalation] = await tdb.rows<{ ref: string }>(
      sql`select provider_ref as ref from escalations where school_id = ${school.id} and returned_at is null`,
    );
    expect(escalation?.ref).toBe('CICT-104233');
    const work = await tdb.rows<{ kind: string; status: string; updates: number; links: number }>(
      sql`select w.kind, w.status,
            (select count(*)::int from work_item_updates u where u.work_item_id = w.id and u.kind = 'progress') as updates,
            (select count(*)::int from work_item_incidents l where l.work_item_id = w.id) as links
          from work_items w where w.school_id = ${school.id} order by w.kind`,
    );
    expect(work).toEqual([
      { kind: 'change', status: 'in_progress', updates: 2, links: 1 },
      { kind: 'problem', status: 'in_progress', updates: 2, links: 3 },
    ]);
    // The commands' messages wait for a deliverer (the playground's fake Slack).
    const [pending] = await tdb.rows<{ n: number }>(
      sql`select count(*)::int as n from outbox where school_id = ${school.id} and status = 'pending'`,
    );
    expect(pending?.n).toBeGreaterThan(20);
  });

  it('changes nothing when run again, and says so', async () => {
    const school = await findSchoolBySlackTeam(tdb.db, DEMO_TEAM_ID);
    if (!school) throw new Error('no demo school');
    const before = await fingerprint(school.id);
    const again = await seedDemo(tdb.db, fixedClock('2026-11-26T09:00:00Z'));
    expect(again.seeded).toBe(false);
    expect(again.incidents).toBe(DEMO_INCIDENTS.length);
    expect(formatDemoSummary(again)[0]).toContain('already seeded, nothing changed.');
    expect(await fingerprint(school.id)).toEqual(before);
    expect(await fingerprint(other.schoolId)).toEqual(otherBefore);
  });

  it('seeds on a weekend too, history falling on school days', async () => {
    const summary = await seedDemo(tdb.db, fixedClock('2026-11-29T15:00:00Z'), { teamId: 'T0WEEKEND1' });
    expect(summary.seeded).toBe(true);
    expect(summary.assets).toBe(40);
    for (const status of STATUSES)
      expect(summary.incidentsByStatus[status], status).toBeGreaterThanOrEqual(1);
    expect(summary.paymentsDueThisWeek).toBeGreaterThanOrEqual(1);
    expect(summary.contractsInNotice).toBe(1);
    const times = await tdb.rows<{ at: string }>(
      sql`select created_at::text as at from incident_events where school_id = ${summary.schoolId}`,
    );
    expect(times.length).toBeGreaterThan(DEMO_INCIDENTS.length);
    for (const { at } of times) expect(isSchoolTime(makeCalendar(), new Date(at)), at).toBe(true);
  });
});
