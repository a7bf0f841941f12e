import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LEAD_TIMES,
  dueReminders,
  leadTimesOf,
  type ReminderSnapshot,
} from '../../../src/domain/reminders/rules';
import { makeCalendar } from '../../../src/domain/school-time';

const calendar = makeCalendar({
  holidays: [{ start: '2027-02-15', end: '2027-02-19', name: 'February half term' }],
});
const empty: ReminderSnapshot = {
  payments: [],
  contracts: [],
  incidents: [],
  licences: [],
  warranties: [],
  diaryToday: [],
  snoozed: new Set(),
};
const at = (iso: string) => new Date(iso);
/** An incident's SLA fields when it keeps no targets of its own and was never on hold. */
const noSla = {
  resolvedAt: null,
  slaRespondMinutes: null,
  slaResolveMinutes: null,
  onHoldSince: null,
  slaPausedMinutes: 0,
};
/** The keys due, leaving out the weekly digest (tested on its own below). */
const kinds = (snap: Partial<ReminderSnapshot>, now: string) =>
  dueReminders({ ...empty, ...snap }, { now: at(now), calendar })
    .filter((r) => r.kind !== 'digest')
    .map((r) => r.key);

const payment = (dueDate: string) => ({
  id: 'p1',
  payee: 'Oakwood ICT',
  amountPence: 123450,
  dueDate,
  reference: 'INV-9',
});
const MONDAY_9AM = '2027-03-01T09:00:00Z'; // GMT: 09:00 in London

describe('payments', () => {
  it.each([
    ['2027-03-09', []],
    ['2027-03-08', ['payment.due_soon:p1:2027-03-08']],
    ['2027-03-02', ['payment.due_soon:p1:2027-03-02']],
    ['2027-03-01', ['payment.due_today:p1:2027-03-01']],
    ['2027-02-26', ['payment.overdue:p1:2027-02-26:2027-03-01']],
  ])('due %s → %j', (due, expected) => {
    expect(kinds({ payments: [payment(due)] }, MONDAY_9AM)).toEqual(expected);
  });

  it('an overdue payment is a new occurrence each school day', () => {
    const snap = { payments: [payment('2027-02-26')] };
    expect(kinds(snap, '2027-03-02T10:00:00Z')).toEqual(['payment.overdue:p1:2027-02-26:2027-03-02']);
  });
});

describe('the school calendar', () => {
  const snap = {
    payments: [payment('2027-03-08')],
    diaryToday: [{ title: 'Switch upgrade', kind: 'maintenance' }],
  };
  it.each([
    ['Saturday', '2027-03-06T10:00:00Z'],
    ['Sunday', '2027-03-07T10:00:00Z'],
    ['before school', '2027-03-01T07:59:00Z'],
    ['after school', '2027-03-01T16:00:00Z'],
    ['half term', '2027-02-16T10:00:00Z'],
    ['Easter Monday (bank holiday)', '2027-03-29T09:00:00Z'],
  ])('posts nothing on a %s', (_what, now) => {
    expect(kinds(snap, now)).toEqual([]);
  });

  it('in BST school starts at 07:00Z', () => {
    expect(kinds({ payments: [payment('2027-04-08')] }, '2027-04-05T06:59:00Z')).toEqual([]);
    expect(kinds({ payments: [payment('2027-04-08')] }, '2027-04-05T07:00:00Z')).toEqual([
      'payment.due_soon:p1:2027-04-08',
    ]);
  });
});

describe('contracts', () => {
  const contract = {
    id: 'c1',
    title: 'Support SLA',
    providerName: 'Oakwood',
    endDate: '2027-08-31',
    noticeDays: 90,
    autoRenews: true,
    status: 'active' as const,
  };
  it.each([
    ['2027-03-01T09:00:00Z', []],
    ['2027-04-05T09:00:00Z', ['contract.notice:c1:2027-06-02:60']],
    ['2027-05-10T09:00:00Z', ['contract.notice:c1:2027-06-02:30']],
    ['2027-05-27T09:00:00Z', ['contract.notice:c1:2027-06-02:7']],
    ['2027-06-03T09:00:00Z', []],
    ['2027-08-02T09:00:00Z', ['contract.end:c1:2027-08-31']],
  ])('at %s → %j', (now, expected) => {
    expect(kinds({ contracts: [contract] }, now)).toEqual(expected);
  });

  it('no notice reminders once the SPOC has decided to cancel', () => {
    expect(kinds({ contracts: [{ ...contract, status: 'cancelling' }] }, '2027-05-10T09:00:00Z')).toEqual([]);
  });
});

describe('licences, warranties and the diary', () => {
  it('flags expiry at 60 and 30 days, over-deployment, warranties within 30 days and today’s diary', () => {
    const keys = kinds(
      {
        licences: [
          {
            id: 'l1',
            title: 'Purple Mash',
            type: 'per_user',
            quantity: 30,
            seatsInUse: 31,
            expiryDate: '2027-04-20',
          },
          {
            id: 'l2',
            title: 'Scratch',
            type: 'site',
            quantity: null,
            seatsInUse: 900,
            expiryDate: '2027-03-25',
          },
        ],
        warranties: [
          { id: 'a1', tag: 'LAP-1', warrantyEnd: '2027-03-31' },
          { id: 'a2', tag: 'LAP-2', warrantyEnd: '2027-04-01' },
        ],
        diaryToday: [{ title: 'Switch upgrade', kind: 'maintenance' }],
      },
      MONDAY_9AM,
    );
    expect(keys).toEqual([
      'licence.expiring:l1:2027-04-20:60',
      'licence.over_deployed:l1:31/30',
      'licence.expiring:l2:2027-03-25:30',
      'asset.warranty:a1:2027-03-31',
      'diary.today:2027-03-01',
    ]);
  });

  it('skips what the SPOC snoozed', () => {
    const snap = { payments: [payment('2027-03-01')], snoozed: new Set(['payment:p1']) };
    expect(kinds(snap, MONDAY_9AM)).toEqual([]);
  });
});

describe('incidents (school time)', () => {
  const p1 = {
    id: 'i1',
    number: 7,
    summary: 'Server down',
    priority: 'P1' as const,
    status: 'new',
    createdAt: at(MONDAY_9AM),
    firstResponseAt: null,
    lastActivityAt: at(MONDAY_9AM),
    ...noSla,
  };
  it.each([
    ['2027-03-01T09:22:00Z', []],
    ['2027-03-01T09:23:00Z', ['incident.sla_warning:response:i1']],
    ['2027-03-01T09:30:00Z', ['incident.sla_breach:response:i1']],
  ])('a P1 reported at 09:00, at %s → %j', (now, expected) => {
    expect(kinds({ incidents: [p1] }, now)).toEqual(expected);
  });

  it('counts only school time: a P2 reported at 15:30 on Friday warns on Monday', () => {
    const p2 = {
      ...p1,
      priority: 'P2' as const,
      createdAt: at('2027-03-05T15:30:00Z'),
      lastActivityAt: at('2027-03-05T15:30:00Z'),
    };
    // 2 h response target, warning at 90 min: 30 min on Friday, 60 min on Monday.
    expect(kinds({ incidents: [p2] }, '2027-03-08T08:59:00Z')).toEqual([]);
    expect(kinds({ incidents: [p2] }, '2027-03-08T09:00:00Z')).toEqual(['incident.sla_warning:response:i1']);
  });

  it('pauses the clock while on hold, and calls a claimed incident stale after its response target without activity', () => {
    expect(kinds({ incidents: [{ ...p1, status: 'on_hold' }] }, '2027-03-01T12:00:00Z')).toEqual([]);
    const claimed = {
      ...p1,
      priority: 'P3' as const,
      status: 'in_progress',
      firstResponseAt: at(MONDAY_9AM),
      lastActivityAt: at(MONDAY_9AM),
    };
    // P3: respond within a school day (480 min), resolve within three.
    expect(kinds({ incidents: [claimed] }, '2027-03-02T09:00:00Z')).toEqual([]);
    expect(kinds({ incidents: [claimed] }, '2027-03-02T09:01:00Z')).toEqual([
      `incident.stale:i1:${at(MONDAY_9AM).toISOString()}`,
    ]);
  });
});

describe('SLA targets and pauses', () => {
  const claimedP1 = {
    id: 'i1',
    number: 7,
    summary: 'Server down',
    priority: 'P1' as const,
    status: 'in_progress',
    createdAt: at(MONDAY_9AM),
    firstResponseAt: at(MONDAY_9AM),
    lastActivityAt: at('2027-03-01T12:00:00Z'),
    ...noSla,
  };

  const sla = (snap: Partial<ReminderSnapshot>, now: string) =>
    kinds(snap, now).filter((k) => k.startsWith('incident.sla'));

  it('moves the resolution deadline back by the school minutes spent on hold', () => {
    // P1 resolves in 4 h: due 13:00; after 90 minutes on hold, due 14:30.
    expect(sla({ incidents: [claimedP1] }, '2027-03-01T13:00:00Z')).toEqual([
      'incident.sla_breach:resolution:i1',
    ]);
    const held = { ...claimedP1, slaPausedMinutes: 90 };
    expect(sla({ incidents: [held] }, '2027-03-01T13:00:00Z')).toEqual([]);
    expect(sla({ incidents: [held] }, '2027-03-01T14:29:00Z')).toEqual([
      'incident.sla_warning:resolution:i1',
    ]);
    expect(sla({ incidents: [held] }, '2027-03-01T14:30:00Z')).toEqual(['incident.sla_breach:resolution:i1']);
  });

  it('says nothing while the clock is paused', () => {
    const holding = { ...claimedP1, status: 'on_hold', onHoldSince: at('2027-03-01T10:00:00Z') };
    expect(kinds({ incidents: [holding] }, '2027-03-01T15:00:00Z')).toEqual([]);
  });

  it('uses the targets the incident carries over the school defaults', () => {
    const own = { ...claimedP1, slaResolveMinutes: 60 };
    expect(sla({ incidents: [own] }, '2027-03-01T10:00:00Z')).toEqual(['incident.sla_breach:resolution:i1']);
  });
});

describe('the weekly digest', () => {
  it('is due once a week in school time, with the week at a glance', () => {
    const snap: ReminderSnapshot = {
      ...empty,
      payments: [payment('2027-03-05'), { ...payment('2027-03-09'), id: 'p2' }],
      contracts: [
        {
          id: 'c1',
          title: 'Support SLA',
          providerName: 'Oakwood',
          endDate: '2027-05-20',
          noticeDays: 30,
          autoRenews: true,
          status: 'active',
        },
      ],
      incidents: [
        {
          id: 'i1',
          number: 7,
          summary: 'Server down',
          priority: 'P1',
          status: 'new',
          createdAt: at('2027-03-01T08:00:00Z'),
          firstResponseAt: null,
          lastActivityAt: at('2027-03-01T08:00:00Z'),
          ...noSla,
        },
        {
          id: 'i2',
          number: 8,
          summary: 'Mouse',
          priority: 'P4',
          status: 'new',
          createdAt: at(MONDAY_9AM),
          firstResponseAt: null,
          lastActivityAt: at(MONDAY_9AM),
          ...noSla,
        },
      ],
      licences: [
        { id: 'l1', title: 'Purple Mash', type: 'per_user', quantity: 30, seatsInUse: 31, expiryDate: null },
      ],
      diaryToday: [{ title: 'Switch upgrade', kind: 'maintenance' }],
    };
    const [digest] = dueReminders(snap, { now: at(MONDAY_9AM), calendar });
    expect(digest).toEqual({
      kind: 'digest',
      key: 'digest:2027-W09',
      week: '2027-W09',
      openByPriority: { P1: 1, P2: 0, P3: 0, P4: 1 },
      slaAtRisk: [{ number: 7, summary: 'Server down', priority: 'P1', breached: true }],
      paymentsThisWeek: [{ payee: 'Oakwood ICT', amountPence: 123450, dueDate: '2027-03-05' }],
      renewalsInNotice: [{ title: 'Support SLA', providerName: 'Oakwood', noticeBy: '2027-04-20' }],
      licenceProblems: [{ title: 'Purple Mash', problem: 'over-deployed (31 of 30)' }],
      diaryToday: [{ title: 'Switch upgrade', kind: 'maintenance' }],
    });
    expect(dueReminders(snap, { now: at('2027-03-03T10:00:00Z'), calendar })[0]?.key).toBe('digest:2027-W09');
    expect(dueReminders(snap, { now: at('2027-03-06T10:00:00Z'), calendar })).toEqual([]);
  });
});

describe('per-school lead times', () => {
  it('a school may warn earlier or later; nonsense falls back to the default', () => {
    expect(leadTimesOf({ paymentDueSoonDays: 14, contractNoticeDays: [90, 14] })).toMatchObject({
      paymentDueSoonDays: 14,
      contractNoticeDays: [90, 14],
      warrantyDays: 30,
    });
    expect(leadTimesOf({ paymentDueSoonDays: -3, warrantyDays: 'soon' })).toEqual(DEFAULT_LEAD_TIMES);
    const snap = { ...empty, payments: [payment('2027-03-12')] };
    const keys = (lead: ReturnType<typeof leadTimesOf>) =>
      dueReminders(snap, { now: at(MONDAY_9AM), calendar, lead })
        .filter((r) => r.kind !== 'digest')
        .map((r) => r.key);
    expect(keys(DEFAULT_LEAD_TIMES)).toEqual([]);
    expect(keys(leadTimesOf({ paymentDueSoonDays: 14 }))).toEqual(['payment.due_soon:p1:2027-03-12']);
  });
});
