/**
 * A reminder's button that opens a dialog with one field (Renewed, Reassign): what the two share.
 * The button's value is the reminder's outbox id (`withReminderIds`), read back within the
 * presser's school (`pressedReminder`); the dialog's own check then gives what it is about, or the
 * words that close it. Its submit acts once per form id (`submitOnce`, the dialog's form kind); a
 * refusal keeps the dialog open with the domain's words under the field and the value kept; on
 * success the dialog shows the reminder as done (as it was, without buttons, and the outcome line
 * naming the presser), and the channel's message of the reminder is replaced with the same card,
 * once per form (`showReminderDone`).
 */
import { submitOnce } from '../../../domain/form-submissions';
import type { ActionId } from '../../../domain/presenters/presentation';
import type { ReminderOutcome } from '../../../domain/presenters/reminder-outcome';
import type { Reminder } from '../../../domain/reminders/reminder';
import type { DomainError, Result } from '../../../domain/result';
import type { AdaptiveCard } from '../cards/fault-form';
import type { TeamsDeps } from '../commands/deps';
import {
  pressedReminder,
  presserOf,
  REMINDER_STALE,
  type ReminderAnswer,
  reminderDoneCard,
} from '../reminder-actions';
import {
  type Dialog,
  type DialogCtx,
  showReminderDone,
  type TaskAnswer,
  taskCard,
  taskMessage,
} from './dialog';

/** What a reminder dialog is about, once the presser may act on it: at least the reminder. */
export type ReminderSubject = { reminder: Reminder };

export interface ReminderDialogSpec<S extends ReminderSubject> {
  /** The button's verb; the form's submit carries the same. */
  verb: ActionId;
  /** The form's kind for `submitOnce`. */
  formKind: string;
  /** The dialog's title. */
  title: string;
  /** The form's one field. */
  field: string;
  /**
   * What the dialog is about, from the pressed reminder: undefined when the reminder is not one
   * this dialog deals with (the card is out of date), or the words that close the dialog.
   */
  check(ctx: DialogCtx, reminder: Reminder): Promise<S | { refusal: string } | undefined>;
  /** The form, with the field's `value` and, after a refusal, the domain's words under it. */
  form(
    ctx: DialogCtx,
    subject: S,
    outboxId: string,
    formId: string,
    value: string,
    error?: DomainError,
  ): AdaptiveCard;
  /** Does what the form asks with the field's `value`, in the submission's transaction. */
  act(tx: DialogCtx, subject: S, value: string, formId: string): Promise<Result<ReminderOutcome>>;
  /** What else follows once it is done, the first time only (a log line, a kick of the outbox). */
  afterDone(deps: TeamsDeps, ctx: DialogCtx, subject: S): void;
}

/** The dialog `spec` describes. */
export function reminderDialog<S extends ReminderSubject>(spec: ReminderDialogSpec<S>): Dialog {
  const subjectOf = async (
    deps: TeamsDeps,
    ctx: DialogCtx,
    outboxId: string,
  ): Promise<S | { refusal: string }> => {
    const pressed = await pressedReminder(deps, ctx, spec.verb, { outbox: outboxId });
    return (pressed && (await spec.check(ctx, pressed.reminder))) ?? { refusal: REMINDER_STALE };
  };
  return {
    verb: spec.verb,
    async open(deps, ctx, outboxId, formId) {
      const found = await subjectOf(deps, ctx, outboxId);
      if ('refusal' in found) return taskMessage(found.refusal);
      return taskCard(spec.title, spec.form(ctx, found, outboxId, formId, ''));
    },
    async submit(deps, ctx, outboxId, formId, data, turn): Promise<TaskAnswer> {
      const found = await subjectOf(deps, ctx, outboxId);
      if ('refusal' in found) return taskMessage(found.refusal);
      const raw = data[spec.field];
      const value = typeof raw === 'string' ? raw : '';
      let refused: DomainError | undefined;
      const { repeat, answer } = await submitOnce<DialogCtx, ReminderAnswer>(
        ctx,
        { kind: spec.formKind, key: formId },
        async (tx) => {
          const result = await spec.act(tx, found, value, formId);
          if (!result.ok) {
            refused = result.error;
            return { saved: false, answer: { error: result.error.message } };
          }
          return { saved: true, answer: { outcome: result.value, by: presserOf(ctx) } };
        },
      );
      // A copy sent as someone else learns nothing and changes nothing.
      if (!answer) return taskMessage('That form is not yours.');
      if ('error' in answer)
        return taskCard(spec.title, spec.form(ctx, found, outboxId, formId, value, refused));
      const done = reminderDoneCard(ctx, found.reminder, answer.outcome, answer.by);
      // The channel's message too, once: a replay of the form shows the dialog the same, no more.
      if (!repeat) {
        spec.afterDone(deps, ctx, found);
        await showReminderDone(deps, ctx, outboxId, done, turn);
      }
      return taskCard(spec.title, { ...done });
    },
  };
}
