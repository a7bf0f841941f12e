import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formSubmissions, locations } from '../../src/db/schema';
import type { Ctx } from '../../src/domain/context';
import { type FormOutcome, REPEAT_WINDOW_MS, submitOnce } from '../../src/domain/form-submissions';
import { addLocation } from '../../src/domain/registers/locations';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { makeSchool, uniqueId } from '../support/factories';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

/** A form that adds a location: its work, and how many times that work ran. */
function locationForm(name: string) {
  const runs: string[] = [];
  const work = async (ctx: Ctx): Promise<FormOutcome<{ saved: string } | { error: string }>> => {
    runs.push(name);
    const r = await addLocation(ctx, { name, parentId: null, defaultImpact: null });
    return r.ok
      ? { saved: true, answer: { saved: `${r.value.name} saved` } }
      : { saved: false, answer: { error: r.error.message } };
  };
  return { runs, work };
}

async function setUp() {
  const school = await makeSchool(tdb.db);
  const office = await school.person('office');
  const named = async (name: string) =>
    tdb.db
      .select()
      .from(locations)
      .where(eq(locations.schoolId, school.schoolId))
      .then((rows) => rows.filter((l) => l.name === name));
  const keys = () =>
    tdb.db.select().from(formSubmissions).where(eq(formSubmissions.schoolId, school.schoolId));
  return { school, office, named, keys };
}

describe('submitOnce', () => {
  it('runs a form once per key; a repeat runs nothing and gets the first answer', async () => {
    const { office, named, keys } = await setUp();
    const form = locationForm('Science lab');
    const key = { kind: 'location', key: uniqueId('V') };
    const first = await submitOnce(office, key, form.work);
    const again = await submitOnce(office, key, form.work);
    expect(first).toEqual({ repeat: false, answer: { saved: 'Science lab saved' } });
    expect(again).toEqual({ repeat: true, answer: { saved: 'Science lab saved' } });
    expect(form.runs).toHaveLength(1);
    expect(await named('Science lab')).toHaveLength(1);
    expect(await keys()).toMatchObject([{ kind: 'location', personId: office.actor.personId }]);
  });

  it('keeps nothing of a form that was not saved, so the corrected form can be sent again', async () => {
    const { office, keys, named } = await setUp();
    const key = { kind: 'location', key: uniqueId('V') };
    const taken = await submitOnce(office, key, locationForm('Library').work); // a preset: refused
    expect(taken).toMatchObject({ repeat: false, answer: { error: expect.any(String) } });
    expect(await keys()).toEqual([]);
    const corrected = await submitOnce(office, key, locationForm('Library annexe').work);
    expect(corrected).toEqual({ repeat: false, answer: { saved: 'Library annexe saved' } });
    expect(await named('Library annexe')).toHaveLength(1);
  });

  it('rolls the key back with the work when the work fails', async () => {
    const { office, keys, named } = await setUp();
    const key = { kind: 'location', key: uniqueId('V') };
    const failing = async (ctx: Ctx): Promise<FormOutcome<string>> => {
      await addLocation(ctx, { name: 'Half done', parentId: null, defaultImpact: null });
      throw new Error('database went away');
    };
    await expect(submitOnce(office, key, failing)).rejects.toThrow('database went away');
    expect(await keys()).toEqual([]);
    expect(await named('Half done')).toEqual([]);
  });

  it("tells another person's copy nothing of the first answer", async () => {
    const { school, office } = await setUp();
    const other = await school.person('office', 'Someone else');
    const key = { kind: 'location', key: uniqueId('V') };
    await submitOnce(office, key, locationForm('Science lab').work);
    const form = locationForm('Science lab');
    expect(await submitOnce(other, key, form.work)).toEqual({ repeat: true, answer: undefined });
    expect(form.runs).toEqual([]);
  });

  it('takes two copies at the same moment as one', async () => {
    const { office, named } = await setUp();
    const form = locationForm('Music room');
    const key = { kind: 'location', key: uniqueId('V') };
    const [a, b] = await Promise.all([
      submitOnce(office, key, form.work),
      submitOnce(office, key, form.work),
    ]);
    expect(form.runs).toHaveLength(1);
    expect([a.repeat, b.repeat].sort()).toEqual([false, true]);
    expect(b.answer).toEqual(a.answer);
    expect(await named('Music room')).toHaveLength(1);
  });

  it('keys by form: the same view id under another form is another submission', async () => {
    const { office } = await setUp();
    const viewId = uniqueId('V');
    const one = locationForm('Room 1');
    const two = locationForm('Room 2');
    await submitOnce(office, { kind: 'progress', key: viewId }, one.work);
    await submitOnce(office, { kind: 'resolve', key: viewId }, two.work);
    expect([...one.runs, ...two.runs]).toEqual(['Room 1', 'Room 2']);
  });

  it('treats a key that comes round again after a day as a new form', async () => {
    const { school, office, named } = await setUp();
    const key = { kind: 'location', key: uniqueId('V') };
    await submitOnce(office, key, locationForm('Room 1').work);
    school.clock.advance(REPEAT_WINDOW_MS + 1000);
    const later = locationForm('Room 2');
    expect(await submitOnce(office, key, later.work)).toEqual({
      repeat: false,
      answer: { saved: 'Room 2 saved' },
    });
    expect(await named('Room 2')).toHaveLength(1);
  });

  it('records nothing for a submission with no key', async () => {
    const { office, keys } = await setUp();
    const form = locationForm('Room 9');
    await submitOnce(office, { kind: 'location', key: '' }, form.work);
    await submitOnce(office, { kind: 'location', key: '' }, form.work);
    expect(form.runs).toHaveLength(2);
    expect(await keys()).toEqual([]);
  });
});
