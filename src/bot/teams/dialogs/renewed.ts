/**
 * Renewed, on a reminder that a contract's notice deadline or end is near, as a dialog: the
 * reminder and the new end date asked as Slack asks it (`RENEW_FORM`). Its submit renews the
 * contract once per form id (`submitOnce`, kind `teams.renewed`); a date the domain refuses keeps
 * the dialog open with the domain's words under the field (Slack's field error) and the date kept;
 * on success the dialog shows the reminder as done: as it was, without buttons, and "Renewed to …"
 * naming the presser, and the channel's message of the reminder is replaced with the same card
 * (`showReminderDone`), once per form. The button's value is the reminder's outbox id (`withReminderIds`), read
 * back within the presser's school.
 */
import { submitOnce } from '../../../domain/form-submissions';
import { RENEW_FORM } from '../../../domain/presenters/reminder-outcome';
import { renewContract } from '../../../domain/registers/providers';
import type { Reminder } from '../../../domain/reminders/reminder';
import type { DomainError } from '../../../domain/result';
import { can, FORBIDDEN } from '../../../domain/roles';
import { formCard } from '../cards/form';
import type { TeamsDeps } from '../commands/deps';
import {
  pressedReminder,
  presserOf,
  REMINDER_STALE,
  type ReminderAnswer,
  reminderDoneCard,
  reminderHeading,
} from '../reminder-actions';
import {
  type Dialog,
  type DialogCtx,
  showReminderDone,
  type TaskAnswer,
  taskCard,
  taskMessage,
} from './dialog';

export const RENEWED_VERB = 'reminder.renewed';
export const RENEWED_FORM_KIND = 'teams.renewed';
/** The form's one field: the contract's new end date (`YYYY-MM-DD`, as Input.Date gives it). */
export const RENEWED_FIELD = 'newEndDate';

function renewFormCard(
  ctx: DialogCtx,
  reminder: Reminder,
  outboxId: string,
  formId: string,
  value: string,
  error?: DomainError,
) {
  return formCard({
    formId,
    verb: RENEWED_VERB,
    value: outboxId,
    heading: reminderHeading(ctx, reminder),
    items: [{ kind: 'date', id: RENEWED_FIELD, label: RENEW_FORM.field, required: true }],
    submit: RENEW_FORM.submit,
    values: { [RENEWED_FIELD]: value },
    // As in Slack: the domain's words for the date, else its message, under the field.
    errors: error ? { [RENEWED_FIELD]: error.fields?.newEndDate ?? error.message } : undefined,
  });
}

/** The reminder this dialog is about, once the presser may renew its contract; else what to say. */
async function renewable(
  deps: TeamsDeps,
  ctx: DialogCtx,
  outboxId: string,
): Promise<{ reminder: Reminder & { contractId: string } } | { refusal: string }> {
  const pressed = await pressedReminder(deps, ctx, RENEWED_VERB, { outbox: outboxId });
  if (!pressed || !('contractId' in pressed.reminder)) return { refusal: REMINDER_STALE };
  if (!can(ctx.actor.role, 'register.manage')) return { refusal: FORBIDDEN['register.manage'] };
  return { reminder: pressed.reminder };
}

export const renewedDialog: Dialog = {
  verb: RENEWED_VERB,
  async open(deps, ctx, outboxId, formId) {
    const found = await renewable(deps, ctx, outboxId);
    if ('refusal' in found) return taskMessage(found.refusal);
    return taskCard(RENEW_FORM.title, renewFormCard(ctx, found.reminder, outboxId, formId, ''));
  },
  async submit(deps, ctx, outboxId, formId, data, turn): Promise<TaskAnswer> {
    const found = await renewable(deps, ctx, outboxId);
    if ('refusal' in found) return taskMessage(found.refusal);
    const { reminder } = found;
    const newEndDate = typeof data[RENEWED_FIELD] === 'string' ? data[RENEWED_FIELD] : '';
    let refused: DomainError | undefined;
    const { repeat, answer } = await submitOnce<DialogCtx, ReminderAnswer>(
      ctx,
      { kind: RENEWED_FORM_KIND, key: formId },
      async (tx) => {
        const result = await renewContract(tx, { contractId: reminder.contractId, newEndDate });
        if (!result.ok) {
          refused = result.error;
          return { saved: false, answer: { error: result.error.message } };
        }
        return {
          saved: true,
          answer: { outcome: { kind: 'renewed', endDate: newEndDate }, by: presserOf(ctx) },
        };
      },
    );
    // A copy sent as someone else learns nothing and changes nothing.
    if (!answer) return taskMessage('That form is not yours.');
    if ('error' in answer)
      return taskCard(RENEW_FORM.title, renewFormCard(ctx, reminder, outboxId, formId, newEndDate, refused));
    const done = reminderDoneCard(ctx, reminder, answer.outcome, answer.by);
    // The channel's message too, once: a replay of the form shows the dialog the same, no more.
    if (!repeat) {
      deps.log.info({ schoolId: ctx.school.id, contractId: reminder.contractId }, 'contract renewed');
      await showReminderDone(deps, ctx, outboxId, done, turn);
    }
    return taskCard(RENEW_FORM.title, { ...done });
  },
};
