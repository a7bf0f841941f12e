/** Reminders in the SPOC channel: what is due, in plain words, with buttons to act on it. */
import type { Button, KnownBlock } from '@slack/types';
import { formatReference } from '../../../domain/incidents/reference';
import { type Reminder, subjectOf } from '../../../domain/reminders/reminder';
import { ACTION } from '../ids';
import { escClip, md, plain, pounds, sectionsOf, slackDate, ukDate } from './format';
import type { SlackMessage } from './incident-card.view';

const button = (action_id: string, text: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  action_id,
  text: plain(text),
  value,
  ...(style ? { style } : {}),
});

const inDays = (days: number) => (days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`);

function textOf(r: Reminder, timezone: string): string {
  switch (r.kind) {
    case 'payment.due_soon':
    case 'payment.due_today':
    case 'payment.overdue': {
      const when =
        r.days < 0
          ? `was due ${ukDate(r.dueDate)} — *overdue by ${-r.days} day${r.days === -1 ? '' : 's'}*`
          : `is due ${inDays(r.days)} (${ukDate(r.dueDate)})`;
      return `:pound: Payment of *${pounds(r.amountPence)}* to *${escClip(r.payee, 100)}*${r.reference ? ` (ref ${escClip(r.reference, 100)})` : ''} ${when}.`;
    }
    case 'contract.notice':
      return (
        `:page_facing_up: The notice deadline for *${escClip(r.title, 150)}* with *${escClip(r.providerName, 100)}* is ${ukDate(r.date)} — ${inDays(r.days)}.` +
        (r.autoRenews ? ' It renews automatically if nobody gives notice.' : '')
      );
    case 'contract.end':
      return `:page_facing_up: *${escClip(r.title, 150)}* with *${escClip(r.providerName, 100)}* ends ${inDays(r.days)} (${ukDate(r.date)}).`;
    case 'incident.sla_warning':
    case 'incident.sla_breach': {
      const what = r.measure === 'response' ? 'first response' : 'resolution';
      const state =
        r.kind === 'incident.sla_breach'
          ? `was due ${slackDate(new Date(r.dueAt), timezone)} — *target missed*`
          : `is due ${slackDate(new Date(r.dueAt), timezone)}`;
      return `:stopwatch: *${formatReference(r.number)}* (${r.priority}) ${escClip(r.summary, 150)}: ${what} ${state}.`;
    }
    case 'incident.stale':
      return `:zzz: *${formatReference(r.number)}* (${r.priority}) ${escClip(r.summary, 150)} has had no update since ${slackDate(new Date(r.dueAt), timezone)}'s target.`;
    case 'licence.expiring':
      return `:key: The licence for *${escClip(r.title, 150)}* expires ${inDays(r.days ?? 0)} (${ukDate(r.expiryDate)}).`;
    case 'licence.over_deployed':
      return `:warning: *${escClip(r.title, 150)}* is over-deployed: ${r.seatsInUse} in use, ${r.quantity ?? 0} bought.`;
    case 'asset.warranty':
      return `:shield: The warranty on *${escClip(r.tag, 64)}* ends ${inDays(r.days)} (${ukDate(r.warrantyEnd)}).`;
    case 'problem.suggested': {
      const where = r.scope === 'asset' ? `on *${escClip(r.label, 64)}*` : `in *${escClip(r.label, 100)}*`;
      const refs = r.incidents.map((i) => formatReference(i.number)).join(', ');
      return `:repeat: *${r.count} faults* ${where} in 30 days (${refs}). Something may be behind them: open a problem to find the cause.`;
    }
    case 'diary.today':
      return `:calendar: *Today in the diary*\n${r.entries.map((e) => `• ${escClip(e.title, 200)} (${e.kind})`).join('\n')}`;
    case 'digest':
      return `:newspaper: *The week ahead* (${r.week})`;
    case 'escalation.chase':
      return (
        `:telephone_receiver: *${escClip(r.providerName, 100)}* has not answered about *${formatReference(r.number)}* ${escClip(r.summary, 150)}` +
        `${r.providerRef ? ` (their ref ${escClip(r.providerRef, 100)})` : ''}: their answer was due ${slackDate(new Date(r.respondBy), timezone)}` +
        `${r.chaseCount ? `, and they have been chased ${r.chaseCount === 1 ? 'once' : `${r.chaseCount} times`}` : ''}. Time to chase them.`
      );
  }
}

/** The weekly digest's sections, each list cut to what a glance can take. */
function digestBlocks(r: Extract<Reminder, { kind: 'digest' }>): KnownBlock[] {
  const list = (title: string, lines: string[], none: string) =>
    sectionsOf([
      `*${title}*`,
      ...(lines.length ? lines.slice(0, 15) : [`_${none}_`]),
      ...(lines.length > 15 ? [`…and ${lines.length - 15} more`] : []),
    ]);
  const open = r.openByPriority;
  return [
    { type: 'section', text: md(`:newspaper: *The week ahead* (${r.week})`) },
    {
      type: 'section',
      text: md(`*Open incidents*: ${open.P1} P1 · ${open.P2} P2 · ${open.P3} P3 · ${open.P4} P4`),
    },
    ...list(
      'SLA at risk',
      r.slaAtRisk.map(
        (i) =>
          `• *${formatReference(i.number)}* (${i.priority}) ${escClip(i.summary, 120)}${i.breached ? ' — target missed' : ''}`,
      ),
      'none',
    ),
    ...list(
      'Payments this week',
      r.paymentsThisWeek.map(
        (p) => `• ${pounds(p.amountPence)} to ${escClip(p.payee, 100)} — ${ukDate(p.dueDate)}`,
      ),
      'none',
    ),
    ...list(
      'Renewals in their notice period',
      r.renewalsInNotice.map(
        (c) =>
          `• ${escClip(c.title, 120)} (${escClip(c.providerName, 80)}) — notice by ${ukDate(c.noticeBy)}`,
      ),
      'none',
    ),
    ...list(
      'Licence problems',
      r.licenceProblems.map((l) => `• ${escClip(l.title, 120)}: ${l.problem}`),
      'none',
    ),
    ...list(
      "Today's diary",
      r.diaryToday.map((d) => `• ${escClip(d.title, 200)} (${d.kind})`),
      'nothing today',
    ),
  ];
}

function buttonsOf(r: Reminder): Button[] {
  const snoozeButton = button(ACTION.reminderSnooze, 'Snooze 7 days', subjectOf(r));
  switch (r.kind) {
    case 'payment.due_soon':
    case 'payment.due_today':
    case 'payment.overdue':
      return [button(ACTION.reminderPaid, 'Mark paid', r.paymentId, 'primary'), snoozeButton];
    case 'contract.notice':
    case 'contract.end':
      return [
        button(ACTION.reminderRenewed, 'Renewed', r.contractId, 'primary'),
        button(ACTION.reminderWillCancel, 'Will cancel', r.contractId),
        snoozeButton,
      ];
    case 'incident.sla_warning':
    case 'incident.sla_breach':
    case 'incident.stale':
      return [
        button(ACTION.claim, 'Claim', r.incidentId, 'primary'),
        button(ACTION.reminderReassign, 'Reassign', r.incidentId),
        snoozeButton,
      ];
    case 'licence.expiring':
    case 'licence.over_deployed':
    case 'asset.warranty':
      return [snoozeButton];
    case 'escalation.chase':
      return [
        button(ACTION.reminderChase, 'Chase', `${r.escalationId}:${r.chaseCount}`, 'primary'),
        snoozeButton,
      ];
    case 'problem.suggested': {
      const value = JSON.stringify({
        label: r.label.slice(0, 150),
        incidents: r.incidents.map((i) => i.number),
      });
      return [button(ACTION.problemSuggested, 'Open a problem', value, 'primary'), snoozeButton];
    }
    case 'diary.today':
    case 'digest':
      return [];
  }
}

export function reminderView(r: Reminder, timezone: string): SlackMessage {
  if (r.kind === 'digest')
    return { text: `The week ahead (${r.week})`, blocks: digestBlocks(r).slice(0, 50) };
  const text = textOf(r, timezone);
  const blocks: KnownBlock[] = [{ type: 'section', text: md(text) }];
  const buttons = buttonsOf(r);
  if (buttons.length) blocks.push({ type: 'actions', block_id: 'reminder_actions', elements: buttons });
  return { text: text.replace(/\*/g, '').slice(0, 300), blocks };
}

/** A reminder once acted on: what was done, by whom; no more buttons. */
export function reminderDoneView(original: string, outcome: string): SlackMessage {
  return {
    text: outcome,
    blocks: [
      { type: 'section', text: md(original) },
      { type: 'context', elements: [md(outcome)] },
    ],
  };
}
