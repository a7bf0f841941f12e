/**
 * The buttons on reminders in Teams: Mark paid, Snooze 7 days, Will cancel, Chase, Open a problem,
 * and Claim on a reminder about an incident (Renewed and Reassign open dialogs, in `dialogs/`).
 *
 * A bot cannot read a posted message back, so the deliverer puts the reminder's outbox message id
 * on every button (`data.outbox`, `withReminderIds`), and a press loads the reminder from that row
 * within the presser's school (`loadPostedReminder`): another school's id finds nothing, changes
 * nothing and says nothing about it. The button's value must be the one that reminder offers.
 *
 * Each reminder is dealt with once, as in Slack, where the message loses its buttons for everyone
 * on the first press: the press runs its command once per reminder message (`submitOnce`, kind
 * `teams.reminder`, keyed by the outbox id). The presser's card is replaced by the reminder as it
 * was, without buttons, and the outcome line naming them (`presentReminderDone`, Slack's words);
 * a repeat of their own press shows them the same; anyone else pressing the reminder afterwards
 * is told it has been dealt with. A refusal (a teacher's press) records nothing and leaves the card.
 * Chase shows its presser alone, under the reminder done, what Slack tells them alone: the email to
 * send the provider, or where the chase was posted when the provider has a chat channel; the
 * message everyone else sees is the reminder done and no more.
 */
import { loadPostedReminder } from '../../domain/delivery/posted-reminder';
import { submitOnce } from '../../domain/form-submissions';
import { chaseEscalation } from '../../domain/incidents/chase-escalation';
import { claimIncident } from '../../domain/incidents/claim-incident';
import { getEscalationSummary, postsToProviderChannel } from '../../domain/incidents/escalate-incident';
import { formatReference } from '../../domain/incidents/reference';
import {
  chasedInChannelText,
  chaseEmail,
  chaseEmailIntro,
  mailtoOf,
} from '../../domain/presenters/escalation-email';
import { ESCALATE_FORM, emailHeading, orPhone } from '../../domain/presenters/incident-forms';
import type { ActionId, PersonRef, PresentedAction, Rich } from '../../domain/presenters/presentation';
import { reminderActions, reminderText } from '../../domain/presenters/reminder';
import {
  presentReminderDone,
  REMINDER_ALREADY_DONE,
  type ReminderOutcome,
} from '../../domain/presenters/reminder-outcome';
import { markPaymentPaid } from '../../domain/registers/payments';
import { markContractCancelling } from '../../domain/registers/providers';
import { suggestedProblemTitle } from '../../domain/reminders/problem-suggestions';
import { type Reminder, subjectOf } from '../../domain/reminders/reminder';
import { snoozeReminder } from '../../domain/reminders/snooze';
import { fail, ok, type Result } from '../../domain/result';
import { schoolToday } from '../../domain/school-time';
import { createWorkItem } from '../../domain/work-items/commands';
import type { TeamsDeps } from './commands/deps';
import type { DialogCtx } from './dialogs/dialog';
import { type CardPress, messageAnswer, type PressData, sharedCardAnswer } from './presses';
import {
  type AdaptiveCard,
  type AdaptiveElement,
  DIALOG_ACTIONS,
  escapeMarkdown,
  renderCard,
  renderText,
} from './render/adaptive-card';

/** The kind under which each reminder message's first press is recorded. */
export const REMINDER_PRESS_KIND = 'teams.reminder';

/** Said when a press names no reminder of the presser's school, or one that offers no such button. */
export const REMINDER_STALE = 'This card is out of date; nothing was changed.';

/**
 * A reminder's card as posted, with its outbox message id on every button (`data.outbox`). A
 * dialog (task/fetch) is opened with the button's value alone, so a dialog's value is that id too.
 */
export function withReminderIds<M extends { attachments: Array<{ content: AdaptiveCard }> }>(
  message: M,
  outboxId: number,
): M {
  const outbox = String(outboxId);
  const tag = (action: AdaptiveElement): AdaptiveElement => {
    const data = (action.data ?? {}) as Record<string, unknown>;
    const verb = (action.verb ?? data.verb) as ActionId | undefined;
    const dialog = verb !== undefined && DIALOG_ACTIONS.has(verb);
    const fallback = action.fallback as AdaptiveElement | undefined;
    return {
      ...action,
      data: { ...data, ...(dialog ? { value: outbox } : {}), outbox },
      ...(fallback && typeof fallback === 'object' ? { fallback: tag(fallback) } : {}),
    };
  };
  return {
    ...message,
    attachments: message.attachments.map((a) => ({
      ...a,
      content: { ...a.content, ...(a.content.actions ? { actions: a.content.actions.map(tag) } : {}) },
    })),
  };
}

/** The reminder a press names, in the presser's school, and the button of it that was pressed. */
export async function pressedReminder(
  deps: TeamsDeps,
  ctx: DialogCtx,
  verb: ActionId,
  data: Record<string, unknown>,
): Promise<{ outboxId: string; reminder: Reminder; action: PresentedAction } | undefined> {
  const reminder = await loadPostedReminder(deps.db, ctx.school.id, data.outbox);
  const action = reminder && reminderActions(reminder).find((a) => a.id === verb);
  if (!reminder || !action) return undefined;
  // A dialog's value is the reminder's id; an action's is what the reminder offers.
  if (!DIALOG_ACTIONS.has(verb) && data.value !== action.value) return undefined;
  return { outboxId: String(data.outbox), reminder, action };
}

/** The presser, as the outcome line names them (Teams shows a person's name in bold). */
export const presserOf = (ctx: DialogCtx): PersonRef => ({
  name: ctx.actor.displayName,
  slackUserId: null,
});

/** The reminder as it was, without buttons, and what was done by whom: the card's answer. */
export function reminderDoneCard(
  ctx: DialogCtx,
  reminder: Reminder,
  outcome: ReminderOutcome,
  by: PersonRef,
): AdaptiveCard {
  return renderCard(presentReminderDone(reminder, outcome, by), { timezone: ctx.school.timezone });
}

/** The reminder's paragraph, in Teams markdown: the first line of a form it opens. */
export function reminderHeading(ctx: DialogCtx, reminder: Reminder): string {
  return reminder.kind === 'digest' ? '' : renderText(reminderText(reminder), ctx.school.timezone);
}

/** What a reminder press records once and shows again to a repeat of it. */
export type ReminderAnswer = { outcome: ReminderOutcome; by: PersonRef } | { error: string };

type Run = (ctx: DialogCtx, reminder: Reminder, outboxId: string) => Promise<Result<ReminderOutcome>>;

/** What the presser alone is shown under the reminder done (Chase's email to send), if anything. */
type ForPresser = (ctx: DialogCtx, reminder: Reminder) => Promise<AdaptiveElement[]>;

/**
 * A reminder's button: its command once per reminder message, answered with the reminder as done,
 * for the presser with `forPresser`'s elements under it, and for everyone else without.
 */
function reminderPress(verb: ActionId, run: Run, forPresser?: ForPresser): CardPress {
  return async (deps, ctx, data) => {
    const pressed = await pressedReminder(deps, ctx, verb, data);
    if (!pressed) return messageAnswer(REMINDER_STALE);
    const { reminder, outboxId } = pressed;
    const { repeat, answer } = await submitOnce<DialogCtx, ReminderAnswer>(
      ctx,
      { kind: REMINDER_PRESS_KIND, key: outboxId },
      async (tx) => {
        const result = await run(tx, reminder, outboxId);
        if (!result.ok) return { saved: false, answer: { error: result.error.message } };
        return { saved: true, answer: { outcome: result.value, by: presserOf(ctx) } };
      },
    );
    if (!answer) return messageAnswer(REMINDER_ALREADY_DONE);
    if ('error' in answer) return messageAnswer(answer.error);
    if (!repeat) {
      deps.kick?.();
      deps.log.info(
        { schoolId: ctx.school.id, outboxId, verb, reminder: reminder.kind },
        'reminder acted on',
      );
    }
    const done = reminderDoneCard(ctx, reminder, answer.outcome, answer.by);
    const more = forPresser ? await forPresser(ctx, reminder) : [];
    return sharedCardAnswer(more.length > 0 ? { ...done, body: [...done.body, ...more] } : done, done);
  };
}

const wrong = (): Result<never> => fail('VALIDATION', REMINDER_STALE);

const paid: Run = async (ctx, r) => {
  if (!('paymentId' in r)) return wrong();
  const today = schoolToday(ctx.clock.now(), ctx.school.timezone);
  const result = await markPaymentPaid(ctx, { paymentId: r.paymentId, paidDate: today });
  if (!result.ok) return result;
  if (result.value.already) return ok({ kind: 'paid', already: true });
  const next = result.value.next;
  return ok({
    kind: 'paid',
    already: false,
    paidDate: today,
    next: next ? { amountPence: next.amountPence, dueDate: next.dueDate } : null,
  });
};

const snooze: Run = async (ctx, r) => {
  const result = await snoozeReminder(ctx, { subject: subjectOf(r) });
  if (!result.ok) return result;
  return ok({ kind: 'snoozed', until: schoolToday(result.value.until, ctx.school.timezone) });
};

const willCancel: Run = async (ctx, r) => {
  if (!('contractId' in r)) return wrong();
  const result = await markContractCancelling(ctx, { contractId: r.contractId });
  return result.ok ? ok({ kind: 'willCancel' }) : result;
};

const chase: Run = async (ctx, r) => {
  if (r.kind !== 'escalation.chase') return wrong();
  const result = await chaseEscalation(ctx, { escalationId: r.escalationId, chaseCount: r.chaseCount });
  if (!result.ok) return result;
  const { escalation, already } = result.value;
  return ok({
    kind: 'chased',
    already,
    chaseCount: escalation.chaseCount,
    respondBy: escalation.respondBy?.toISOString() ?? null,
  });
};

/**
 * What the presser of Chase is told, as Slack tells them alone once it is chased: where the chase
 * was posted when the provider has a chat channel, or else the email to send them (to, subject,
 * body, and a button that opens it in their email app), laid out as the escalate dialog lays out
 * the escalation's email. Set apart from the reminder above it, the email's button under the email
 * (the card itself keeps no buttons, as a reminder dealt with); nothing when the escalation is gone.
 */
const chaseTold: ForPresser = async (ctx, r) => {
  if (r.kind !== 'escalation.chase') return [];
  const summary = await getEscalationSummary(ctx, r.escalationId);
  if (!summary.ok) return [];
  const s = summary.value;
  const text = (rich: Rich, extra: AdaptiveElement = {}): AdaptiveElement => ({
    type: 'TextBlock',
    text: renderText(rich, s.timezone),
    wrap: true,
    ...extra,
  });
  const apart = (items: AdaptiveElement[]): AdaptiveElement[] => [
    { type: 'Container', separator: true, spacing: 'Medium', items },
  ];
  if (await postsToProviderChannel(ctx.db, ctx.school.id, s.provider))
    return apart([text(chasedInChannelText(s))]);
  const draft = chaseEmail(s);
  const url = mailtoOf(draft);
  return apart([
    text(chaseEmailIntro(s)),
    text(emailHeading(draft, s.provider)),
    { type: 'TextBlock', text: escapeMarkdown(draft.body), wrap: true, fontType: 'Monospace', size: 'Small' },
    ...(url
      ? [{ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: ESCALATE_FORM.openEmail, url }] }]
      : []),
    ...(s.provider.phone && draft.to
      ? [text(orPhone(s.provider.phone), { isSubtle: true, size: 'Small' })]
      : []),
  ]);
};

/** Open a problem: opened at once with the suggestion's title and its faults linked. */
const openProblem: Run = async (ctx, r, outboxId) => {
  if (r.kind !== 'problem.suggested') return wrong();
  const result = await createWorkItem(ctx, {
    kind: 'problem',
    title: suggestedProblemTitle(r.label),
    description: '',
    owner: null,
    targetDate: null,
    incidents: [r.incidents.map((i) => formatReference(i.number)).join(', ')],
    // However often it is pressed, this reminder opens one problem.
    submissionKey: `${REMINDER_PRESS_KIND}:${outboxId}`,
  });
  return result.ok ? ok({ kind: 'problemOpened', reference: result.value.reference }) : result;
};

const claim: Run = async (ctx, r) => {
  if (!('incidentId' in r)) return wrong();
  const result = await claimIncident(ctx, { incidentId: r.incidentId });
  return result.ok ? ok({ kind: 'claimed' }) : result;
};

/** The reminders' own presses, by verb (spread into `PRESSES`). */
export const reminderPresses: Readonly<Record<string, CardPress>> = {
  'reminder.paid': reminderPress('reminder.paid', paid),
  'reminder.snooze': reminderPress('reminder.snooze', snooze),
  'reminder.willCancel': reminderPress('reminder.willCancel', willCancel),
  'reminder.chase': reminderPress('reminder.chase', chase, chaseTold),
  'reminder.openProblem': reminderPress('reminder.openProblem', openProblem),
};

const claimOnReminder = reminderPress('incident.claim', claim);

/**
 * Claim is on the incident card and on reminders about an incident: a press from a reminder
 * carries its outbox id and is answered as a reminder; any other goes to the card's own press.
 */
export function withReminderClaim(onCard: CardPress): CardPress {
  return (deps, ctx, data: PressData) =>
    data.outbox === undefined ? onCard(deps, ctx, data) : claimOnReminder(deps, ctx, data);
}
