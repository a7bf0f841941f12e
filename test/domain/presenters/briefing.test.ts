/**
 * The briefing's words and its limits: grouped, counted, never cut without saying so, and a long
 * one still within what Slack (50 blocks, 3,000 characters a section) and Teams (about 28 KB a
 * card) take.
 */
import { describe, expect, it } from 'vitest';
import { briefingView } from '../../../src/bot/slack/views/reminder.view';
import { cardMessage } from '../../../src/bot/teams/render/adaptive-card';
import { BRIEFING_GROUP_LINES, presentBriefing } from '../../../src/domain/presenters/briefing';
import type { Reminder } from '../../../src/domain/reminders/reminder';

const long = (n: number) => 'x'.repeat(n);

function payment(n: number): Reminder {
  return {
    kind: 'payment.due_soon',
    key: `payment.due_soon:${n}`,
    paymentId: `p${n}`,
    payee: `Payee ${n} ${long(120)}`,
    amountPence: 100 * n,
    dueDate: '2026-12-18',
    reference: long(120),
    days: 4,
  };
}

/** Every kind, `n` of each, every free-text field longer than it may be shown. */
function many(n: number): Reminder[] {
  const out: Reminder[] = [];
  for (let i = 1; i <= n; i++) {
    out.push(payment(i));
    out.push({
      kind: 'contract.notice',
      key: `c${i}`,
      contractId: `c${i}`,
      title: long(300),
      providerName: long(200),
      date: '2027-01-04',
      days: 20,
      autoRenews: true,
    });
    out.push({
      kind: 'incident.sla_warning',
      key: `s${i}`,
      incidentId: `i${i}`,
      number: i,
      summary: long(400),
      priority: 'P2',
      measure: 'resolution',
      dueAt: '2026-12-14T15:00:00.000Z',
    });
    out.push({
      kind: 'incident.stale',
      key: `st${i}`,
      incidentId: `i${i}`,
      number: i,
      summary: long(400),
      priority: 'P3',
      measure: 'response',
      dueAt: '2026-12-14T15:00:00.000Z',
      lastActivityAt: '2026-12-10T10:00:00.000Z',
    });
    out.push({
      kind: 'licence.expiring',
      key: `l${i}`,
      licenceId: `l${i}`,
      title: long(300),
      expiryDate: '2026-12-30',
      days: 16,
      seatsInUse: 3,
      quantity: 5,
    });
    out.push({
      kind: 'asset.warranty',
      key: `a${i}`,
      assetId: `a${i}`,
      tag: long(80),
      warrantyEnd: '2026-12-31',
      days: 17,
    });
    out.push({
      kind: 'escalation.chase',
      key: `e${i}`,
      escalationId: `e${i}`,
      incidentId: `i${i}`,
      number: i,
      summary: long(400),
      providerName: long(200),
      providerRef: long(200),
      respondBy: '2026-12-11T10:00:00.000Z',
      chaseCount: 2,
    });
    out.push({
      kind: 'problem.suggested',
      key: `ps${i}`,
      scope: 'location',
      subjectId: `loc${i}`,
      label: long(200),
      count: 12,
      incidents: Array.from({ length: 12 }, (_, k) => ({ id: `i${k}`, number: 1000 + k, summary: 'x' })),
    });
  }
  out.push({
    kind: 'diary.today',
    key: 'diary.today:2026-12-14',
    date: '2026-12-14',
    entries: Array.from({ length: n }, (_, k) => ({ title: `${k} ${long(300)}`, kind: 'visit' })),
  });
  return out;
}

const digest: Extract<Reminder, { kind: 'digest' }> = {
  kind: 'digest',
  key: 'digest:2026-W51',
  week: '2026-W51',
  openByPriority: { P1: 1, P2: 30, P3: 80, P4: 200 },
  slaAtRisk: Array.from({ length: 40 }, (_, k) => ({
    number: k,
    summary: long(300),
    priority: 'P2',
    breached: k % 2 === 0,
  })),
  paymentsThisWeek: Array.from({ length: 40 }, (_, k) => ({
    payee: long(200),
    amountPence: k,
    dueDate: '2026-12-18',
  })),
  renewalsInNotice: Array.from({ length: 40 }, () => ({
    title: long(300),
    providerName: long(200),
    noticeBy: '2027-01-04',
  })),
  licenceProblems: Array.from({ length: 40 }, () => ({ title: long(300), problem: 'expired' })),
  diaryToday: [],
};

describe('the briefing', () => {
  it('groups what is due, counts each group and says what is in the thread', () => {
    const p = presentBriefing({ day: '2026-12-14', digest: null, items: [payment(1), payment(2)] });
    const lines = p.sections.flatMap((s) => (s.kind === 'lines' ? s.lines : []));
    expect(JSON.stringify(p.sections[0])).toContain('Briefing for Mon 14 Dec 2026');
    expect(JSON.stringify(lines[0])).toContain('Payments (2)');
    expect(lines).toHaveLength(3);
    expect(JSON.stringify(p.sections.at(-1))).toContain('2 items to act on, each in the thread below');
    expect(p.actions).toEqual([]);
  });

  it('a long one says how many more each group holds, and stays within Slack’s and Teams’ limits', () => {
    const model = { day: '2026-12-14', digest, items: many(60) };
    const p = presentBriefing(model);
    // Every group shows at least its first line and says how many more it holds: none is lost.
    const groups = p.sections.filter(
      (s) => s.kind === 'lines' && /\(\d+\)"/.test(JSON.stringify(s.lines[0])),
    );
    expect(groups).toHaveLength(9);
    for (const g of groups) {
      if (g.kind !== 'lines') continue;
      const total = Number(/\((\d+)\)"/.exec(JSON.stringify(g.lines[0]))?.[1]);
      const last = JSON.stringify(g.lines.at(-1));
      const more = Number(/…and (\d+) more/.exec(last)?.[1] ?? 0);
      const shown = g.lines.length - 1 - (more ? 1 : 0);
      expect(shown).toBeGreaterThanOrEqual(1);
      expect(shown).toBeLessThanOrEqual(BRIEFING_GROUP_LINES);
      expect(shown + more).toBe(total);
    }
    const text = JSON.stringify(p.sections);
    expect(text).toContain('Payments (60)');
    expect(text).toContain('more, each in the thread below.');
    // The week ahead says how many more it has too.
    expect(text).toContain('…and 35 more');

    const slack = briefingView(model, 'Europe/London');
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    for (const block of slack.blocks) {
      const t = (block as { text?: { text: string } }).text?.text ?? '';
      expect(t.length).toBeLessThanOrEqual(3000);
    }
    const teams = JSON.stringify(cardMessage(p, { timezone: 'Europe/London' }));
    expect(teams.length).toBeLessThan(28_000);
  });
});
