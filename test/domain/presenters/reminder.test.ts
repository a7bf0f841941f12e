import { describe, expect, it } from 'vitest';
import { presentReminder } from '../../../src/domain/presenters/reminder';
import type { Reminder } from '../../../src/domain/reminders/reminder';

const payment: Reminder = {
  kind: 'payment.overdue',
  key: 'payment:p1:overdue',
  paymentId: 'p1',
  payee: 'Acme <IT> & Co',
  amountPence: 123450,
  dueDate: '2026-11-27',
  reference: '',
  days: -3,
};

describe('the reminder presenter', () => {
  it('says what is due in words and offers Mark paid and Snooze', () => {
    const p = presentReminder(payment);
    expect(p.sections).toEqual([
      {
        kind: 'text',
        text: [
          { emoji: ':pound:' },
          ' Payment of ',
          { bold: ['£1,234.50'] },
          ' to ',
          { bold: [{ text: 'Acme <IT> & Co', max: 100 }] },
          ' ',
          'was due Fri 27 Nov 2026 — ',
          { bold: ['overdue by 3 days'] },
          '.',
        ],
      },
    ]);
    expect(p.actions).toEqual([
      { id: 'reminder.paid', label: 'Mark paid', value: 'p1', style: 'primary' },
      { id: 'reminder.snooze', label: 'Snooze 7 days', value: 'payment:p1' },
    ]);
  });

  it('says when a stale incident was last updated, not a time beside the word target', () => {
    const stale: Reminder = {
      kind: 'incident.stale',
      key: 'incident.stale:i1:2026-11-30T15:36:00.000Z',
      incidentId: 'i1',
      number: 7,
      summary: 'Hall projector',
      priority: 'P3',
      measure: 'response',
      dueAt: '2026-12-01T09:36:00.000Z',
      lastActivityAt: '2026-11-30T15:36:00.000Z',
    };
    const [section] = presentReminder(stale).sections;
    const text = section?.kind === 'text' ? section.text : [];
    expect(text.slice(-3)).toEqual([
      ' has had no update since ',
      { date: new Date('2026-11-30T15:36:00.000Z') },
      ', longer than its response target.',
    ]);
    expect(JSON.stringify(text)).not.toContain("'s target");
    // A reminder recorded before the last update was kept says so without it.
    const { lastActivityAt: _kept, ...older } = stale;
    const [was] = presentReminder(older as Reminder).sections;
    expect(JSON.stringify(was)).toContain('has had no update for longer than its response target (due ');
  });

  it('offers Claim on an SLA warning and nothing on the digest, whose lists are cut to fifteen', () => {
    const sla = presentReminder({
      kind: 'incident.sla_warning',
      key: 'k',
      incidentId: 'i1',
      number: 4,
      summary: 'Projector',
      priority: 'P2',
      measure: 'response',
      dueAt: '2026-11-30T10:00:00Z',
    });
    expect(sla.actions.map((a) => [a.id, a.value])).toEqual([
      ['incident.claim', 'i1'],
      ['reminder.reassign', 'i1'],
      ['reminder.snooze', expect.any(String)],
    ]);
    const digest = presentReminder({
      kind: 'digest',
      key: 'k',
      week: '2026-W49',
      openByPriority: { P1: 0, P2: 1, P3: 0, P4: 0 },
      slaAtRisk: [],
      paymentsThisWeek: Array.from({ length: 20 }, (_, n) => ({
        payee: `Payee ${n}`,
        amountPence: 100,
        dueDate: '2026-12-01',
      })),
      renewalsInNotice: [],
      licenceProblems: [],
      diaryToday: [],
    });
    expect(digest.actions).toEqual([]);
    const payments = digest.sections.find(
      (s) => s.kind === 'lines' && JSON.stringify(s).includes('Payments'),
    );
    expect(payments?.kind === 'lines' && payments.lines).toHaveLength(1 + 15 + 1);
    expect(payments?.kind === 'lines' && payments.lines.at(-1)).toEqual(['…and 5 more']);
    // The week is named by its Monday, never as an ISO week.
    expect(digest.text).toEqual(['The week ahead (the week of Mon 30 Nov 2026)']);
    expect(JSON.stringify(digest)).not.toContain('W49');
  });
});
