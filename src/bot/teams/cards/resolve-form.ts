/**
 * The Resolve form as an Adaptive Card (1.5), shown in a dialog (task module) opened from the
 * incident card's Resolve button, built with the form kit (`form.ts`). The same fields, wording and
 * limits as Slack's resolve modal: what was done (required, up to `RESOLUTION_MAX`, with the hint
 * that the reporter sees it), and a category when triage never set one. The server's refusals come
 * back as the same card with the message right under the field and what was typed still filled in.
 */
import { CATEGORIES, CATEGORY_LABELS } from '../../../domain/incidents/priority';
import { RESOLUTION_MAX } from '../../../domain/incidents/resolve-incident';
import { scopesFor } from '../../../domain/known-fixes/from-incident';
import { FIX_KEYWORDS_MAX, FIX_STEPS_MAX, FIX_TITLE_MAX } from '../../../domain/known-fixes/known-fixes';
import { formHeading, RESOLVE_FORM } from '../../../domain/presenters/incident-forms';
import { fixScopeLabel, SAVE_FIX_FORM } from '../../../domain/presenters/known-fixes';
import { renderText } from '../render/adaptive-card';
import type { AdaptiveCard } from './fault-form';
import { type FormItem, formCard, formValuesOf } from './form';

/** The verb the dialog's Resolve button carries (the neutral action id, as on the card). */
export const RESOLVE_VERB = 'incident.resolve';
export const RESOLVE_FIELDS = [
  'resolution',
  'category',
  // "Save as a known fix", named as the resolve command's errors name them.
  'saveFix',
  'fixTitle',
  'fixSteps',
  'fixScope',
  'fixKeywords',
] as const;
export type ResolveField = (typeof RESOLVE_FIELDS)[number];
export type ResolveValues = Partial<Record<ResolveField, string>>;

export interface ResolveFormInput {
  /** This form's id: a repeat of its submission is recorded once. */
  formId: string;
  incident: {
    id: string;
    number: number;
    summary: string;
    category: string | null;
    /** The incident's device and place, for whom a known fix saved from it is suggested to. */
    assetId?: string | null;
    assetTag?: string | null;
    locationId?: string | null;
    locationName?: string | null;
  };
  values?: ResolveValues;
  /** The server's messages by field (the domain's `fields`). */
  errors?: Partial<Record<string, string>>;
  /** A sentence over the form (the refusal's own message). */
  notice?: string;
}

/** The dialog's title, as Slack's modal is titled. */
export const resolveTitle = (i: { number: number }): string => RESOLVE_FORM.title(i);

/** The line every incident form opens with: the reference in bold and the summary. */
export const incidentHeading = (i: { number: number; summary: string }): string => renderText(formHeading(i));

export function resolveFormCard(input: ResolveFormInput): AdaptiveCard {
  const { incident: i } = input;
  const items: FormItem[] = [
    {
      kind: 'text',
      id: 'resolution',
      label: RESOLVE_FORM.resolution,
      hint: RESOLVE_FORM.resolutionHint,
      multiline: true,
      required: true,
      max: RESOLUTION_MAX,
    },
  ];
  if (!i.category) {
    items.push({
      kind: 'choice',
      id: 'category',
      label: RESOLVE_FORM.category,
      choices: CATEGORIES.map((c) => ({ title: CATEGORY_LABELS[c], value: c })),
    });
  }
  items.push(...saveFixItems(i));
  return formCard({
    formId: input.formId,
    verb: RESOLVE_VERB,
    value: i.id,
    heading: incidentHeading(i),
    items,
    submit: RESOLVE_FORM.submit,
    values: { fixTitle: i.summary, fixScope: saveFixScopes(i)[0], ...input.values },
    errors: input.errors,
    notice: input.notice,
    fallbackField: 'resolution',
  });
}

const saveFixScopes = (i: ResolveFormInput['incident']) =>
  scopesFor({ assetId: i.assetId ?? null, locationId: i.locationId ?? null });

/** "Save as a known fix": the same fields and words as Slack's resolve modal. */
function saveFixItems(i: ResolveFormInput['incident']): FormItem[] {
  const where = { assetTag: i.assetTag ?? null, locationName: i.locationName ?? null };
  return [
    {
      kind: 'toggle',
      id: 'saveFix',
      label: SAVE_FIX_FORM.save,
      title: SAVE_FIX_FORM.save,
      hint: SAVE_FIX_FORM.saveHint,
    },
    {
      kind: 'text',
      id: 'fixTitle',
      label: SAVE_FIX_FORM.title,
      hint: SAVE_FIX_FORM.titleHint,
      max: FIX_TITLE_MAX,
    },
    {
      kind: 'text',
      id: 'fixSteps',
      label: SAVE_FIX_FORM.steps,
      hint: SAVE_FIX_FORM.stepsHint,
      max: FIX_STEPS_MAX,
      multiline: true,
    },
    {
      kind: 'choice',
      id: 'fixScope',
      label: SAVE_FIX_FORM.scope,
      expanded: true,
      choices: saveFixScopes(i).map((s) => ({ title: fixScopeLabel(s, where), value: s })),
    },
    {
      kind: 'text',
      id: 'fixKeywords',
      label: SAVE_FIX_FORM.keywords,
      hint: SAVE_FIX_FORM.keywordsHint,
      max: FIX_KEYWORDS_MAX,
    },
  ];
}

/** The form's values from a dialog's submitted data (strings only; blanks left out). */
export function resolveValuesOf(value: unknown): ResolveValues {
  return formValuesOf(value, RESOLVE_FIELDS);
}
