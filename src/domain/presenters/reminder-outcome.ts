/**
 * What a reminder says once someone has acted on it, for every platform: the reminder as it was,
 * without its buttons, and one line saying what was done and by whom ("Marked paid 02/12/2026 —
 * Sam"). Slack replaces the message with it; Teams answers the press with it. The wording of the
 * two forms a reminder can open (Renewed, Reassign) is here too, so both platforms ask alike.
 *
 * An outcome is plain JSON (dates as ISO strings) so that a platform can keep it as the answer to
 * a press recorded once and show it again to a repeat of that press.
 */
import type { Reminder } from '../reminders/reminder';
import { dayDate, pounds } from './format';
import { bold, date, emoji, type PersonRef, type Presentation, type Rich } from './presentation';
import { presentReminder } from './reminder';

export type ReminderOutcome =
  /** Mark paid; `next` is the next payment of a recurring one, scheduled by it. */
  | {
      kind: 'paid';
      already: false;
      paidDate: string;
      next: { amountPence: number | null; dueDate: string } | null;
    }
  /** Mark paid on a payment someone had already marked paid. */
  | { kind: 'paid'; already: true }
  /** Snooze 7 days: no reminder about it until that day (in school time). */
  | { kind: 'snoozed'; until: string }
  | { kind: 'willCancel' }
  /** Chase: the n-th chase, and when their next answer is due (ISO moment). */
  | { kind: 'chased'; already: boolean; chaseCount: number; respondBy: string | null }
  | { kind: 'renewed'; endDate: string }
  | { kind: 'given'; to: PersonRef }
  | { kind: 'problemOpened'; reference: string }
  /** Claim on a reminder about an incident. */
  | { kind: 'claimed' };

/** What was done, without who did it. */
export function reminderOutcomeText(o: ReminderOutcome): Rich {
  switch (o.kind) {
    case 'paid':
      if (o.already) return [emoji(':white_check_mark:'), ' Already marked paid.'];
      return [
        emoji(':white_check_mark:'),
        ` Marked paid ${dayDate(o.paidDate)}.`,
        ...(o.next
          ? [` Next payment of ${pounds(o.next.amountPence)} scheduled for ${dayDate(o.next.dueDate)}.`]
          : []),
      ];
    case 'snoozed':
      return [emoji(':zzz:'), ` Snoozed until ${dayDate(o.until)}`];
    case 'willCancel':
      return [emoji(':x:'), ' Will cancel: remember to give notice in writing'];
    case 'chased':
      if (o.already) return [emoji(':mega:'), ' Already chased'];
      return [
        emoji(':mega:'),
        ` Chased (${o.chaseCount === 1 ? 'first chase' : `chase ${o.chaseCount}`})`,
        ...(o.respondBy ? [' — next answer due ', date(new Date(o.respondBy))] : []),
      ];
    case 'renewed':
      return [emoji(':arrows_counterclockwise:'), ` Renewed to ${dayDate(o.endDate)}`];
    case 'given':
      return [emoji(':arrow_right:'), ' Given to ', { person: o.to }];
    case 'problemOpened':
      return [emoji(':mag:'), ' ', bold(o.reference), ' opened'];
    case 'claimed':
      return [emoji(':raising_hand:'), ' Claimed'];
  }
}

/** The line under an acted-on reminder: what was done — who did it. */
export function reminderOutcomeLine(o: ReminderOutcome, by: PersonRef): Rich {
  return [...reminderOutcomeText(o), ' — ', { person: by }];
}

/** The reminder as it was posted, without its buttons, and the outcome line under it. */
export function presentReminderDone(r: Reminder, o: ReminderOutcome, by: PersonRef): Presentation {
  const line = reminderOutcomeLine(o, by);
  return {
    text: line,
    sections: [...presentReminder(r).sections, { kind: 'context', text: line }],
    actions: [],
  };
}

/** Said to someone pressing a reminder that somebody else has already dealt with. */
export const REMINDER_ALREADY_DONE = 'Someone has already dealt with this reminder, so nothing was changed.';

/** Renewed: the form asking for the contract's new end date. */
export const RENEW_FORM = { title: 'Contract renewed', field: 'New end date', submit: 'Save' } as const;

/** Reassign: the form asking who should take the incident. */
export const REASSIGN_FORM = {
  title: 'Reassign',
  field: 'Who should take it?',
  hint: 'A technician or office member; they are told by direct message.',
  submit: 'Give it to them',
} as const;
