/**
 * `spoc incidents` with filters, answered once for every platform: each filter and filters
 * combined, scoped to the asker's school and role (a teacher sees only their own reports); the
 * `breached` list and each line's SLA state read in school time from the one SLA computation; names
 * found case-insensitively, an unknown one answered with the nearest; bad words answered with the
 * filters; and page buttons that carry the list, so page 2 is of the same list.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents } from '../../../src/db/schema';
import { incidentsAnswer, nearestNames, tokensOf } from '../../../src/domain/answers/incidents';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { findIncidents, listIncidents } from '../../../src/domain/incidents/list-incidents';
import type { Impact, Urgency } from '../../../src/domain/incidents/priority';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import type { Presentation, Rich } from '../../../src/domain/presenters/presentation';
import { readPageValue } from '../../../src/domain/presenters/registers/paging';
import { registerAsset } from '../../../src/domain/registers/assets';
import { addLocation } from '../../../src/domain/registers/locations';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { assetInput, makeSchool, T0, type TestSchool } from '../../support/factories';
import { must } from '../../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

/** Rich text as the tests read it: bold as *x*, commands and code as `x`, people as @name. */
const words = (rich: Rich): string =>
  rich
    .map((s) => {
      if (typeof s === 'string') return s;
      if ('text' in s) return s.text;
      if ('bold' in s) return `*${words(s.bold)}*`;
      if ('italic' in s) return `_${words(s.italic)}_`;
      if ('command' in s) return `\`${s.command}\``;
      if ('code' in s) return `\`${s.code}\``;
      if ('person' in s) return `@${s.person.name}`;
      if ('emoji' in s) return s.emoji;
      if ('date' in s) return s.date.toISOString();
      return '';
    })
    .join('');
const said = (p: Presentation): string =>
  p.sections
    .map((s) => {
      if (s.kind === 'lines') return s.lines.map(words).join('\n');
      return 'text' in s ? words(s.text) : '';
    })
    .join('\n');
/** The list's lines (the section of lines), one string each. */
const linesOf = (p: Presentation): string[] =>
  p.sections.flatMap((s) => (s.kind === 'lines' ? s.lines.map(words) : []));
/** The summaries of the listed incidents, in order. */
const listed = (p: Presentation): string[] => linesOf(p).map((l) => /— (.*?) ·/.exec(l)?.[1] ?? l);

const at = (iso: string): Ctx['clock'] => fixedClock(iso);
const as = (ctx: Ctx, iso: string): Ctx => ({ ...ctx, clock: at(iso) });
/** 45 minutes after T0 (Mon 30 Nov 2026, 09:15 in London): the moment the lists are read. */
const NOW = '2026-11-30T10:00:00Z';

async function fault(
  ctx: Ctx,
  summary: string,
  opts: { impact?: Impact; urgency?: Urgency; locationId?: string; assetId?: string } = {},
) {
  const { incident } = must(
    await reportFault(ctx, {
      summary,
      urgency: opts.urgency ?? 'today',
      impact: opts.impact ?? 'room',
      ...(opts.locationId ? { locationId: opts.locationId } : {}),
      ...(opts.assetId ? { assetId: opts.assetId } : {}),
    }),
  );
  return incident;
}

/** Sets an incident's fields as if its story had happened (claims, holds, resolutions). */
async function set(id: string, values: Partial<typeof incidents.$inferInsert>) {
  await tdb.db.update(incidents).set(values).where(eq(incidents.id, id));
}

interface Scene {
  school: TestSchool;
  patel: Ctx & { slackUserId: string };
  jones: Ctx & { slackUserId: string };
  sam: Ctx & { slackUserId: string };
  office: Ctx & { slackUserId: string };
}

/**
 * A school at T0 with two teachers, a technician and the office, and these faults:
 * - Server down: Ms Patel's P1 in the Library on LAP-0001, nobody has it (response missed at NOW);
 * - Wi-Fi down: Mr Jones's P1 in the ICT suite, Sam claimed it 10 minutes in (3h 15m to resolve);
 * - Mouse sticky: Ms Patel's P4 in the Library, nobody has it (days left to respond);
 * - Printer jam: Mr Jones's P3 in the Library, resolved 20 minutes in;
 * - Scanner lost: Ms Patel's P2 on hold with Sam since 15 minutes in (its clock paused);
 * - Old laptop: Ms Patel's, closed 40 days ago; Dead cable: Mr Jones's, closed 10 days ago.
 * Another school has its own Library, a "Sports hall B" and a fault of its own.
 */
async function scene(): Promise<Scene> {
  const school = await makeSchool(tdb.db);
  const patel = await school.person('teacher', 'Ms Patel');
  const jones = await school.person('teacher', 'Mr Jones');
  const sam = await school.person('technician', 'Sam Tech');
  const office = await school.person('office', 'Olive Office');
  const library = await school.locationId('Library');
  const suite = await school.locationId('ICT suite');
  const laptop = must(await registerAsset(office, assetInput({ tag: 'LAP-0001', locationId: library })));
  const minutes = (m: number) => new Date(Date.parse(T0) + m * 60_000);
  const daysAgo = (d: number) => new Date(Date.parse(T0) - d * 24 * 60 * 60_000);

  await fault(patel, 'Server down', {
    impact: 'whole_school',
    urgency: 'lesson_stopped',
    locationId: library,
    assetId: laptop.id,
  });
  const wifi = await fault(jones, 'Wi-Fi down', {
    impact: 'department',
    urgency: 'lesson_stopped',
    locationId: suite,
  });
  await set(wifi.id, { status: 'in_progress', assigneeId: sam.actor.personId, firstResponseAt: minutes(10) });
  await fault(patel, 'Mouse sticky', { impact: 'person', urgency: 'no_deadline', locationId: library });
  const printer = await fault(jones, 'Printer jam', {
    impact: 'department',
    urgency: 'no_deadline',
    locationId: library,
  });
  await set(printer.id, {
    status: 'resolved',
    firstResponseAt: minutes(5),
    resolvedAt: minutes(20),
    resolution: 'Cleared',
  });
  const scanner = await fault(patel, 'Scanner lost', { impact: 'room', urgency: 'today' });
  await set(scanner.id, {
    status: 'on_hold',
    assigneeId: sam.actor.personId,
    firstResponseAt: minutes(5),
    onHoldSince: minutes(15),
    holdReason: 'Waiting for a part',
  });
  const old = await fault(patel, 'Old laptop', { urgency: 'this_week' });
  await set(old.id, { status: 'closed', createdAt: daysAgo(45), closedAt: daysAgo(40) });
  const cable = await fault(jones, 'Dead cable', { urgency: 'this_week' });
  await set(cable.id, { status: 'closed', createdAt: daysAgo(12), closedAt: daysAgo(10) });

  const elsewhere = await makeSchool(tdb.db);
  const theirOffice = await elsewhere.person('office', 'Their Office');
  const hall = must(
    await addLocation(theirOffice, { name: 'Sports hall B', parentId: null, defaultImpact: null }),
  );
  await fault(theirOffice, 'Their server down', {
    impact: 'whole_school',
    urgency: 'lesson_stopped',
    locationId: await elsewhere.locationId('Library'),
  });
  await fault(theirOffice, 'Their hall lights', { locationId: hall.id });
  return {
    school,
    patel: as(patel, NOW),
    jones: as(jones, NOW),
    sam: as(sam, NOW),
    office: as(office, NOW),
  } as Scene;
}

const ask = (ctx: Ctx, text: string, page?: number) => incidentsAnswer(ctx, text.split(' '), page);

describe('spoc incidents with filters', () => {
  it('each filter lists what it says, and filters combine, within the school', async () => {
    const { sam, office } = await scene();
    expect(listed(await ask(office, ''))).toEqual([
      'Wi-Fi down',
      'Server down',
      'Scanner lost',
      'Mouse sticky',
    ]);
    expect(listed(await ask(office, 'unassigned'))).toEqual(['Server down', 'Mouse sticky']);
    expect(listed(await ask(office, 'p1'))).toEqual(['Wi-Fi down', 'Server down']);
    expect(listed(await ask(office, 'P1 P4'))).toEqual(['Wi-Fi down', 'Server down', 'Mouse sticky']);
    expect(listed(await ask(sam, 'mine'))).toEqual(['Wi-Fi down', 'Scanner lost']);
    expect(listed(await ask(sam, 'mine p1'))).toEqual(['Wi-Fi down']);
    expect(listed(await ask(office, 'location library'))).toEqual(['Server down', 'Mouse sticky']);
    expect(listed(await ask(office, 'all location LIBRARY'))).toEqual([
      'Server down',
      'Printer jam',
      'Mouse sticky',
    ]);
    expect(listed(await ask(office, 'asset lap-0001'))).toEqual(['Server down']);
    expect(listed(await ask(office, 'location Library breached'))).toEqual(['Server down']);
    expect(listed(await ask(office, 'unassigned p4 location Library'))).toEqual(['Mouse sticky']);
    // The old words, as before.
    expect(listed(await ask(office, 'all'))).toHaveLength(7);
    expect(listed(await ask(office, 'open'))).toHaveLength(4);

    expect(words((await ask(sam, 'mine p1')).text)).toBe('Open P1 incidents assigned to you');
    expect(words((await ask(office, 'unassigned p4 location Library')).text)).toBe(
      'Open unassigned P4 incidents at Library',
    );
    // Nothing of the other school, whose Library has a P1 of its own.
    for (const list of ['all', 'p1', 'location Library', 'breached', 'closed']) {
      expect(said(await ask(office, list)), list).not.toContain('Their');
    }
  });

  it('reporter: a Slack mention, a Teams mention or a name, found within the school', async () => {
    const { patel, jones, office } = await scene();
    const patelsOpen = ['Server down', 'Scanner lost', 'Mouse sticky'];
    expect(listed(await ask(office, `reporter <@${patel.slackUserId}>`))).toEqual(patelsOpen);
    expect(listed(await ask(office, `reporter <@${patel.slackUserId}|ms.patel>`))).toEqual(patelsOpen);
    expect(listed(await ask(office, 'reporter <at>Ms Patel</at>'))).toEqual(patelsOpen);
    expect(listed(await ask(office, 'reporter ms patel p1'))).toEqual(['Server down']);
    expect(listed(await ask(office, 'closed reporter "Mr Jones"'))).toEqual(['Printer jam', 'Dead cable']);
    const title = (await ask(office, `reporter <@${jones.slackUserId}>`)).text;
    expect(words(title)).toBe('Open incidents reported by Mr Jones');

    const unknown = said(await ask(office, 'reporter Mr Jonse'));
    expect(unknown).toContain("I don't know anyone called *Mr Jonse* in your school.");
    expect(unknown).toContain('The nearest: Mr Jones');
    // The other school's people are not known here.
    expect(said(await ask(office, 'reporter Their Office'))).toContain(
      "I don't know anyone called *Their Office*",
    );
  });

  it('breached: open incidents past their response or resolution target, counted in school time', async () => {
    const { office, patel } = await scene();
    // At NOW (45 minutes in) only Server down (P1, 30 minutes to respond) has missed a target.
    expect(listed(await ask(office, 'breached'))).toEqual(['Server down']);
    // At 13:00 Wi-Fi down (claimed in time) is still within its 4 hours to resolve; by 09:00 the
    // next day it is not (4 school hours); the paused Scanner lost is not, its clock stopped.
    expect(listed(await ask(as(office, '2026-11-30T13:00:00Z'), 'breached'))).toEqual(['Server down']);
    expect(listed(await ask(as(office, '2026-12-01T09:00:00Z'), 'breached'))).toEqual([
      'Wi-Fi down',
      'Server down',
    ]);
    // A teacher's breached list is of their own reports.
    expect(listed(await ask(as(patel, '2026-12-01T09:00:00Z'), 'breached'))).toEqual(['Server down']);

    // School time: a P1 reported at 15:50 on a Friday has used 20 of its 30 minutes by 08:10 on
    // Monday, so it is not breached, however many hours the weekend had.
    const friday = await makeSchool(tdb.db, { clock: at('2026-11-27T15:50:00Z') });
    const head = await friday.person('admin', 'Head');
    await fault(head, 'Friday fault', { impact: 'whole_school', urgency: 'lesson_stopped' });
    const monday = as(head, '2026-11-30T08:10:00Z');
    expect(listed(await ask(monday, 'breached'))).toEqual([]);
    expect(linesOf(await ask(monday, 'p1'))[0]).toContain('10m of school time left to respond');
    expect(listed(await ask(as(head, '2026-11-30T08:21:00Z'), 'breached'))).toEqual(['Friday fault']);
  });

  it('each line says in words where the incident stands against its SLA', async () => {
    const { office } = await scene();
    const line = async (list: string, summary: string) =>
      linesOf(await ask(office, list)).find((l) => l.includes(summary)) ?? '';
    expect(await line('open', 'Server down')).toContain(
      ' · New · :rotating_light: response target missed · Library',
    );
    expect(await line('open', 'Wi-Fi down')).toContain(
      ' · In progress · :stopwatch: 3h 15m of school time left to resolve · ICT suite · @Sam Tech',
    );
    expect(await line('open', 'Mouse sticky')).toContain(
      ':stopwatch: 2 days 7h 15m of school time left to respond',
    );
    // On hold 30 minutes of its P2's 8 hours: 7h 45m left, the clock paused.
    expect(await line('open', 'Scanner lost')).toContain(
      ':double_vertical_bar: on hold, SLA clock paused — 7h 45m of school time left to resolve',
    );
    expect(await line('all', 'Printer jam')).toContain(
      ' · Resolved · :white_check_mark: resolved Mon 30 Nov 2026, within the 3 days target',
    );
    expect(await line('closed', 'Dead cable')).toContain(' · Closed · closed Fri 20 Nov 2026');
    // Dates as people read them, never ISO.
    expect(said(await ask(office, 'all'))).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('closed: those closed or resolved in the last 30 days, most recent first', async () => {
    const { office, patel } = await scene();
    expect(listed(await ask(office, 'closed'))).toEqual(['Printer jam', 'Dead cable']);
    expect(words((await ask(office, 'closed')).text)).toBe(
      'Incidents closed or resolved in the last 30 days',
    );
    // Ms Patel's only closed fault was closed 40 days ago.
    expect(said(await ask(patel, 'closed'))).toContain('Nothing here.');
  });

  it('a teacher sees only their own reports, whatever the filter, and may not ask for anyone else’s', async () => {
    const { patel, jones } = await scene();
    expect(listed(await ask(patel, ''))).toEqual(['Server down', 'Scanner lost', 'Mouse sticky']);
    expect(listed(await ask(patel, 'location Library'))).toEqual(['Server down', 'Mouse sticky']);
    expect(listed(await ask(jones, 'location Library all'))).toEqual(['Printer jam']);
    expect(listed(await ask(jones, 'p1'))).toEqual(['Wi-Fi down']);
    expect(listed(await ask(jones, 'unassigned'))).toEqual([]);
    expect(listed(await ask(patel, 'mine'))).toEqual([
      'Server down',
      'Scanner lost',
      'Old laptop',
      'Mouse sticky',
    ]);
    expect(words((await ask(patel, 'location Library')).text)).toBe('Your open reports at Library');
    expect(listed(await ask(patel, `reporter <@${patel.slackUserId}>`))).toEqual([
      'Server down',
      'Scanner lost',
      'Mouse sticky',
    ]);
    for (const other of [`reporter <@${jones.slackUserId}>`, 'reporter Mr Jones', 'reporter Nobody Known']) {
      const refused = said(await ask(patel, other));
      expect(refused, other).toContain('You can list only the faults you reported.');
      expect(refused, other).not.toContain('Printer');
    }
    // The domain refuses it too, whatever the words.
    expect(
      await findIncidents(patel, {
        reporter: { ids: [jones.actor.personId], name: 'Mr Jones', slackUserId: null },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    // The old lists keep their rule.
    expect(must(await listIncidents(jones, { filter: 'all' })).incidents.map((i) => i.summary)).toEqual([
      'Wi-Fi down',
      'Printer jam',
      'Dead cable',
    ]);
  });

  it('names: any case, several words, in quotes; an unknown one is answered with the nearest names', async () => {
    const { office, school } = await scene();
    must(await addLocation(office, { name: 'Year 3', parentId: null, defaultImpact: null }));
    const y3c = must(
      await addLocation(office, { name: 'Year 3 Classroom', parentId: null, defaultImpact: null }),
    );
    const inClass = as(await school.person('teacher', 'Ms Lee'), NOW);
    await fault(inClass, 'Board frozen', { locationId: y3c.id });
    expect(listed(await ask(office, 'location year 3 classroom'))).toEqual(['Board frozen']);
    expect(listed(await ask(office, 'location Year 3'))).toEqual([]);
    expect(listed(await ask(office, 'location “Year 3 Classroom” unassigned'))).toEqual(['Board frozen']);
    expect(said(await ask(office, 'location Year 3'))).toContain('Nothing here.');

    const unknown = await ask(office, 'location Libary p1');
    expect(said(unknown)).toContain("I don't know a location called *Libary* in your school.");
    expect(said(unknown)).toContain('The nearest: Library');
    expect(said(unknown)).toContain('`spoc incidents location Library`');
    expect(linesOf(unknown)).toEqual([]);
    // Another school's location is not one of this school's.
    expect(said(await ask(office, 'location Sports hall B'))).toContain(
      "I don't know a location called *Sports hall B* in your school.",
    );
    expect(said(await ask(office, 'asset LAP-0002'))).toContain(
      "I don't know an asset tagged *LAP-0002* in your school.\nThe nearest: LAP-0001.",
    );
  });

  it('words it cannot read get the filters, never an empty list', async () => {
    const { office, patel } = await scene();
    for (const [text, problem] of [
      ['sideways', "I don't know the list `sideways`."],
      ['open closed', 'Choose one of `open`, `closed` or `all`.'],
      ['closed breached', '`breached` lists open incidents, so it does not go with `closed`.'],
      ['mine unassigned', '`mine` and `unassigned` cannot both be true: choose one.'],
      ['location', '`location` needs a name after it, like `location Library`.'],
      ['location p1', '`location` needs a name after it'],
      ['location Library location Hall', 'One `location` at a time, please.'],
    ] as const) {
      const answer = await ask(office, text);
      expect(said(answer), text).toContain(problem);
      expect(said(answer), text).toContain('Lists: open, mine, reported, all, unassigned, breached');
      expect(said(answer), text).toContain('reporter @person');
      expect(linesOf(answer), text).toEqual([]);
    }
    // A teacher is not offered other people's reports.
    expect(said(await ask(patel, 'frobnicate'))).not.toContain('reporter @person');
  });

  it('the page buttons carry the list, so the next page is of the same list', async () => {
    const school = await makeSchool(tdb.db);
    const sam = as(await school.person('technician', 'Sam Tech'), NOW);
    const teacher = await school.person('teacher', 'Ms Patel');
    for (let n = 1; n <= 25; n++) {
      const p1 = await fault(teacher, `Urgent ${n}`, { impact: 'whole_school', urgency: 'lesson_stopped' });
      await set(p1.id, {
        assigneeId: sam.actor.personId,
        status: 'in_progress',
        firstResponseAt: new Date(T0),
      });
      await fault(teacher, `Minor ${n}`, { impact: 'person', urgency: 'no_deadline' });
    }
    const first = await ask(sam, 'mine p1');
    expect(said(first)).toContain('*Open P1 incidents assigned to you* (25) — page 1 of 2');
    const next = first.actions.find((a) => a.id === 'incidents.next');
    const value = readPageValue(next?.value ?? '');
    expect(value).toEqual({ kind: 'incidents', page: 2, query: 'mine P1' });
    // The handlers pass the carried words back as they are.
    const second = await incidentsAnswer(sam, [value?.query ?? ''], value?.page);
    expect(said(second)).toContain('*Open P1 incidents assigned to you* (25) — page 2 of 2');
    expect(listed(second)).toHaveLength(5);
    expect(listed(second).every((s) => s.startsWith('Urgent'))).toBe(true);
    const previous = readPageValue(second.actions.find((a) => a.id === 'incidents.previous')?.value ?? '');
    expect(previous).toEqual({ kind: 'incidents', page: 1, query: 'mine P1' });

    // A named place and a mention are carried so that they read back as one.
    const library = await school.locationId('Library');
    for (let n = 1; n <= 21; n++) await fault(teacher, `Shelf ${n}`, { locationId: library });
    const shelves = await ask(sam, `location library reporter <@${teacher.slackUserId}|ms.patel>`);
    const carried = readPageValue(shelves.actions.find((a) => a.id === 'incidents.next')?.value ?? '');
    expect(carried?.query).toBe(`location "Library" reporter <@${teacher.slackUserId}>`);
    expect(said(await incidentsAnswer(sam, [carried?.query ?? ''], 2))).toContain('(21) — page 2 of 2');
  });
});

describe('reading the words', () => {
  it('keeps mentions and quoted names whole, and Slack’s escaping undone', () => {
    expect(
      tokensOf('reporter <@U12AB|Sam Tech> location "Art &amp; Design" <at>Adele Vance</at> p1'),
    ).toEqual([
      { kind: 'word', text: 'reporter' },
      { kind: 'slack', userId: 'U12AB', name: 'Sam Tech' },
      { kind: 'word', text: 'location' },
      { kind: 'quoted', text: 'Art & Design' },
      { kind: 'at', name: 'Adele Vance' },
      { kind: 'word', text: 'p1' },
    ]);
  });

  it('offers the names holding what was typed first, then the closest', () => {
    expect(nearestNames('lib', ['Hall', 'Library', 'Lab 1', 'Staff room'], 2)).toEqual(['Library', 'Lab 1']);
    expect(nearestNames('Hal', ['Hall', 'Library'], 5)).toEqual(['Hall', 'Library']);
  });
});
