/**
 * Commands that store free text answer a NUL (or another control character) with a field error
 * or a refused row, never a database error: the command line and the Teams adapter call them
 * without Slack's input cleaning in front.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, importBatches, incidentEvents, incidents } from '../../src/db/schema';
import type { Ctx } from '../../src/domain/context';
import { closeIncident } from '../../src/domain/incidents/close-incident';
import { commentOnIncident } from '../../src/domain/incidents/comment-incident';
import { escalateIncident } from '../../src/domain/incidents/escalate-incident';
import { holdIncident } from '../../src/domain/incidents/hold-incident';
import { handBackIncident, recordProviderUpdate } from '../../src/domain/incidents/provider-update';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../src/domain/incidents/resolve-incident';
import { registerAsset } from '../../src/domain/registers/assets';
import { importFile, previewImport } from '../../src/domain/registers/import-register';
import { addLocation } from '../../src/domain/registers/locations';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeSchool } from '../support/factories';
import { must } from '../support/wait';

const NUL = '\u0000';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

describe('a fault report', () => {
  it('refuses a NUL in the summary or description beside the field, and saves nothing', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const result = await reportFault(teacher, {
      summary: `Projector${NUL} dead`,
      description: `Shows ${NUL}"No signal"`,
      urgency: 'today',
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'Please check the highlighted fields.',
        fields: {
          summary: 'The summary has a NUL character (U+0000) that cannot be saved: remove it.',
          description: 'The description has a NUL character (U+0000) that cannot be saved: remove it.',
        },
      },
    });
    expect(await tdb.db.select().from(incidents).where(eq(incidents.schoolId, school.schoolId))).toEqual([]);
  });

  it.each([
    ['an escape', '\u001b[2J', 'a control character (U+001B)'],
    ['a DEL', '\u007f', 'a DEL character (U+007F)'],
    ['a lone surrogate', '\ud83d', 'a broken character (a lone surrogate, U+D83D)'],
  ])('refuses %s too', async (_name, chars, what) => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const result = await reportFault(teacher, { summary: `Printer ${chars} jam`, urgency: 'today' });
    expect(result).toMatchObject({
      ok: false,
      error: { fields: { summary: `The summary has ${what} that cannot be saved: remove it.` } },
    });
  });

  it('keeps tabs and line breaks in the description, storing Windows line ends as LF', async () => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const done = must(
      await reportFault(teacher, {
        summary: 'Printer jam \u{1F5A8}',
        description: 'Tray 2\tjammed\r\nthen tray 1\rtoo',
        urgency: 'today',
      }),
    );
    expect(done.incident.summary).toBe('Printer jam \u{1F5A8}');
    expect(done.incident.description).toBe('Tray 2\tjammed\nthen tray 1\ntoo');
  });
});

describe('the registers', () => {
  it('refuse a NUL in any free-text field beside that field', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const result = await registerAsset(office, {
      tag: 'LAP-1',
      type: 'laptop',
      make: `Dell${NUL}`,
      model: '',
      serial: '',
      locationId: null,
      supplier: '',
      purchaseDate: null,
      costPence: null,
      warrantyEnd: null,
      status: 'in_use',
      notes: `line one\nline two${NUL}`,
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fields: {
          make: 'Make has a NUL character (U+0000) that cannot be saved: remove it.',
          notes: 'Notes has a NUL character (U+0000) that cannot be saved: remove it.',
        },
      },
    });
    expect(
      await addLocation(office, { name: `Lab${NUL}`, parentId: null, defaultImpact: null }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fields: { name: 'The name has a NUL character (U+0000) that cannot be saved: remove it.' },
      },
    });
  });
});

describe('a CSV import', () => {
  const csv = ['Asset Tag,Type,Make,Notes', 'A1,Laptop,Dell,fine', `A2,Laptop,Dell,bad${NUL}`, ''].join(
    '\r\n',
  );

  it('previews a NUL in a cell as a refused row, by its line, and keeps the report', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const preview = must(
      await previewImport(office, { kind: 'assets', fileName: `devices${NUL}.csv`, content: csv }),
    );
    expect(preview.summary).toMatchObject({
      fileName: 'devices.csv',
      new: 1,
      rejected: [
        { line: 3, reason: '"Notes" has a NUL character (U+0000), which cannot be saved: remove it' },
      ],
    });
    const [batch] = await tdb.db.select().from(importBatches).where(eq(importBatches.id, preview.batchId));
    expect(batch).toMatchObject({ fileName: 'devices.csv', status: 'discarded', content: '' });
  });

  it('imports nothing from such a file', async () => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    const result = await importFile(office, {
      kind: 'assets',
      fileName: 'devices.csv',
      content: csv,
      createLocations: true,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'IMPORT.REJECTED' } });
    expect(await tdb.db.select().from(assets).where(eq(assets.schoolId, school.schoolId))).toEqual([]);
  });
});

describe('the incident forms', () => {
  it.each([
    [
      'resolve',
      'resolution',
      (ctx: Ctx, id: string) => resolveIncident(ctx, { incidentId: id, resolution: `Fixed${NUL}` }),
    ],
    [
      'close',
      'note',
      (ctx: Ctx, id: string) => closeIncident(ctx, { incidentId: id, note: `Duplicate${NUL}` }),
    ],
    [
      'hold',
      'detail',
      (ctx: Ctx, id: string) => holdIncident(ctx, { incidentId: id, reason: 'other', detail: `Parts${NUL}` }),
    ],
    [
      'escalate',
      'providerRef',
      (ctx: Ctx, id: string) =>
        escalateIncident(ctx, {
          incidentId: id,
          providerId: 'x',
          note: 'Dead screen',
          providerRef: `REF${NUL}1`,
        }),
    ],
    [
      'provider update',
      'note',
      (ctx: Ctx, id: string) => recordProviderUpdate(ctx, { incidentId: id, note: `On it${NUL}` }),
    ],
    [
      'hand back',
      'note',
      (ctx: Ctx, id: string) => handBackIncident(ctx, { incidentId: id, note: `Done${NUL}` }),
    ],
    [
      'comment',
      'note',
      (ctx: Ctx, id: string) => commentOnIncident(ctx, { incidentId: id, note: `Still${NUL} broken` }),
    ],
  ])('%s refuses a NUL beside the field and records nothing', async (_name, field, run) => {
    const school = await makeSchool(tdb.db);
    const teacher = await school.person('teacher');
    const office = await school.person('office');
    const reported = must(await reportFault(teacher, { summary: 'Projector dead', urgency: 'today' }));
    const before = await tdb.db
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, reported.incident.id));
    const result = await run(office, reported.incident.id);
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fields: { [field]: expect.stringContaining('NUL character (U+0000) that cannot be saved') },
      },
    });
    const after = await tdb.db
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, reported.incident.id));
    expect(after).toHaveLength(before.length);
  });
});
