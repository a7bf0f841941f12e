/**
 * An office form (`OfficeForm`: a location, an asset, a licence, a contract, …) as a Teams
 * dialog. It opens once the presser's role may use it (else the dialog says why and closes), laid
 * out from the form's spec (`officeFormCard`). Its submit runs the form's own `submit` (the same
 * as Slack's) once per form id (`submitOnce`, kind `teams.<form name>`): a re-delivered or
 * double-clicked submit saves nothing more and is shown the first answer. Refused, the form comes
 * back with what was typed and the domain's message under the field it names; saved, the dialog
 * shows what was saved, as Slack's modal does.
 */
import { recordedAnswer, submitOnce } from '../../../domain/form-submissions';
import { type FieldReader, type FormSpec, type OfficeForm, SAVED_TITLE } from '../../../domain/forms/form';
import type { ActionId } from '../../../domain/presenters/presentation';
import type { DomainError } from '../../../domain/result';
import { can, FORBIDDEN } from '../../../domain/roles';
import { formValuesOf } from '../cards/form';
import { fieldIdsOf, officeFormCard } from '../cards/office-form';
import { renderText } from '../render/adaptive-card';
import { type Dialog, type TaskAnswer, type TaskData, taskCard, taskMessage } from './dialog';

interface Answer {
  saved?: string;
  error?: DomainError;
}

/** What a submit's data says for each field of the spec; a toggle reads as `'true'` or nothing. */
function readerOf(spec: FormSpec, data: TaskData): { read: FieldReader; typed: Record<string, string> } {
  const typed = formValuesOf(data, fieldIdsOf(spec)) as Record<string, string>;
  const toggles = new Set(spec.fields.filter((f) => f.kind === 'toggle').map((f) => f.id));
  const read: FieldReader = (id) => {
    const v = typed[id];
    if (toggles.has(id)) return v === 'true' ? 'true' : undefined;
    return v;
  };
  return { read, typed };
}

/** The card a saved form leaves in the dialog: what was saved, in the form's own words. */
const savedCard = (text: string): TaskAnswer =>
  taskCard(SAVED_TITLE, {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text, wrap: true }],
  });

/**
 * The dialog a button opens for `form`. `record`: the button's value names the record the form
 * is about (an edit); otherwise the form is for a new one and the value is ignored.
 */
export function officeFormDialog(verb: ActionId, form: OfficeForm, opts: { record: boolean }): Dialog {
  const idOf = (value: string) => (opts.record && value ? value : undefined);
  return {
    verb,
    async open(_deps, ctx, value, formId) {
      if (!can(ctx.actor.role, form.permission)) return taskMessage(FORBIDDEN[form.permission]);
      const spec = await form.open(ctx, idOf(value));
      if (!spec.ok) return taskMessage(spec.error.message);
      return taskCard(spec.value.title, officeFormCard(spec.value, { formId, verb, value }));
    },
    async submit(deps, ctx, value, formId, data) {
      const id = idOf(value);
      const kind = `teams.${form.name}`;
      const spec = await form.open(ctx, id);
      if (!spec.ok) {
        // A repeat of a form that no longer opens because what it did is done: its first answer.
        const first = await recordedAnswer<Answer>(ctx, { kind, key: formId });
        return first?.saved !== undefined ? savedCard(first.saved) : taskMessage(spec.error.message);
      }
      const { read, typed } = readerOf(spec.value, data);
      const { repeat, answer } = await submitOnce<typeof ctx, Answer>(
        ctx,
        { kind, key: formId },
        async (tx) => {
          const result = await form.submit(tx, id, read);
          if (!result.ok) return { saved: false, answer: { error: result.error } };
          return { saved: true, answer: { saved: renderText(result.value.saved, ctx.school.timezone) } };
        },
      );
      if (repeat && !answer?.saved) return taskMessage('That form was already sent.');
      if (answer?.saved !== undefined) {
        if (!repeat) {
          deps.kick?.();
          deps.log.info({ schoolId: ctx.school.id, form: form.name }, 'office form saved');
        }
        return savedCard(answer.saved);
      }
      const error = answer?.error;
      const fields = error?.fields && Object.keys(error.fields).length > 0 ? error.fields : undefined;
      return taskCard(
        spec.value.title,
        officeFormCard(spec.value, {
          formId,
          verb,
          value,
          values: typed,
          // A refusal naming no field goes under the first field, as in Slack's modal.
          ...(fields
            ? { errors: fields, notice: error?.message }
            : error
              ? { errors: { '': error.message } }
              : {}),
        }),
      );
    },
  };
}
