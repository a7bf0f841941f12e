/**
 * The fault form's location type-ahead in Teams, through `POST /api/messages` with signed
 * activities: a school with up to 100 locations gets a plain list; past 100 the list is an
 * `Input.ChoiceSet` with a `Data.Query`, and Teams' `application/search` invokes are answered
 * with this school's matches only, a page at a time. A fault reported with a location found that
 * way lands with it. A school with more than 100 devices gets a device type-ahead fed with the
 * place chosen on the card, instead of the "Show devices" button. Every connector call is pinned.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { assets, incidents, locations, schools } from '../../../src/db/schema';
import { systemClock } from '../../../src/domain/clock';
import { identifyTeamsUser } from '../../../src/domain/schools/identify';
import {
  cardSubmit,
  channelMessage,
  messageActionInvoke,
  personalMessage,
  TEAM_ID,
  TENANT_ID,
} from '../../support/teams-activities';
import { type Card, cardOf, useTeamsSpoc } from '../../support/teams-harness';

const { calls, db, post } = useTeamsSpoc('spoc-type-ahead-key');

type Choice = { title: string; value: string };
type LocationInput = {
  type: string;
  style?: string;
  placeholder?: string;
  value?: string;
  choices: Choice[];
  'choices.data'?: unknown;
};
const whereOf = (card: Card) => card.body.find((b) => b.id === 'locationId') as LocationInput;
const formIdOf = (card: Card): string => {
  const submit = card.actions?.find((a) => (a.data as { verb?: string }).verb === 'fault.submit');
  return String((submit?.data as { formId?: string } | undefined)?.formId ?? '');
};

/**
 * The form card the bot sends for `fault …` in the personal chat: its reply to that message (the
 * outbox may be sending an earlier test's card and notices meanwhile).
 */
async function openForm(id: string): Promise<Card> {
  calls.splice(0);
  await post(personalMessage('fault The board is blank', id));
  const replies = calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/activities/${id}`));
  expect(replies).toHaveLength(1);
  return cardOf(replies[0]);
}

/** The invoke Teams sends as someone types in a `Data.Query` choice set (after Microsoft's example). */
function searchInvoke(
  base: Record<string, unknown>,
  queryText: string,
  queryOptions: Record<string, unknown> = { skip: 0, top: 15 },
  dataset = 'spoc.locations',
): Record<string, unknown> {
  const { text: _t, textFormat: _f, entities: _e, ...rest } = base;
  return {
    ...rest,
    type: 'invoke',
    name: 'application/search',
    value: { queryText, queryOptions, dataset },
  };
}

interface Answer {
  statusCode: number;
  type: string;
  value: { results: Choice[] };
}
async function search(activity: Record<string, unknown>): Promise<Answer> {
  const res = await post(activity);
  const answer = JSON.parse(res.text) as Answer;
  expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse' });
  return answer;
}
const titles = (answer: Answer) => answer.value.results.map((r) => r.title);
const personalSearch = (text: string, options?: Record<string, unknown>, dataset?: string) =>
  search(searchInvoke(personalMessage('', `s-${Math.random()}`), text, options, dataset));

const classrooms = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `Classroom ${String(from + i).padStart(3, '0')}`);

const T_ADDED = '2026-11-30T08:00:00Z';
async function addLocations(schoolId: string, names: string[]) {
  await db()
    .insert(locations)
    .values(
      names.map((name) => ({ schoolId, name, nameKey: name.toLowerCase(), createdAt: new Date(T_ADDED) })),
    );
}
let schoolId = '';
let otherSchoolId = '';

describe('a school with up to 100 locations', () => {
  it('gets the plain list, with no type-ahead', async () => {
    await post(channelMessage('spoc setup', '101'));
    const [school] = await db().select().from(schools).where(eq(schools.teamsTeamId, TEAM_ID));
    schoolId = school?.id ?? '';
    expect(schoolId).not.toBe('');
    const card = await openForm('102');
    const where = whereOf(card);
    expect(where.type).toBe('Input.ChoiceSet');
    expect(where['choices.data']).toBeUndefined();
    expect(where.style).toBeUndefined();
    expect(where.choices.map((c) => c.title)).toEqual([
      'Hall',
      'ICT suite',
      'Library',
      'Reception',
      'School office',
      'Server room',
      'Staff room',
    ]);
    expect(where).not.toHaveProperty('valueChangedAction');
    expect(card.body.find((b) => b.id === 'assetId')).toBeUndefined();
    const devices = card.actions?.find((a) => (a.data as { verb?: string }).verb === 'fault.devices');
    expect(devices).toMatchObject({ title: 'Show devices at this place', associatedInputs: 'auto' });
  });
});

describe('a school with 150 locations', () => {
  beforeAll(async () => {
    // 133 classrooms and 10 science labs beside the 7 presets: the labs sort past the 100th.
    const labs = Array.from({ length: 10 }, (_, i) => `Science lab ${i + 1}`);
    await addLocations(schoolId, [...classrooms(1, 133), ...labs]);
    // Another school in the same tenant, with science labs of its own.
    const other = await identifyTeamsUser(db(), systemClock, {
      tenantId: TENANT_ID,
      teamId: '19:0ther0team0000000000000000000000@thread.tacv2',
      teamName: 'Valley High',
      aadObjectId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
      userId: '29:other-person',
      userName: 'Other Person',
    });
    if (!other.ok) throw new Error(other.error.message);
    otherSchoolId = other.value.school.id;
    await addLocations(other.value.school.id, ['Science lab 1', 'Science block', 'Science lab 99']);
  });

  it('gets a type-ahead: a filtered choice set with a Data.Query and the first locations', async () => {
    const count = await db().select().from(locations).where(eq(locations.schoolId, schoolId));
    expect(count).toHaveLength(150);
    const card = await openForm('201');
    const where = whereOf(card);
    expect(where).toMatchObject({
      type: 'Input.ChoiceSet',
      style: 'filtered',
      placeholder: 'Type to search locations',
      'choices.data': { type: 'Data.Query', dataset: 'spoc.locations' },
    });
    expect(where.choices.map((c) => c.title)).toEqual(classrooms(1, 15));
    expect(JSON.stringify(card)).not.toContain('Only the first');
  });

  it('a search for a word finds this school’s matches only, by name', async () => {
    const answer = await personalSearch('SCIENCE');
    expect(titles(answer)).toEqual([
      'Science lab 1',
      'Science lab 10',
      'Science lab 2',
      'Science lab 3',
      'Science lab 4',
      'Science lab 5',
      'Science lab 6',
      'Science lab 7',
      'Science lab 8',
      'Science lab 9',
    ]);
    const ours = await db().select().from(locations).where(eq(locations.schoolId, schoolId));
    const ourIds = new Set(ours.map((l) => l.id));
    for (const r of answer.value.results) expect(ourIds.has(r.value)).toBe(true);
    expect(titles(await personalSearch('block'))).toEqual([]);
  });

  it('pages with skip and top, and cuts a big page to 50', async () => {
    expect(titles(await personalSearch('classroom', { skip: 0, top: 15 }))).toEqual(classrooms(1, 15));
    expect(titles(await personalSearch('classroom', { skip: 15, top: 15 }))).toEqual(classrooms(16, 30));
    expect(titles(await personalSearch('classroom', { skip: 95, top: 10 }))).toEqual(classrooms(96, 100));
    expect(titles(await personalSearch('classroom', { skip: 0, top: 500 }))).toEqual(classrooms(1, 50));
    expect(titles(await personalSearch('classroom', { skip: 10 }))).toEqual(classrooms(11, 25));
  });

  it('an empty search lists the first locations (botbuilder alone would refuse it)', async () => {
    expect(titles(await personalSearch(''))).toEqual(classrooms(1, 15));
    expect(titles(await personalSearch('', { skip: 15, top: 5 }))).toEqual(classrooms(16, 20));
  });

  it('someone SPOC cannot place, or another dataset, gets no results and no error', async () => {
    const stranger = personalMessage('', 's-stranger');
    const elsewhere = {
      ...stranger,
      conversation: {
        ...(stranger.conversation as object),
        tenantId: 'a1b2c3d4-0000-4000-8000-000000000001',
      },
      channelData: { tenant: { id: 'a1b2c3d4-0000-4000-8000-000000000001' } },
    };
    expect((await search(searchInvoke(elsewhere, 'science'))).value.results).toEqual([]);
    expect((await personalSearch('science', undefined, 'spoc.people')).value.results).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('a fault reported with a location found by search lands there; a refused one keeps it shown', async () => {
    const [lab] = (await personalSearch('science lab 7')).value.results;
    expect(lab?.title).toBe('Science lab 7');
    const labId = lab?.value ?? '';
    const formId = formIdOf(await openForm('301'));

    calls.splice(0);
    await post(
      cardSubmit({ verb: 'fault.submit', formId, locationId: labId, urgency: 'today' }, '1:form', '302'),
    );
    const refused = whereOf(cardOf(calls.find((c) => c.method === 'PUT')));
    expect(refused.value).toBe(labId);
    expect(refused.choices[0]).toEqual({ title: 'Science lab 7', value: labId });
    expect(refused['choices.data']).toMatchObject({ type: 'Data.Query' });

    calls.splice(0);
    const value = {
      verb: 'fault.submit',
      formId,
      summary: 'Board is blank',
      locationId: labId,
      urgency: 'today',
    };
    await post(cardSubmit(value, '1:form', '303'));
    expect(JSON.stringify(cardOf(calls.find((c) => c.method === 'PUT')))).toContain('your fault is logged');
    const [incident] = await db().select().from(incidents).where(eq(incidents.schoolId, schoolId));
    expect(incident).toMatchObject({ summary: 'Board is blank', locationId: labId });
  });

  it('the message action’s dialog gets the same type-ahead, searched from the channel', async () => {
    const fetched = await post(
      messageActionInvoke('composeExtension/fetchTask', {
        commandId: 'reportFault',
        messagePayload: { body: { contentType: 'text', content: 'Printer jammed' } },
      }),
    );
    const task = JSON.parse(fetched.text) as { task: { value: { card: { content: Card } } } };
    expect(whereOf(task.task.value.card.content)).toMatchObject({
      style: 'filtered',
      'choices.data': { type: 'Data.Query', dataset: 'spoc.locations' },
    });
    const answer = await search(searchInvoke(channelMessage('', 'f:search-1'), 'science lab 1'));
    expect(titles(answer)).toEqual(['Science lab 1', 'Science lab 10']);
  });
});

describe('a school with more than 100 devices', () => {
  let labId = '';
  let otherLabId = '';
  const lab = (n: number) => `SL7-${String(n).padStart(3, '0')}`;

  beforeAll(async () => {
    const ours = await db().select().from(locations).where(eq(locations.schoolId, schoolId));
    const theirs = await db().select().from(locations).where(eq(locations.schoolId, otherSchoolId));
    labId = ours.find((l) => l.name === 'Science lab 7')?.id ?? '';
    otherLabId = theirs.find((l) => l.name === 'Science lab 1')?.id ?? '';
    const classroomId = ours.find((l) => l.name === 'Classroom 001')?.id ?? '';
    const now = new Date(T_ADDED);
    const device = (school: string, at: string, tag: string, make: string, model: string) => ({
      schoolId: school,
      locationId: at,
      tag,
      tagKey: tag.toLowerCase(),
      type: 'projector' as const,
      make,
      model,
      createdAt: now,
      updatedAt: now,
    });
    await db()
      .insert(assets)
      .values([
        // 30 in Science lab 7 (one an Epson), 71 in Classroom 001: 101 in all.
        ...Array.from({ length: 30 }, (_, i) =>
          device(schoolId, labId, lab(i + 1), i === 11 ? 'Epson' : 'BenQ', 'MX550'),
        ),
        ...Array.from({ length: 71 }, (_, i) =>
          device(schoolId, classroomId, `C1-${String(i + 1).padStart(3, '0')}`, 'BenQ', 'MX550'),
        ),
        device(otherSchoolId, otherLabId, 'VH-001', 'Epson', 'EB-X51'),
      ]);
  });

  const deviceSearch = (text: string, data: Record<string, unknown>, options = { skip: 0, top: 15 }) => {
    const activity = searchInvoke(personalMessage('', `d-${Math.random()}`), text, options, 'spoc.devices');
    return search({ ...activity, value: { ...(activity.value as object), data } });
  };

  it('gets a device type-ahead fed with the chosen place, and no "Show devices" button', async () => {
    const card = await openForm('401');
    expect(whereOf(card)).toMatchObject({
      valueChangedAction: { type: 'Action.ResetInputs', targetInputIds: ['assetId'] },
    });
    expect(card.body.find((b) => b.id === 'assetId')).toMatchObject({
      type: 'Input.ChoiceSet',
      style: 'filtered',
      choices: [],
      'choices.data': { type: 'Data.Query', dataset: 'spoc.devices', associatedInputs: 'auto' },
    });
    expect(card.actions?.map((a) => (a.data as { verb?: string }).verb)).toEqual(['fault.submit']);
  });

  it('lists the devices at the chosen place only, by text, a page at a time', async () => {
    const inputs = { summary: 'Board is blank', locationId: labId };
    const label = (n: number) => `${lab(n)} · Projector · ${n === 12 ? 'Epson' : 'BenQ'} MX550`;
    const labels = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, k) => label(from + k));
    expect(titles(await deviceSearch('', inputs))).toEqual(labels(1, 15));
    expect(titles(await deviceSearch('', inputs, { skip: 15, top: 15 }))).toEqual(labels(16, 30));
    expect(titles(await deviceSearch('benq', inputs, { skip: 25, top: 15 }))).toEqual(labels(27, 30));
    expect(titles(await deviceSearch('epson', inputs))).toEqual([`${lab(12)} · Projector · Epson MX550`]);
    // No place chosen yet, or another school's place: nothing.
    expect(titles(await deviceSearch('epson', { summary: 'x' }))).toEqual([]);
    expect(titles(await deviceSearch('epson', { locationId: otherLabId }))).toEqual([]);
  });

  it('a fault reported with a device found by search lands with it; a refused one keeps it shown', async () => {
    const [epson] = (await deviceSearch('epson', { locationId: labId })).value.results;
    const epsonId = epson?.value ?? '';
    const formId = formIdOf(await openForm('402'));

    calls.splice(0);
    const chosen = { verb: 'fault.submit', formId, locationId: labId, assetId: epsonId, urgency: 'today' };
    await post(cardSubmit(chosen, '1:form-2', '403'));
    const refused = cardOf(calls.find((c) => c.method === 'PUT'));
    expect(refused.body.find((b) => b.id === 'assetId')).toMatchObject({
      value: epsonId,
      choices: [{ title: `${lab(12)} · Projector · Epson MX550`, value: epsonId }],
    });

    calls.splice(0);
    await post(cardSubmit({ ...chosen, summary: 'Projector flickers' }, '1:form-2', '404'));
    const [incident] = await db().select().from(incidents).where(eq(incidents.summary, 'Projector flickers'));
    expect(incident).toMatchObject({ schoolId, locationId: labId, assetId: epsonId });
  });
});
