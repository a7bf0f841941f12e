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
 * the reminder's outbox id (`withReminderIds`), read back within the presser's school. The skeleton
 * is `reminderDialog`'s.
 */
import { assignIncident } from '../../../domain/incidents/assign-incident';
import { openIncidentFor } from '../../../domain/incidents/open-incident';
import { type AssignablePerson, listAssignablePeople } from '../../../domain/people';
import { REASSIGN_FORM } from '../../../domain/presenters/reminder-outcome';
import type { Reminder } from '../../../domain/reminders/reminder';
import { CHOICES_MAX } from '../cards/fault-form';
import { formCard } from '../cards/form';
import { reminderHeading } from '../reminder-actions';
import type { Dialog } from './dialog';
import { reminderDialog } from './reminder-dialog';

export const REASSIGN_VERB = 'reminder.reassign';
export const REASSIGN_FORM_KIND = 'teams.reassign';
/** The form's one field: the person to give it to (a SPOC person id of the school). */
export const REASSIGN_FIELD = 'assignee';

export const reassignDialog: Dialog = reminderDialog<{
  reminder: Reminder & { incidentId: string };
  staff: AssignablePerson[];
}>({
  verb: REASSIGN_VERB,
  formKind: REASSIGN_FORM_KIND,
  title: REASSIGN_FORM.title,
  field: REASSIGN_FIELD,
  /** The reminder and the school's staff, once the presser may give the incident away; else what to say. */
  async check(ctx, reminder) {
    if (!('incidentId' in reminder)) return undefined;
    const found = await openIncidentFor(ctx, {
      incidentId: reminder.incidentId,
      permission: 'incident.triage',
    });
    if (!found.ok) return { refusal: found.error.message };
    const staff = await listAssignablePeople(ctx);
    if (!staff.ok) return { refusal: staff.error.message };
    return { reminder, staff: staff.value };
  },
  form: (ctx, { reminder, staff }, outboxId, formId, value, error) =>
    formCard({
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
    }),
  async act(tx, { reminder, staff }, personId, formId) {
    const result = await assignIncident(tx, {
      incidentId: reminder.incidentId,
      assignee: { personId },
      submissionKey: `${REASSIGN_FORM_KIND}:${formId}`,
    });
    if (!result.ok) return result;
    const to = staff.find((p) => p.personId === personId)?.name ?? 'someone';
    return { ok: true, value: { kind: 'given', to: { name: to, slackUserId: null } } };
  },
  afterDone(deps, ctx, { reminder }) {
    deps.kick?.();
    deps.log.info({ schoolId: ctx.school.id, incidentId: reminder.incidentId }, 'incident reassigned');
  },
});
