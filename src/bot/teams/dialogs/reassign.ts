/**
 * Reassign, on a reminder that an incident's SLA is at risk or it has gone stale, as a dialog: the
 * reminder and "Who should take it?" asked as Slack asks it (`REASSIGN_FORM`). Slack picks any user
 * of the workspace; Teams has no such picker, so the choices are the school's staff who may take
 * an incident (`listAssignablePeople`), by SPOC person id. Its submit gives the incident to them
 * once per form id (`submitOnce`, kind `teams.reassign`) through `assignIncident`, which looks the
 * person up in the presser's school only; a refusal keeps the dialog open with the domain's words
 * under the field; on success the dialog shows the reminder as done, "Given to …" naming the
 * presser, the channel's message of the reminder is replaced with the same card once per form
 * (`showReminderDone`), and the outbox updates the incident's card and tells the person. The button's value is
 * the reminder's outbox id (`withReminderIds`), read back within the presser's school.
 */
import { submitOnce } from '../../../domain/form-submissions';
import { assignIncident } from '../../../domain/incidents/assign-incident';
import { openIncidentFor } from '../../../domain/incidents/open-incident';
import { type AssignablePerson, listAssignablePeople } from '../../../domain/people';
import { REASSIGN_FORM } from '../../../domain/presenters/reminder-outcome';
import type { Reminder } from '../../../domain/reminders/reminder';
import type { DomainError } from '../../../domain/result';
import { CHOICES_MAX } from '../cards/fault-form';
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

export const REASSIGN_VERB = 'reminder.reassign';
export const REASSIGN_FORM_KIND = 'teams.reassign';
/** The form's one field: the person to give it to (a SPOC person id of the school). */
export const REASSIGN_FIELD = 'assignee';

function reassignFormCard(
  ctx: DialogCtx,
  reminder: Reminder,
  staff: readonly AssignablePerson[],
  outboxId: string,
  formId: string,
  value: string,
  error?: DomainError,
) {
  return formCard({
    formId,
    verb: REASSIGN_VERB,
    value: outboxId,
    heading: reminderHeading(ctx, reminder),
    items: [
      {
        kind: 'choice',
        id: REASSIGN_FIELD,
        label: REASSIGN_FORM.field,
        hint: REASSIGN_FORM.hint,
        required: true,
        choices: staff.slice(0, CHOICES_MAX).map((p) => ({ title: p.name, value: p.personId })),
      },
    ],
    submit: REASSIGN_FORM.submit,
    values: { [REASSIGN_FIELD]: value },
    // As in Slack: the domain's words for the person, else its message, under the field.
    errors: error ? { [REASSIGN_FIELD]: error.fields?.assignee ?? error.message } : undefined,
  });
}

/** The reminder and the school's staff, once the presser may give the incident away; else what to say. */
async function reassignable(
  deps: TeamsDeps,
  ctx: DialogCtx,
  outboxId: string,
): Promise<{ reminder: Reminder & { incidentId: string }; staff: AssignablePerson[] } | { refusal: string }> {
  const pressed = await pressedReminder(deps, ctx, REASSIGN_VERB, { outbox: outboxId });
  if (!pressed || !('incidentId' in pressed.reminder)) return { refusal: REMINDER_STALE };
  const { reminder } = pressed;
  const found = await openIncidentFor(ctx, {
    incidentId: reminder.incidentId,
    permission: 'incident.triage',
  });
  if (!found.ok) return { refusal: found.error.message };
  const staff = await listAssignablePeople(ctx);
  if (!staff.ok) return { refusal: staff.error.message };
  return { reminder, staff: staff.value };
}

export const reassignDialog: Dialog = {
  verb: REASSIGN_VERB,
  async open(deps, ctx, outboxId, formId) {
    const found = await reassignable(deps, ctx, outboxId);
    if ('refusal' in found) return taskMessage(found.refusal);
    return taskCard(
      REASSIGN_FORM.title,
      reassignFormCard(ctx, found.reminder, found.staff, outboxId, formId, ''),
    );
  },
  async submit(deps, ctx, outboxId, formId, data, turn): Promise<TaskAnswer> {
    const found = await reassignable(deps, ctx, outboxId);
    if ('refusal' in found) return taskMessage(found.refusal);
    const { reminder, staff } = found;
    const personId = typeof data[REASSIGN_FIELD] === 'string' ? data[REASSIGN_FIELD] : '';
    let refused: DomainError | undefined;
    const { repeat, answer } = await submitOnce<DialogCtx, ReminderAnswer>(
      ctx,
      { kind: REASSIGN_FORM_KIND, key: formId },
      async (tx) => {
        const result = await assignIncident(tx, {
          incidentId: reminder.incidentId,
          assignee: { personId },
          submissionKey: `${REASSIGN_FORM_KIND}:${formId}`,
        });
        if (!result.ok) {
          refused = result.error;
          return { saved: false, answer: { error: result.error.message } };
        }
        const to = staff.find((p) => p.personId === personId)?.name ?? 'someone';
        return {
          saved: true,
          answer: { outcome: { kind: 'given', to: { name: to, slackUserId: null } }, by: presserOf(ctx) },
        };
      },
    );
    // A copy sent as someone else learns nothing and changes nothing.
    if (!answer) return taskMessage('That form is not yours.');
    if ('error' in answer)
      return taskCard(
        REASSIGN_FORM.title,
        reassignFormCard(ctx, reminder, staff, outboxId, formId, personId, refused),
      );
    const done = reminderDoneCard(ctx, reminder, answer.outcome, answer.by);
    // The channel's message too, once: a replay of the form shows the dialog the same, no more.
    if (!repeat) {
      deps.kick?.();
      deps.log.info({ schoolId: ctx.school.id, incidentId: reminder.incidentId }, 'incident reassigned');
      await showReminderDone(deps, ctx, outboxId, done, turn);
    }
    return taskCard(REASSIGN_FORM.title, { ...done });
  },
};
