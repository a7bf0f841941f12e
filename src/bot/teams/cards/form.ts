/**
 * A small kit for the forms SPOC shows in Teams dialogs, as Adaptive Cards (1.5): a heading, an
 * optional notice line, then the fields (a text, a multi-line text with its maximum length, a
 * choice set, a date, a toggle, and small print between them), and one submit button whose data
 * carries the dialog's verb, its value and the form's id (so a repeat of its submission is
 * recorded once). Adaptive Cards have no server-side field errors, so a refused form is sent again
 * with what was typed still filled in, the domain's message in an `attention` TextBlock right under
 * each field it names (an error naming no field of the form goes under the fallback field), and
 * the refusal's own sentence as the notice. The words come from the caller; none are decided here.
 */
import type { AdaptiveCard } from './fault-form';

export interface FormChoice {
  title: string;
  value: string;
}

interface FieldBase {
  /** The input's id: the key its value comes back under, and the domain's field name. */
  id: string;
  label: string;
  /** Small print right under the field (Slack's hint). */
  hint?: string;
  required?: boolean;
}

export type FormItem =
  | (FieldBase & { kind: 'text'; max: number; multiline?: boolean; placeholder?: string })
  | (FieldBase & {
      kind: 'choice';
      choices: readonly FormChoice[];
      expanded?: boolean;
      placeholder?: string;
      /**
       * A type-ahead: Teams asks the bot for matches from this dataset (`application/search`)
       * as the person types; `choices` are the few shown first (and the one chosen).
       */
      dataset?: string;
    })
  /** A whole number, 0 or more. */
  | (FieldBase & { kind: 'number' })
  | (FieldBase & { kind: 'date' })
  | (FieldBase & { kind: 'toggle'; title: string })
  /** Small print between fields (Slack's context block), not an input. */
  | { kind: 'note'; text: string };

export type FormValues = Record<string, string>;

export interface FormCardInput {
  /** This form's id: a repeat of its submission is recorded once. */
  formId: string;
  /** The dialog's verb (the neutral action id of the button that opened it). */
  verb: string;
  /** What the form is about (an incident id, …), sent back with the submit. */
  value: string;
  /** The first line, in Teams markdown (the caller escapes anything typed). */
  heading: string;
  items: readonly FormItem[];
  /** The submit button's title. */
  submit: string;
  /** What was typed, by field id: filled in again when the form comes back. */
  values?: Partial<FormValues>;
  /** The domain's messages by field (`DomainError.fields`). */
  errors?: Partial<Record<string, string>>;
  /** A sentence over the fields (the refusal's own message). */
  notice?: string;
  /** The field under which an error naming no field of this form is shown; the first field if none. */
  fallbackField?: string;
}

export type FormSubmitData = { verb: string; value: string; formId: string };

const small = (text: string, extra: Record<string, unknown>): Record<string, unknown> => ({
  type: 'TextBlock',
  text,
  wrap: true,
  size: 'Small',
  spacing: 'None',
  ...extra,
});

/** The domain's message for a field, right under it. */
const errorBlock = (text: string | undefined): Record<string, unknown>[] =>
  text ? [small(text, { color: 'attention' })] : [];

const hintBlock = (text: string | undefined): Record<string, unknown>[] =>
  text ? [small(text, { isSubtle: true })] : [];

const fieldsOf = (items: readonly FormItem[]) =>
  items.filter((item): item is Exclude<FormItem, { kind: 'note' }> => item.kind !== 'note');

/** The errors placed by field: any that names no field of the form goes under the fallback. */
function placeErrors(input: FormCardInput): Partial<Record<string, string>> {
  const ids = new Set(fieldsOf(input.items).map((f) => f.id));
  const fallback = input.fallbackField ?? fieldsOf(input.items)[0]?.id;
  const placed: Partial<Record<string, string>> = {};
  for (const [field, message] of Object.entries(input.errors ?? {})) {
    if (!message) continue;
    const at = ids.has(field) ? field : fallback;
    if (at && !placed[at]) placed[at] = message;
  }
  return placed;
}

function inputOf(
  item: Exclude<FormItem, { kind: 'note' }>,
  value: string | undefined,
): Record<string, unknown> {
  const common = { id: item.id, label: item.label, ...(item.required ? { isRequired: true } : {}) };
  switch (item.kind) {
    case 'text':
      return {
        type: 'Input.Text',
        ...common,
        ...(item.multiline ? { isMultiline: true } : {}),
        maxLength: item.max,
        ...(item.placeholder ? { placeholder: item.placeholder } : {}),
        value: (value ?? '').slice(0, item.max),
      };
    case 'choice':
      return {
        type: 'Input.ChoiceSet',
        ...common,
        ...(item.expanded ? { style: 'expanded' } : {}),
        ...(item.placeholder ? { placeholder: item.placeholder } : {}),
        choices: item.choices.map((c) => ({ title: c.title, value: c.value })),
        // Only a value the list offers: anything else would show as a blank choice.
        value: item.choices.some((c) => c.value === value) ? value : '',
        ...(item.dataset
          ? { style: 'filtered', 'choices.data': { type: 'Data.Query', dataset: item.dataset } }
          : {}),
      };
    case 'number':
      return {
        type: 'Input.Number',
        ...common,
        min: 0,
        ...(/^\d+$/.test(value ?? '') ? { value: Number(value) } : {}),
      };
    case 'date':
      return { type: 'Input.Date', ...common, value: /^\d{4}-\d{2}-\d{2}$/.test(value ?? '') ? value : '' };
    case 'toggle':
      return {
        type: 'Input.Toggle',
        ...common,
        title: item.title,
        valueOn: 'true',
        valueOff: 'false',
        value: value === 'true' ? 'true' : 'false',
      };
  }
}

/** The form as a card: heading, notice, each field with its hint and error, and the submit. */
export function formCard(input: FormCardInput): AdaptiveCard {
  const values = input.values ?? {};
  const errors = placeErrors(input);
  const body: Record<string, unknown>[] = [{ type: 'TextBlock', text: input.heading, wrap: true }];
  if (input.notice) body.push({ type: 'TextBlock', text: input.notice, color: 'attention', wrap: true });
  for (const item of input.items) {
    if (item.kind === 'note') {
      body.push({ type: 'TextBlock', text: item.text, wrap: true, size: 'Small', isSubtle: true });
      continue;
    }
    body.push(inputOf(item, values[item.id]), ...hintBlock(item.hint), ...errorBlock(errors[item.id]));
  }
  const data: FormSubmitData = { verb: input.verb, value: input.value, formId: input.formId };
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: [{ type: 'Action.Submit', title: input.submit, style: 'positive', data }],
  };
}

/**
 * A form's values from a dialog's submitted data: strings only, for the fields named; a blank is
 * left out, as Slack leaves out an empty input.
 */
export function formValuesOf<F extends string>(
  data: unknown,
  fields: readonly F[],
): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  if (!data || typeof data !== 'object') return out;
  const record = data as Record<string, unknown>;
  for (const field of fields) {
    const raw = typeof record[field] === 'number' ? String(record[field]) : record[field];
    if (typeof raw === 'string' && raw.trim() !== '') out[field] = raw;
  }
  return out;
}
