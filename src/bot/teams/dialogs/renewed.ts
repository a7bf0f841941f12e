/**
 * Renewed, on a reminder that a contract's notice deadline or end is near, as a dialog: the
 * reminder and the new end date asked as Slack asks it (`RENEW_FORM`). Its submit renews the
 * contract once per form id (`submitOnce`, kind `teams.renewed`); a date the domain refuses keeps
 * the dialog open with the domain's words under the field (Slack's field error) and the date kept;
 * on success the dialog shows the reminder as done: as it was, without buttons, and "Renewed to …"
 * naming the presser, and the channel's message of the reminder is replaced with the same card
 * (`showReminderDone`), once per form. The button's value is the reminder's outbox id (`withReminderIds`), read
 * back within the presser's school. The skeleton is `reminderDialog`'s.
 */
import { RENEW_FORM } from '../../../domain/presenters/reminder-outcome';
import { renewContract } from '../../../domain/registers/providers';
import type { Reminder } from '../../../domain/reminders/reminder';
import { can, FORBIDDEN } from '../../../domain/roles';
import { formCard } from '../cards/form';
import { reminderHeading } from '../reminder-actions';
import type { Dialog } from './dialog';
import { reminderDialog } from './reminder-dialog';

export const RENEWED_VERB = 'reminder.renewed';
export const RENEWED_FORM_KIND = 'teams.renewed';
/** The form's one field: the contract's new end date (`YYYY-MM-DD`, as Input.Date gives it). */
export const RENEWED_FIELD = 'newEndDate';

export const renewedDialog: Dialog = reminderDialog<{ reminder: Reminder & { contractId: string } }>({
  verb: RENEWED_VERB,
  formKind: RENEWED_FORM_KIND,
  title: RENEW_FORM.title,
  field: RENEWED_FIELD,
  /** The reminder this dialog is about, once the presser may renew its contract; else what to say. */
  async check(ctx, reminder) {
    if (!('contractId' in reminder)) return undefined;
    if (!can(ctx.actor.role, 'register.manage')) return { refusal: FORBIDDEN['register.manage'] };
    return { reminder };
  },
  form: (ctx, { reminder }, outboxId, formId, value, error) =>
    formCard({
      formId,
      verb: RENEWED_VERB,
      value: outboxId,
      heading: reminderHeading(ctx, reminder),
      items: [{ kind: 'date', id: RENEWED_FIELD, label: RENEW_FORM.field, required: true }],
      submit: RENEW_FORM.submit,
      values: { [RENEWED_FIELD]: value },
      // As in Slack: the domain's words for the date, else its message, under the field.
      errors: error ? { [RENEWED_FIELD]: error.fields?.newEndDate ?? error.message } : undefined,
    }),
  async act(tx, { reminder }, newEndDate) {
    const result = await renewContract(tx, { contractId: reminder.contractId, newEndDate });
    if (!result.ok) return result;
    return { ok: true, value: { kind: 'renewed', endDate: newEndDate } };
  },
  afterDone(deps, ctx, { reminder }) {
    deps.log.info({ schoolId: ctx.school.id, contractId: reminder.contractId }, 'contract renewed');
  },
});
