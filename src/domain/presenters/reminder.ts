/** Reminders in the SPOC channel: what is due, in plain words, with actions to deal with it. */
import { formatReference } from '../incidents/reference';
import { type Reminder, subjectOf } from '../reminders/reminder';
import { dayDate, pounds, weekOf } from './format';
import {
  bold,
  date,
  emoji,
  italic,
  type Presentation,
  type PresentedAction,
  type Rich,
  type Section,
  typed,
} from './presentation';

/** A date in a sentence (`Mon 14 Dec 2026`), or a dash where there is none. */
const dayOr = (iso: string | null) => (iso ? dayDate(iso) : '—');

const inDays = (days: number) => (days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`);

/** What the reminder says, in one paragraph. */
export function reminderText(r: Exclude<Reminder, { kind: 'digest' }>): Rich {
  switch (r.kind) {
    case 'payment.due_soon':
    case 'payment.due_today':
    case 'payment.overdue': {
      const when: Rich =
        r.days < 0
          ? [`was due ${dayOr(r.dueDate)} — `, bold(`overdue by ${-r.days} day${r.days === -1 ? '' : 's'}`)]
          : [`is due ${inDays(r.days)} (${dayOr(r.dueDate)})`];
      return [
        emoji(':pound:'),
        ' Payment of ',
        bold(pounds(r.amountPence)),
        ' to ',
        bold(typed(r.payee, 100)),
        ...(r.reference ? [' (ref ', typed(r.reference, 100), ')'] : []),
        ' ',
        ...when,
        '.',
      ];
    }
    case 'contract.notice':
      return [
        emoji(':page_facing_up:'),
        ' The notice deadline for ',
        bold(typed(r.title, 150)),
        ' with ',
        bold(typed(r.providerName, 100)),
        ` is ${dayOr(r.date)} — ${inDays(r.days)}.`,
        ...(r.autoRenews ? [' It renews automatically if nobody gives notice.'] : []),
      ];
    case 'contract.end':
      return [
        emoji(':page_facing_up:'),
        ' ',
        bold(typed(r.title, 150)),
        ' with ',
        bold(typed(r.providerName, 100)),
        ` ends ${inDays(r.days)} (${dayOr(r.date)}).`,
      ];
    case 'incident.sla_warning':
    case 'incident.sla_breach': {
      const what = r.measure === 'response' ? 'first response' : 'resolution';
      const state: Rich =
        r.kind === 'incident.sla_breach'
          ? ['was due ', date(new Date(r.dueAt)), ' — ', bold('target missed')]
          : ['is due ', date(new Date(r.dueAt))];
      return [
        emoji(':stopwatch:'),
        ' ',
        bold(formatReference(r.number)),
        ` (${r.priority}) `,
        typed(r.summary, 150),
        `: ${what} `,
        ...state,
        '.',
      ];
    }
    case 'incident.stale':
      return [
        emoji(':zzz:'),
        ' ',
        bold(formatReference(r.number)),
        ` (${r.priority}) `,
        typed(r.summary, 150),
        ...(r.lastActivityAt
          ? [
              ' has had no update since ',
              date(new Date(r.lastActivityAt)),
              ', longer than its response target.',
            ]
          : [' has had no update for longer than its response target (due ', date(new Date(r.dueAt)), ').']),
      ];
    case 'licence.expiring':
      return [
        emoji(':key:'),
        ' The licence for ',
        bold(typed(r.title, 150)),
        ` expires ${inDays(r.days ?? 0)} (${dayOr(r.expiryDate)}).`,
      ];
    case 'licence.over_deployed':
      return [
        emoji(':warning:'),
        ' ',
        bold(typed(r.title, 150)),
        ` is over-deployed: ${r.seatsInUse} in use, ${r.quantity ?? 0} bought.`,
      ];
    case 'asset.warranty':
      return [
        emoji(':shield:'),
        ' The warranty on ',
        bold(typed(r.tag, 64)),
        ` ends ${inDays(r.days)} (${dayOr(r.warrantyEnd)}).`,
      ];
    case 'problem.suggested': {
      const where: Rich =
        r.scope === 'asset' ? ['on ', bold(typed(r.label, 64))] : ['in ', bold(typed(r.label, 100))];
      const refs = r.incidents.map((i) => formatReference(i.number)).join(', ');
      return [
        emoji(':repeat:'),
        ' ',
        bold(`${r.count} faults`),
        ' ',
        ...where,
        ` in 30 days (${refs}). Something may be behind them: open a problem to find the cause.`,
      ];
    }
    case 'diary.today':
      return [
        emoji(':calendar:'),
        ' ',
        bold('Today in the diary'),
        '\n',
        ...r.entries.flatMap((e, n) => [n ? '\n• ' : '• ', typed(e.title, 200), ` (${e.kind})`]),
      ];
    case 'escalation.chase':
      return [
        emoji(':telephone_receiver:'),
        ' ',
        bold(typed(r.providerName, 100)),
        ' has not answered about ',
        bold(formatReference(r.number)),
        ' ',
        typed(r.summary, 150),
        ...(r.providerRef ? [' (their ref ', typed(r.providerRef, 100), ')'] : []),
        ': their answer was due ',
        date(new Date(r.respondBy)),
        ...(r.chaseCount
          ? [`, and they have been chased ${r.chaseCount === 1 ? 'once' : `${r.chaseCount} times`}`]
          : []),
        '. Time to chase them.',
      ];
  }
}

/** The weekly digest's sections, each list cut to what a glance can take. */
export function digestSections(
  r: Extract<Reminder, { kind: 'digest' }>,
  opts: { diary?: boolean; lines?: number } = {},
): Section[] {
  const max = opts.lines ?? 15;
  const list = (title: string, lines: Rich[], none: string): Section => ({
    kind: 'lines',
    lines: [
      [bold(title)],
      ...(lines.length ? lines.slice(0, max) : [[italic(none)]]),
      ...(lines.length > max ? [[`…and ${lines.length - max} more`]] : []),
    ],
  });
  const open = r.openByPriority;
  return [
    { kind: 'heading', text: [emoji(':newspaper:'), ' ', bold('The week ahead'), ` (${weekOf(r.week)})`] },
    {
      kind: 'text',
      text: [bold('Open incidents'), `: ${open.P1} P1 · ${open.P2} P2 · ${open.P3} P3 · ${open.P4} P4`],
    },
    list(
      'SLA at risk',
      r.slaAtRisk.map((i) => [
        '• ',
        bold(formatReference(i.number)),
        ` (${i.priority}) `,
        typed(i.summary, 120),
        ...(i.breached ? [' — target missed'] : []),
      ]),
      'none',
    ),
    list(
      'Payments this week',
      r.paymentsThisWeek.map((p) => [
        `• ${pounds(p.amountPence)} to `,
        typed(p.payee, 100),
        ` — ${dayOr(p.dueDate)}`,
      ]),
      'none',
    ),
    list(
      'Renewals in their notice period',
      r.renewalsInNotice.map((c) => [
        '• ',
        typed(c.title, 120),
        ' (',
        typed(c.providerName, 80),
        `) — notice by ${dayOr(c.noticeBy)}`,
      ]),
      'none',
    ),
    list(
      'Licence problems',
      r.licenceProblems.map((l) => ['• ', typed(l.title, 120), `: ${l.problem}`]),
      'none',
    ),
    ...(opts.diary === false
      ? []
      : [
          list(
            "Today's diary",
            r.diaryToday.map((d): Rich => ['• ', typed(d.title, 200), ` (${d.kind})`]),
            'nothing today',
          ),
        ]),
  ];
}

/** What can be done about a reminder from the message itself. */
export function reminderActions(r: Reminder): PresentedAction[] {
  const act = (
    id: PresentedAction['id'],
    label: string,
    value: string,
    primary = false,
  ): PresentedAction => ({
    id,
    label,
    value,
    ...(primary ? { style: 'primary' as const } : {}),
  });
  const snooze = act('reminder.snooze', 'Snooze 7 days', subjectOf(r));
  switch (r.kind) {
    case 'payment.due_soon':
    case 'payment.due_today':
    case 'payment.overdue':
      return [act('reminder.paid', 'Mark paid', r.paymentId, true), snooze];
    case 'contract.notice':
    case 'contract.end':
      return [
        act('reminder.renewed', 'Renewed', r.contractId, true),
        act('reminder.willCancel', 'Will cancel', r.contractId),
        snooze,
      ];
    case 'incident.sla_warning':
    case 'incident.sla_breach':
    case 'incident.stale':
      return [
        act('incident.claim', 'Claim', r.incidentId, true),
        act('reminder.reassign', 'Reassign', r.incidentId),
        snooze,
      ];
    case 'licence.expiring':
    case 'licence.over_deployed':
    case 'asset.warranty':
      return [snooze];
    case 'escalation.chase':
      return [act('reminder.chase', 'Chase', `${r.escalationId}:${r.chaseCount}`, true), snooze];
    case 'problem.suggested': {
      const value = JSON.stringify({
        label: r.label.slice(0, 150),
        incidents: r.incidents.map((i) => i.number),
      });
      return [act('reminder.openProblem', 'Open a problem', value, true), snooze];
    }
    case 'diary.today':
    case 'digest':
      return [];
  }
}

/** A reminder as posted in the SPOC channel. */
export function presentReminder(r: Reminder): Presentation {
  if (r.kind === 'digest')
    return { text: [`The week ahead (${weekOf(r.week)})`], sections: digestSections(r), actions: [] };
  const text = reminderText(r);
  return { text, sections: [{ kind: 'text', text }], actions: reminderActions(r) };
}
