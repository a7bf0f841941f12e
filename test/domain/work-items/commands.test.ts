import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { incidents, outbox, workItems, workItemUpdates } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { addDiaryEntry } from '../../../src/domain/registers/diary';
import { createWorkItem, editWorkItem, postProgress } from '../../../src/domain/work-items/commands';
import { linkIncidents, resolveLinkedIncidents, unlinkIncidents } from '../../../src/domain/work-items/links';
import { getWorkItemFull, listWorkItems, workProgress } from '../../../src/domain/work-items/list';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';
import { must } from '../../support/wait';

/** Incidents whose resolve is made to fail, to prove "all or nothing". */
const failFor = vi.hoisted(() => new Set<string>());
vi.mock('../../../src/domain/incidents/resolve-incident', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/domain/incidents/resolve-incident')>();
  return {
    ...real,
    resolveIncident: (ctx: Ctx, input: { incidentId: string; resolution: string }) =>
      failFor.has(input.incidentId)
        ? Promise.resolve({
            ok: false as const,
            error: { code: 'INCIDENT.ILLEGAL_TRANSITION' as const, message: 'it is stuck' },
          })
        : real.resolveIncident(ctx, input),
  };
});

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

const TZ = { timezone: 'Europe/London' };

async function setup() {
  const school = await makeSchool(tdb.db, { clock: fixedClock('2027-03-01T09:00:00Z') });
  const office = await school.person('office', 'Mrs Office');
  const tech = await school.person('technician', 'Sam Tech');
  const teacher = await school.person('teacher', 'Ms Patel');
  return { school, office, tech, teacher };
}

const blank = { description: '', owner: null, targetDate: null };

async function updatesOf(workItemId: string) {
  return tdb.db
    .select()
    .from(workItemUpdates)
    .where(eq(workItemUpdates.workItemId, workItemId))
    .orderBy(workItemUpdates.id);
}

describe('opening and editing changes and problems', () => {
  it('numbers changes and problems separately per school and audits the creation', async () => {
    const { office, tech } = await setup();
    const a = must(
      await createWorkItem(office, {
        kind: 'change',
        title: 'New Wi-Fi in the hall',
        description: 'Two access points',
        owner: { slackUserId: tech.slackUserId },
        targetDate: '2027-03-31',
        status: 'approved',
      }),
    );
    const b = must(
      await createWorkItem(office, { kind: 'problem', title: 'Projector drops signal', ...blank }),
    );
    const c = must(await createWorkItem(office, { kind: 'change', title: 'Laptop trolley', ...blank }));
    expect([a.reference, b.reference, c.reference]).toEqual(['CHG-1', 'PRB-1', 'CHG-2']);
    expect(a.item).toMatchObject({ ownerId: tech.actor.personId, status: 'approved', percentDone: 0 });
    const [created] = await updatesOf(a.item.id);
    expect(created).toMatchObject({
      kind: 'created',
      actorId: office.actor.personId,
      data: {
        status: { from: null, to: 'approved' },
        percentDone: { from: null, to: 0 },
        ownerId: { from: null, to: tech.actor.personId },
        targetDate: { from: null, to: '2027-03-31' },
      },
    });
    // Another school starts at 1 again.
    const other = await setup();
    expect(
      must(await createWorkItem(other.office, { kind: 'change', title: 'Elsewhere', ...blank })).reference,
    ).toBe('CHG-1');
  });

  it('checks the role, the owner and the fields', async () => {
    const { office, tech, teacher } = await setup();
    expect(await createWorkItem(tech, { kind: 'problem', title: 'Printer jams', ...blank })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    expect(
      await createWorkItem(office, {
        kind: 'problem',
        title: 'Printer jams',
        ...blank,
        owner: { slackUserId: teacher.slackUserId },
      }),
    ).toMatchObject({ ok: false, error: { fields: { owner: expect.stringContaining('technician') } } });
    expect(
      await createWorkItem(office, {
        kind: 'change',
        title: 'x',
        description: '',
        owner: null,
        targetDate: '31/03/2027',
        status: 'implemented',
        percentDone: 40,
        incidents: ['INC-1 printer'],
      }),
    ).toMatchObject({
      ok: false,
      error: {
        fields: {
          title: 'Say in a few words what it is.',
          targetDate: 'The target date must be a date.',
          percentDone: expect.stringContaining('Implemented means done'),
          incidents: 'printer: not an incident reference (use INC-7).',
        },
      },
    });
    // Nothing was numbered by the refusals.
    expect(
      must(await createWorkItem(office, { kind: 'problem', title: 'Printer jams', ...blank })).reference,
    ).toBe('PRB-1');
  });

  it('a double submit of the same form opens one', async () => {
    const { office } = await setup();
    const input = { kind: 'change' as const, title: 'Twice', ...blank, submissionKey: 'V0TWICE01' };
    const [x, y] = [must(await createWorkItem(office, input)), must(await createWorkItem(office, input))];
    expect(y.item.id).toBe(x.item.id);
    expect(
      await tdb.db.select().from(workItems).where(eq(workItems.schoolId, office.actor.schoolId)),
    ).toHaveLength(1);
  });

  it('edits record what changed, from → to; saving unchanged records nothing', async () => {
    const { office, tech } = await setup();
    const { item } = must(await createWorkItem(office, { kind: 'change', title: 'New Wi-Fi', ...blank }));
    const edit = {
      workItemId: item.id,
      title: 'New Wi-Fi in the hall',
      description: '',
      owner: { slackUserId: tech.slackUserId },
      targetDate: '2027-04-01',
    };
    expect(must(await editWorkItem(office, edit)).changed).toEqual(['title', 'ownerId', 'targetDate']);
    expect(must(await editWorkItem(office, edit)).changed).toEqual([]);
    expect(await editWorkItem(tech, edit)).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
    const updates = await updatesOf(item.id);
    expect(updates.map((u) => u.kind)).toEqual(['created', 'edited']);
    expect(updates[1]?.data).toEqual({
      title: { from: 'New Wi-Fi', to: 'New Wi-Fi in the hall' },
      ownerId: { from: null, to: tech.actor.personId },
      targetDate: { from: null, to: '2027-04-01' },
    });
  });
});

describe('progress updates', () => {
  it('a technician posts progress; only the SPOC closes; closing stamps closed_at', async () => {
    const { school, office, tech } = await setup();
    const { item } = must(await createWorkItem(office, { kind: 'change', title: 'New Wi-Fi', ...blank }));
    school.clock.set('2027-03-02T10:00:00Z');
    const posted = must(
      await postProgress(tech, {
        workItemId: item.id,
        note: 'Cabling done',
        status: 'in_progress',
        percentDone: 60,
      }),
    );
    expect(posted.item).toMatchObject({ status: 'in_progress', percentDone: 60 });
    expect(posted.update).toMatchObject({
      kind: 'progress',
      note: 'Cabling done',
      actorId: tech.actor.personId,
      createdAt: new Date('2027-03-02T10:00:00Z'),
      data: { status: { from: 'proposed', to: 'in_progress' }, percentDone: { from: 0, to: 60 } },
    });
    expect(
      await postProgress(tech, { workItemId: item.id, note: 'All done', status: 'closed' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN', fields: { status: expect.stringContaining('office') } },
    });
    expect(await postProgress(tech, { workItemId: item.id, note: ' ' })).toMatchObject({
      ok: false,
      error: { fields: { note: 'The update is needed.' } },
    });
    const done = must(await postProgress(tech, { workItemId: item.id, note: 'Working', percentDone: 100 }));
    expect(done.item).toMatchObject({ status: 'implemented', percentDone: 100, closedAt: null });
    expect(done.openIncidents).toEqual([]); // a change offers nothing to resolve
    const closed = must(
      await postProgress(office, { workItemId: item.id, note: 'Signed off', status: 'closed' }),
    );
    expect(closed.item.closedAt).toEqual(new Date('2027-03-02T10:00:00Z'));
    expect(
      await postProgress(office, { workItemId: item.id, note: 'Oops', status: 'implemented' }),
    ).toMatchObject({
      ok: false,
      error: { fields: { status: 'It can only go back one step, to Reviewed.' } },
    });
    const reopened = must(
      await postProgress(office, { workItemId: item.id, note: 'Not yet', status: 'reviewed' }),
    );
    expect(reopened.item).toMatchObject({ status: 'reviewed', closedAt: null });
  });

  it('a double submit of the same update records one', async () => {
    const { office } = await setup();
    const { item } = must(await createWorkItem(office, { kind: 'change', title: 'New Wi-Fi', ...blank }));
    const input = { workItemId: item.id, note: 'Ordered', percentDone: 10, submissionKey: 'V0UPD0001' };
    must(await postProgress(office, input));
    must(await postProgress(office, input));
    expect((await updatesOf(item.id)).filter((u) => u.kind === 'progress')).toHaveLength(1);
  });
});

describe('linked incidents', () => {
  it('links by reference within the school only, and unlinks', async () => {
    const { office, teacher } = await setup();
    const other = await setup();
    const mine = must(await reportFault(teacher, { summary: 'Projector dead', urgency: 'today' }));
    const theirs = must(await reportFault(other.teacher, { summary: 'Not yours', urgency: 'today' }));
    const { item } = must(await createWorkItem(office, { kind: 'problem', title: 'Projector', ...blank }));
    expect(must(await linkIncidents(office, { workItemId: item.id, incidents: ['INC-1'] }))).toEqual({
      reference: 'PRB-1',
      changed: [1],
      unchanged: [],
    });
    expect(
      must(await linkIncidents(office, { workItemId: item.id, incidents: ['inc-1'] })).unchanged,
    ).toEqual([1]);
    expect(await linkIncidents(office, { workItemId: item.id, incidents: ['INC-2'] })).toMatchObject({
      ok: false,
      error: { code: 'INCIDENT.NOT_FOUND', fields: { incidents: 'INC-2 not found in your school.' } },
    });
    // A crafted id of another school's incident is simply not found.
    expect(
      await linkIncidents(office, { workItemId: item.id, incidents: [theirs.incident.id] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INCIDENT.NOT_FOUND' },
    });
    // Nor can another school touch this problem.
    expect(await linkIncidents(other.office, { workItemId: item.id, incidents: ['INC-1'] })).toMatchObject({
      ok: false,
      error: { code: 'REGISTER.NOT_FOUND' },
    });
    expect(
      must(await unlinkIncidents(office, { workItemId: item.id, incidents: ['INC-1'] })).changed,
    ).toEqual([1]);
    const kinds = (await updatesOf(item.id)).map((u) => [u.kind, u.data.incident]);
    expect(kinds).toEqual([
      ['created', undefined],
      ['linked', { from: null, to: 'INC-1' }],
      ['unlinked', { from: 'INC-1', to: null }],
    ]);
    expect(mine.incident.number).toBe(1);
  });

  it('resolving a problem offers its open incidents; resolving them skips the done ones and tells each reporter', async () => {
    const { office, tech, teacher } = await setup();
    const a = must(await reportFault(teacher, { summary: 'Hall projector no signal', urgency: 'today' }));
    const b = must(await reportFault(tech, { summary: 'Hall projector flickers', urgency: 'today' }));
    const c = must(await reportFault(teacher, { summary: 'Hall projector again', urgency: 'today' }));
    must(await resolveIncident(tech, { incidentId: c.incident.id, resolution: 'Reseated the cable' }));
    const { item } = must(
      await createWorkItem(office, {
        kind: 'problem',
        title: 'Repeated faults: hall projector',
        ...blank,
        incidents: ['INC-1, INC-2, INC-3'],
      }),
    );
    const progress = must(
      await postProgress(tech, { workItemId: item.id, note: 'Replaced the HDMI run', status: 'implemented' }),
    );
    expect(progress.openIncidents.map((i) => i.number)).toEqual([1, 2]);

    const before = (await tdb.db.select().from(outbox).where(eq(outbox.schoolId, office.actor.schoolId)))
      .length;
    const out = must(
      await resolveLinkedIncidents(tech, { workItemId: item.id, resolution: 'New HDMI cable fitted' }),
    );
    expect(out).toEqual({
      reference: 'PRB-1',
      resolved: [
        { number: 1, summary: 'Hall projector no signal' },
        { number: 2, summary: 'Hall projector flickers' },
      ],
      skipped: [{ number: 3, status: 'resolved' }],
    });
    const rows = await tdb.db.select().from(incidents).where(eq(incidents.schoolId, office.actor.schoolId));
    expect(rows.filter((r) => r.status === 'resolved')).toHaveLength(3);
    expect(rows.find((r) => r.number === 1)?.resolution).toBe('New HDMI cable fitted');
    const messages = (await tdb.db.select().from(outbox).where(eq(outbox.schoolId, office.actor.schoolId)))
      .slice(before)
      .map((r) => r.message);
    // Cards refreshed for both; the teacher told; the technician reported INC-2 and resolved it, so no DM.
    expect(messages.filter((m) => m.type === 'incident.card').map((m) => m.incidentId)).toEqual([
      a.incident.id,
      b.incident.id,
    ]);
    expect(messages.filter((m) => m.type === 'person.notify')).toEqual([
      {
        type: 'person.notify',
        personId: teacher.actor.personId,
        incidentId: a.incident.id,
        event: 'resolved',
        eventId: expect.any(Number),
      },
    ]);
    const last = (await updatesOf(item.id)).at(-1);
    expect(last).toMatchObject({
      kind: 'resolved_incidents',
      note: 'New HDMI cable fitted',
      data: { incidents: ['INC-1', 'INC-2'], skipped: [{ incident: 'INC-3', status: 'resolved' }] },
    });
    // Again: nothing left to do.
    expect(
      must(await resolveLinkedIncidents(tech, { workItemId: item.id, resolution: 'Again' })).resolved,
    ).toEqual([]);
  });

  it('is all or nothing: if one incident cannot be resolved, none is', async () => {
    const { office, teacher } = await setup();
    const a = must(await reportFault(teacher, { summary: 'Printer jams', urgency: 'today' }));
    const b = must(await reportFault(teacher, { summary: 'Printer jams again', urgency: 'today' }));
    const { item } = must(
      await createWorkItem(office, {
        kind: 'problem',
        title: 'Printer',
        ...blank,
        incidents: ['INC-1', 'INC-2'],
      }),
    );
    failFor.add(b.incident.id);
    try {
      expect(
        await resolveLinkedIncidents(office, { workItemId: item.id, resolution: 'New rollers' }),
      ).toMatchObject({
        ok: false,
        error: { fields: { resolution: 'INC-2 could not be resolved (it is stuck), so none were.' } },
      });
    } finally {
      failFor.delete(b.incident.id);
    }
    const [first] = await tdb.db
      .select()
      .from(incidents)
      .where(and(eq(incidents.schoolId, office.actor.schoolId), eq(incidents.id, a.incident.id)));
    expect(first).toMatchObject({ status: 'new', resolution: null });
    expect((await updatesOf(item.id)).map((u) => u.kind)).toEqual(['created', 'linked', 'linked']);
  });

  it('only a problem resolves its incidents together', async () => {
    const { office } = await setup();
    const { item } = must(await createWorkItem(office, { kind: 'change', title: 'New Wi-Fi', ...blank }));
    expect(await resolveLinkedIncidents(office, { workItemId: item.id, resolution: 'Done' })).toMatchObject({
      ok: false,
      error: {
        message: 'CHG-1 is a change: only a problem’s incidents are resolved together.'.replace('’', "'"),
      },
    });
  });
});

describe('lists, detail and diary', () => {
  it('lists by filter with overdue flags; shows one in full with its diary; teachers see none', async () => {
    const { office, teacher } = await setup();
    const change = must(
      await createWorkItem(office, {
        kind: 'change',
        title: 'New Wi-Fi',
        ...blank,
        targetDate: '2027-02-26',
      }),
    );
    must(await createWorkItem(office, { kind: 'problem', title: 'Printer', ...blank }));
    const old = must(
      await createWorkItem(office, { kind: 'change', title: 'Old', ...blank, status: 'closed' }),
    );
    const refs = async (filter: 'open' | 'changes' | 'problems' | 'all') =>
      must(await listWorkItems(office, { filter, ...TZ })).items.map((i) => [i.reference, i.overdue]);
    expect(await refs('open')).toEqual([
      ['CHG-1', true],
      ['PRB-1', false],
    ]);
    expect(await refs('changes')).toEqual([['CHG-1', true]]);
    expect(await refs('problems')).toEqual([['PRB-1', false]]);
    expect((await refs('all')).map((r) => r[0])).toEqual(['CHG-1', 'PRB-1', 'CHG-2']);
    expect(old.item.closedAt).not.toBeNull();
    expect(await listWorkItems(teacher, TZ)).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
    expect(must(await workProgress(office, TZ)).map((i) => i.reference)).toEqual(['CHG-1', 'PRB-1']);
    expect(must(await workProgress(office, TZ))[0]?.lastUpdateAt).toEqual(new Date('2027-03-01T09:00:00Z'));

    // A diary entry tied to the change, announced in a channel.
    must(
      await addDiaryEntry(office, {
        date: '2027-03-10',
        title: 'Wi-Fi down in the hall 8–10',
        kind: 'maintenance',
        notes: 'Installers on site',
        assetId: null,
        workItemId: change.item.id,
        announceChannel: 'C0STAFF001',
      }),
    );
    const full = must(await getWorkItemFull(office, { ref: 'chg-1', ...TZ }));
    expect(full.diary.map((d) => d.title)).toEqual(['Wi-Fi down in the hall 8–10']);
    expect(full.updates.map((u) => u.kind)).toEqual(['created']);
    expect(must(await getWorkItemFull(office, { ref: '1', kind: 'problem', ...TZ })).item.reference).toBe(
      'PRB-1',
    );
    expect(await getWorkItemFull(office, { ref: 'PRB-9', ...TZ })).toMatchObject({
      ok: false,
      error: { code: 'REGISTER.NOT_FOUND' },
    });
    const announced = (
      await tdb.db.select().from(outbox).where(eq(outbox.schoolId, office.actor.schoolId))
    ).map((r) => r.message);
    expect(announced).toContainEqual({
      type: 'diary.announce',
      diaryEntryId: full.diary[0]?.id,
      channel: 'C0STAFF001',
    });
    // A problem is not a change, and a made-up channel is refused beside its field.
    const problem = must(await listWorkItems(office, { filter: 'problems', ...TZ })).items[0]!;
    expect(
      await addDiaryEntry(office, {
        date: '2027-03-10',
        title: 'x',
        kind: 'other',
        notes: '',
        assetId: null,
        workItemId: problem.id,
        announceChannel: null,
      }),
    ).toMatchObject({ ok: false, error: { fields: { workItemId: 'That change is not in your school.' } } });
    expect(
      await addDiaryEntry(office, {
        date: '2027-03-10',
        title: 'x',
        kind: 'other',
        notes: '',
        assetId: null,
        announceChannel: '#staff',
      }),
    ).toMatchObject({ ok: false, error: { fields: { announceChannel: 'Choose a channel from the list.' } } });
  });
});

describe.skipIf(!onPostgres)(
  'numbering on a real Postgres (skipped on PGlite: one connection proves nothing)',
  () => {
    it('concurrent creation gives CHG-1…CHG-12 and PRB-1…PRB-6 with no gap or duplicate', async () => {
      const { school } = await setup();
      const offices = await Promise.all(
        Array.from({ length: 4 }, (_, i) => school.person('office', `Office ${i}`)),
      );
      const results = await Promise.all(
        Array.from({ length: 18 }, (_, i) =>
          createWorkItem(offices[i % 4]!, {
            kind: i % 3 === 2 ? 'problem' : 'change',
            title: `Work ${i}`,
            ...blank,
          }),
        ),
      );
      const refs = results.map((r) => must(r).reference);
      const numbers = (prefix: string) =>
        refs
          .filter((r) => r.startsWith(prefix))
          .map((r) => Number(r.slice(4)))
          .sort((x, y) => x - y);
      expect(numbers('CHG')).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(numbers('PRB')).toEqual(Array.from({ length: 6 }, (_, i) => i + 1));
    });
  },
);
