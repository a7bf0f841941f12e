/**
 * An office form (`FormSpec`, the domain's neutral form: a location, an asset, a contract, …) as a
 * dialog's Adaptive Card, through the form kit: each field as its input, with the spec's label,
 * hint and limits; the school's locations as a list up to `CHOICES_MAX`, past it as a type-ahead
 * on the same dataset as the fault form's. No wording is decided here.
 */
import type { FormField, FormSpec } from '../../../domain/forms/form';
import { renderText } from '../render/adaptive-card';
import { CHOICES_MAX, LOCATIONS_DATASET, TYPE_AHEAD_FIRST } from './fault-form';
import { type FormItem, type FormValues, formCard } from './form';

/** Whether a field may be left empty when its spec does not say (as Slack's inputs default). */
const OPTIONAL_BY_DEFAULT: Record<Exclude<FormField['kind'], 'note'>, boolean> = {
  text: false,
  number: false,
  choice: false,
  date: true,
  location: true,
  toggle: true,
  channel: true,
  person: true,
};

function itemOf(field: FormField, chosen: string | undefined): FormItem {
  if (field.kind === 'note') return { kind: 'note', text: renderText(field.text) };
  const base = {
    id: field.id,
    label: field.label,
    ...(field.hint ? { hint: field.hint } : {}),
    required: !(field.optional ?? OPTIONAL_BY_DEFAULT[field.kind]),
  };
  switch (field.kind) {
    case 'text':
      return {
        ...base,
        kind: 'text',
        max: field.max ?? 3000,
        ...(field.multiline ? { multiline: true } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
      };
    case 'number':
      return { ...base, kind: 'number' };
    case 'date':
      return { ...base, kind: 'date' };
    case 'toggle':
      return { ...base, kind: 'toggle', title: field.title };
    case 'choice':
      return {
        ...base,
        kind: 'choice',
        choices: field.options.map((o) => ({ title: o.label, value: o.value })),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
      };
    case 'person':
      // Teams has no picker of the school's people: the staff by name, by SPOC person id.
      return {
        ...base,
        kind: 'choice',
        choices: field.people.map((p) => ({ title: p.name, value: p.personId })),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
      };
    case 'channel':
      // Teams has no channel picker: the school's channels SPOC can post in, by name.
      return {
        ...base,
        kind: 'choice',
        choices: field.channels.map((c) => ({ title: c.name, value: c.id })),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
      };
    case 'location': {
      const choice = (l: { id: string; name: string }) => ({ title: l.name, value: l.id });
      if (field.places.length <= CHOICES_MAX) {
        return {
          ...base,
          kind: 'choice',
          placeholder: 'Choose a location',
          choices: field.places.map(choice),
        };
      }
      // Past what a list holds: the first few, and the one chosen, so it shows by its name.
      const first = field.places.slice(0, TYPE_AHEAD_FIRST);
      const picked = chosen ? field.places.find((l) => l.id === chosen) : undefined;
      const shown = picked && !first.some((l) => l.id === picked.id) ? [picked, ...first] : first;
      return {
        ...base,
        kind: 'choice',
        placeholder: 'Type to search locations',
        choices: shown.map(choice),
        dataset: LOCATIONS_DATASET,
      };
    }
  }
}

/** What a field opens with, as the form kit keeps values (strings). */
function initialOf(field: FormField): string | undefined {
  if (
    field.kind === 'note' ||
    field.kind === 'channel' ||
    field.initial === undefined ||
    field.initial === null
  )
    return undefined;
  if (field.kind === 'toggle') return field.initial ? 'true' : 'false';
  if (field.kind === 'person') return field.initial.personId;
  return String(field.initial);
}

export interface OfficeFormCardInput {
  formId: string;
  /** The dialog's verb (the button's neutral action id). */
  verb: string;
  /** The button's value (the record's id, or empty for a new one). */
  value: string;
  /** What was typed, by field id, when the form comes back refused (else the spec's initial values). */
  values?: FormValues;
  errors?: Partial<Record<string, string>>;
  notice?: string;
}

/** The spec as a dialog's card: its title as the heading, its fields, its submit button. */
export function officeFormCard(spec: FormSpec, input: OfficeFormCardInput) {
  const values: FormValues = {};
  for (const field of spec.fields) {
    if (!field.id) continue;
    const v = input.values ? input.values[field.id] : initialOf(field);
    if (v !== undefined) values[field.id] = v;
  }
  return formCard({
    formId: input.formId,
    verb: input.verb,
    value: input.value,
    heading: `**${renderText([spec.title])}**`,
    items: spec.fields.map((f) => itemOf(f, values[f.id ?? ''])),
    submit: spec.submit,
    values,
    ...(input.errors ? { errors: input.errors } : {}),
    ...(input.notice ? { notice: input.notice } : {}),
  });
}

/** The field ids of a spec: the keys a submit's values are read under. */
export const fieldIdsOf = (spec: FormSpec): string[] => spec.fields.flatMap((f) => (f.id ? [f.id] : []));
