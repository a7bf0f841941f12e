/**
 * One way to make an incident's form a dialog, shared by the staff forms (triage, forward,
 * escalate, provider update, hand back, hold, note, close) and the reporter's comment. The form
 * opens once the presser may use it (the domain's refusal closes it), built with the form kit from
 * the same fields and words as Slack's modal; its submit runs the same domain command once per form
 * id (`submitOnce`, kind `teams.<name>`), so a re-delivered or double-clicked submit changes
 * nothing more and is given the first one's answer. Done, the dialog closes (or shows what Slack
 * shows next) and the outbox is woken to update the card; refused, the form comes back with what
 * was typed and the domain's message under the field it names, as Slack's modal shows it.
 */
import { submitOnce } from '../../../domain/form-submissions';
import type { ActionId } from '../../../domain/presenters/presentation';
import type { DomainError, Result } from '../../../domain/result';
import type { AdaptiveCard } from '../cards/fault-form';
import { type FormItem, type FormValues, formCard, formValuesOf } from '../cards/form';
import type { TeamsDeps } from '../commands/deps';
import {
  type Dialog,
  type DialogCtx,
  type DialogTurn,
  type TaskAnswer,
  taskCard,
  taskMessage,
} from './dialog';

/** A form ready to show: its title, heading, fields and submit button. */
export interface IncidentFormView {
  title: string;
  heading: string;
  items: FormItem[];
  submit: string;
  /** What the fields start with when the form first opens (the incident's current values). */
  initial?: Partial<FormValues>;
}

/** What is kept of a done submission (plain JSON), for what is shown next and for any repeat. */
export type Kept = Record<string, string | number | boolean | null>;

export interface IncidentFormSpec<O> {
  /** The verb of the card's button, and of the form's submit. */
  verb: ActionId;
  /** The submission kind, `teams.<name>`. */
  kind: string;
  /** The form's input ids: what is read back from a submit. */
  fields: readonly string[];
  /** The field under which an error naming none of the form's fields is shown. */
  fallbackField: string;
  /** The form for the incident, or a sentence saying why it cannot open (the dialog closes with it). */
  view(ctx: DialogCtx, incidentId: string): Promise<IncidentFormView | { refusal: string }>;
  /** The domain command, in the transaction that records the form once. */
  run(ctx: DialogCtx, incidentId: string, values: Partial<FormValues>, formId: string): Promise<Result<O>>;
  /** What to keep of a success, for `after`. */
  keep?(output: O, ctx: DialogCtx): Kept;
  /**
   * What the dialog shows once done (as Slack's modal is replaced); nothing closes it. The turn,
   * when given, lets it replace the message it was opened from (`DialogTurn`).
   */
  after?(deps: TeamsDeps, ctx: DialogCtx, kept: Kept, turn?: DialogTurn): Promise<TaskAnswer>;
  /** The log line for a change. */
  logged: string;
}

interface Answer {
  done?: boolean;
  kept?: Kept;
  error?: DomainError;
}

/** The dialog's card from a view: the values kept, the domain's messages placed. */
function cardOf(
  spec: IncidentFormSpec<unknown>,
  view: IncidentFormView,
  incidentId: string,
  formId: string,
  values: Partial<FormValues>,
  error?: DomainError,
): AdaptiveCard {
  // Slack's modal puts a refusal naming no field under the fallback field; its summary
  // ("Please check the highlighted fields.") sits over the form.
  const fields = error?.fields && Object.keys(error.fields).length > 0 ? error.fields : undefined;
  return formCard({
    formId,
    verb: spec.verb,
    value: incidentId,
    heading: view.heading,
    items: view.items,
    submit: view.submit,
    values,
    errors: fields ?? (error ? { [spec.fallbackField]: error.message } : undefined),
    notice: fields ? error?.message : undefined,
    fallbackField: spec.fallbackField,
  });
}

export function incidentFormDialog<O>(spec: IncidentFormSpec<O>): Dialog {
  const show = async (
    ctx: DialogCtx,
    incidentId: string,
    formId: string,
    values: Partial<FormValues> | undefined,
    error?: DomainError,
  ): Promise<TaskAnswer> => {
    const view = await spec.view(ctx, incidentId);
    if ('refusal' in view) return taskMessage(error?.message ?? view.refusal);
    const card = cardOf(
      spec as IncidentFormSpec<unknown>,
      view,
      incidentId,
      formId,
      values ?? view.initial ?? {},
      error,
    );
    return taskCard(view.title, card);
  };

  return {
    verb: spec.verb,
    open: (_deps, ctx, incidentId, formId) => show(ctx, incidentId, formId, undefined),
    async submit(deps, ctx, incidentId, formId, data, turn) {
      const values = formValuesOf(data, spec.fields);
      const { repeat, answer } = await submitOnce<DialogCtx, Answer>(
        ctx,
        { kind: spec.kind, key: formId },
        async (tx) => {
          const result = await spec.run(tx, incidentId, values, formId);
          if (!result.ok) return { saved: false, answer: { error: result.error } };
          return { saved: true, answer: { done: true, kept: spec.keep?.(result.value, tx) ?? {} } };
        },
      );
      // A copy sent as someone else learns nothing and changes nothing.
      if (!answer) return taskMessage('That form is not yours.');
      if (answer.done) {
        if (!repeat) {
          deps.kick?.();
          deps.log.info({ schoolId: ctx.school.id, incidentId }, spec.logged);
        }
        return spec.after ? spec.after(deps, ctx, answer.kept ?? {}, turn) : undefined;
      }
      return show(ctx, incidentId, formId, values, answer.error);
    },
  };
}
