import { describe, expect, it } from 'vitest';
import { sectionBlocks } from '../../../src/bot/slack/views/render';
import { workProgressSections } from '../../../src/domain/presenters/home';
import { percentBar } from '../../../src/domain/presenters/work-items';
import {
  problemSuggestions,
  type RepeatIncident,
  suggestedProblemTitle,
} from '../../../src/domain/reminders/problem-suggestions';
import { dueReminders, type ReminderSnapshot } from '../../../src/domain/reminders/rules';
import { makeCalendar } from '../../../src/domain/school-time';
import { parseIncidentRefs } from '../../../src/domain/work-items/links';
import type { WorkItemSummary } from '../../../src/domain/work-items/list';
import { isOverdue, nextProgress } from '../../../src/domain/work-items/progress';

describe('progress: status and percent move together', () => {
  const at = (status: Parameters<typeof nextProgress>[0]['status'], percentDone: number) => ({
    status,
    percentDone,
  });

  it.each([
    ['forward freely', at('proposed', 0), { status: 'in_progress' as const }, at('in_progress', 0)],
    ['back one step', at('reviewed', 100), { status: 'implemented' as const }, at('implemented', 100)],
    ['percent alone', at('in_progress', 20), { percentDone: 60 }, at('in_progress', 60)],
    [
      'implemented makes it 100%',
      at('in_progress', 60),
      { status: 'implemented' as const },
      at('implemented', 100),
    ],
    ['closed from proposed is 100%', at('proposed', 0), { status: 'closed' as const }, at('closed', 100)],
    [
      '100% on unfinished work marks it implemented',
      at('approved', 40),
      { percentDone: 100 },
      at('implemented', 100),
    ],
    [
      'back from implemented with a percent',
      at('implemented', 100),
      { status: 'in_progress' as const, percentDone: 80 },
      at('in_progress', 80),
    ],
    ['nothing changed', at('approved', 10), {}, at('approved', 10)],
  ])('%s', (_name, current, change, next) => {
    expect(nextProgress(current, change)).toEqual({ ok: true, next });
  });

  it.each([
    [
      'back two steps',
      at('implemented', 100),
      { status: 'approved' as const },
      'status',
      'It can only go back one step, to In progress.',
    ],
    [
      'implemented below 100%',
      at('in_progress', 50),
      { status: 'implemented' as const, percentDone: 80 },
      'percentDone',
      'Implemented means done',
    ],
    [
      '100% with an earlier status',
      at('approved', 50),
      { status: 'in_progress' as const, percentDone: 100 },
      'percentDone',
      '100% means implemented',
    ],
    [
      'back from implemented without a percent',
      at('implemented', 100),
      { status: 'in_progress' as const },
      'percentDone',
      'It is no longer done',
    ],
    [
      'lower percent while implemented',
      at('implemented', 100),
      { percentDone: 90 },
      'percentDone',
      'Implemented means done',
    ],
    [
      'over 100',
      at('approved', 0),
      { percentDone: 101 },
      'percentDone',
      'Give a whole number from 0 to 100.',
    ],
    [
      'a fraction',
      at('approved', 0),
      { percentDone: 12.5 },
      'percentDone',
      'Give a whole number from 0 to 100.',
    ],
    [
      'not a number',
      at('approved', 0),
      { percentDone: Number.NaN },
      'percentDone',
      'Give a whole number from 0 to 100.',
    ],
  ] as const)('refuses %s', (_name, current, change, field, message) => {
    const out = nextProgress(current, change);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.fields[field]).toContain(message);
  });

  it('is overdue past its target until implemented', () => {
    expect(isOverdue({ status: 'in_progress', targetDate: '2027-02-28' }, '2027-03-01')).toBe(true);
    expect(isOverdue({ status: 'in_progress', targetDate: '2027-03-01' }, '2027-03-01')).toBe(false);
    expect(isOverdue({ status: 'implemented', targetDate: '2027-02-28' }, '2027-03-01')).toBe(false);
    expect(isOverdue({ status: 'approved', targetDate: null }, '2027-03-01')).toBe(false);
  });
});

describe('incident references', () => {
  it('reads INC-n, bare numbers and ids; lists anything else', () => {
    const id = '0b6f0c1e-4a52-4c4e-9d0a-3c2f1b7e8a90';
    expect(parseIncidentRefs(['INC-4, inc-7 9', `#4 ${id.toUpperCase()}`, 'printer'])).toEqual({
      numbers: [4, 7, 9],
      ids: [id],
      bad: ['printer'],
    });
    expect(parseIncidentRefs([''])).toEqual({ numbers: [], ids: [], bad: [] });
  });
});

describe('repeated faults suggest a problem', () => {
  const NOW = new Date('2027-03-01T09:00:00Z');
  const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
  let n = 0;
  const incident = (over: Partial<RepeatIncident> & { createdAt: Date }): RepeatIncident => {
    n += 1;
    return {
      id: `i${n}`,
      number: n,
      summary: `Fault ${n}`,
      assetId: 'a1',
      assetTag: 'PROJ-HALL',
      locationId: 'hall',
      locationName: 'Hall',
      linkedToOpenProblem: false,
      ...over,
    };
  };

  it('3 faults on one asset within 30 days: one suggestion, keyed by the newest fault', () => {
    n = 0;
    const list = [
      incident({ createdAt: daysAgo(20) }),
      incident({ createdAt: daysAgo(2) }),
      incident({ createdAt: daysAgo(9) }),
    ];
    expect(problemSuggestions(list, NOW)).toEqual([
      {
        kind: 'problem.suggested',
        key: 'problem.suggested:i2',
        scope: 'asset',
        subjectId: 'a1',
        label: 'PROJ-HALL',
        count: 3,
        incidents: [
          { id: 'i1', number: 1, summary: 'Fault 1' },
          { id: 'i3', number: 3, summary: 'Fault 3' },
          { id: 'i2', number: 2, summary: 'Fault 2' },
        ],
      },
    ]);
  });

  it('3 faults spread over 31 days suggest nothing', () => {
    n = 0;
    const list = [
      incident({ createdAt: daysAgo(31) }),
      incident({ createdAt: daysAgo(15) }),
      incident({ createdAt: daysAgo(1) }),
    ];
    expect(problemSuggestions(list, NOW)).toEqual([]);
  });

  it('incidents an open problem already covers do not count', () => {
    n = 0;
    const list = [
      incident({ createdAt: daysAgo(3), linkedToOpenProblem: true }),
      incident({ createdAt: daysAgo(2) }),
      incident({ createdAt: daysAgo(1) }),
    ];
    expect(problemSuggestions(list, NOW)).toEqual([]);
  });

  it('a location cluster counts what no asset cluster took', () => {
    n = 0;
    const onAsset = [1, 2, 3].map((d) => incident({ createdAt: daysAgo(d) }));
    const inRoom = [4, 5].map((d) => incident({ createdAt: daysAgo(d), assetId: null, assetTag: null }));
    // 5 faults in the hall, 3 of them on the projector: only the projector is suggested.
    expect(problemSuggestions([...onAsset, ...inRoom], NOW).map((s) => s.key)).toEqual([
      'problem.suggested:i1',
    ]);
    const third = incident({ createdAt: daysAgo(6), assetId: null, assetTag: null });
    expect(
      problemSuggestions([...onAsset, ...inRoom, third], NOW).map((s) => [s.key, s.label, s.count]),
    ).toEqual([
      ['problem.suggested:i1', 'PROJ-HALL', 3],
      ['problem.suggested:i4', 'Hall', 3],
    ]);
  });

  it('reaches the SPOC channel through the reminder rules, in school time only', () => {
    n = 0;
    const snap: ReminderSnapshot = {
      payments: [],
      contracts: [],
      incidents: [],
      licences: [],
      warranties: [],
      diaryToday: [],
      snoozed: new Set(),
      recentIncidents: [1, 2, 3].map((d) => incident({ createdAt: daysAgo(d) })),
    };
    const calendar = makeCalendar({});
    const keys = (now: string) =>
      dueReminders(snap, { now: new Date(now), calendar })
        .filter((r) => r.kind === 'problem.suggested')
        .map((r) => r.key);
    expect(keys('2027-03-01T09:00:00Z')).toEqual(['problem.suggested:i1']);
    expect(keys('2027-02-27T10:00:00Z')).toEqual([]); // a Saturday
  });

  it('names the problem after the asset or place', () => {
    expect(suggestedProblemTitle('PROJ-HALL')).toBe('Repeated faults: PROJ-HALL');
  });
});

describe('progress at a glance', () => {
  it('draws a five-cell bar', () => {
    expect(percentBar(60)).toBe('▓▓▓░░ 60%');
    expect(percentBar(0)).toBe('░░░░░ 0%');
    expect(percentBar(100)).toBe('▓▓▓▓▓ 100%');
  });

  it('lists open work for the App Home, flagging what is overdue', () => {
    const item = (over: Partial<WorkItemSummary>): WorkItemSummary =>
      ({
        id: 'w1',
        kind: 'change',
        number: 3,
        reference: 'CHG-3',
        title: 'New Wi-Fi in the hall',
        status: 'in_progress',
        percentDone: 60,
        targetDate: '2027-02-26',
        overdue: true,
        ...over,
      }) as WorkItemSummary;
    const text = JSON.stringify(
      sectionBlocks(
        workProgressSections([
          item({}),
          item({
            kind: 'problem',
            reference: 'PRB-1',
            title: 'Printer jams',
            overdue: false,
            targetDate: null,
          }),
        ]),
      ),
    );
    expect(text).toContain('*CHG-3* New Wi-Fi in the hall');
    expect(text).toContain('▓▓▓░░ 60%');
    expect(text).toContain('In progress · :warning: overdue since 26/02/2027');
    expect(text).toContain('*PRB-1* Printer jams');
    expect(JSON.stringify(sectionBlocks(workProgressSections([])))).toContain('No open changes or problems');
  });
});
