/**
 * The Resolve form as an Adaptive Card (1.5), shown in a dialog (task module) opened from the
 * incident card's Resolve button. The same fields, wording and limits as Slack's resolve modal:
 * what was done (required, up to `RESOLUTION_MAX`, with the hint that the reporter sees it), and a
 * category when triage never set one. The server's refusals come back as the same card with the
 * message right under the field and what was typed still filled in.
 */
import { CATEGORIES, CATEGORY_LABELS } from '../../../domain/incidents/priority';
import { formatReference } from '../../../domain/incidents/reference';
import { RESOLUTION_MAX } from '../../../domain/incidents/resolve-incident';
import { escapeCut } from '../render/adaptive-card';
import type { AdaptiveCard } from './fault-form';

/** The verb the dialog's Resolve button carries (the neutral action id, as on the card). */
export const RESOLVE_VERB = 'incident.resolve';
export const RESOLVE_FIELDS = ['resolution', 'category'] as const;
export type ResolveField = (typeof RESOLVE_FIELDS)[number];
export type ResolveValues = Partial<Record<ResolveField, string>>;

export interface ResolveFormInput {
  /** This form's id: a repeat of its submission is recorded once. */
  formId: string;
  incident: { id: string; number: number; summary: string; category: string | null };
  values?: ResolveValues;
  /** The server's messages by field (the domain's `fields`). */
  errors?: Partial<Record<string, string>>;
  /** A sentence over the form (the refusal's own message). */
  notice?: string;
}

/** The dialog's title, as Slack's modal is titled. */
export function resolveTitle(i: { number: number }): string {
  return `Resolve ${formatReference(i.number)}`;
}

function errorBlock(text: string | undefined): Record<string, unknown>[] {
  return text
    ? [{ type: 'TextBlock', text, color: 'attention', wrap: true, spacing: 'None', size: 'Small' }]
    : [];
}

export function resolveFormCard(input: ResolveFormInput): AdaptiveCard {
  const { incident: i } = input;
  const v = input.values ?? {};
  const e = input.errors ?? {};
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: `**${formatReference(i.number)}** · ${escapeCut(i.summary, 200)}`,
      wrap: true,
    },
  ];
  if (input.notice) body.push({ type: 'TextBlock', text: input.notice, color: 'attention', wrap: true });
  body.push(
    {
      type: 'Input.Text',
      id: 'resolution',
      label: 'What was done?',
      isMultiline: true,
      isRequired: true,
      maxLength: RESOLUTION_MAX,
      value: (v.resolution ?? '').slice(0, RESOLUTION_MAX),
    },
    {
      type: 'TextBlock',
      text: 'The reporter sees this, so keep it in plain words.',
      isSubtle: true,
      size: 'Small',
      wrap: true,
      spacing: 'None',
    },
    ...errorBlock(e.resolution),
  );
  if (!i.category) {
    body.push(
      {
        type: 'Input.ChoiceSet',
        id: 'category',
        label: 'Category',
        choices: CATEGORIES.map((c) => ({ title: CATEGORY_LABELS[c], value: c })),
        value: v.category ?? '',
      },
      ...errorBlock(e.category),
    );
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: [
      {
        type: 'Action.Submit',
        title: 'Resolve',
        style: 'positive',
        data: { verb: RESOLVE_VERB, value: i.id, formId: input.formId },
      },
    ],
  };
}

/** The form's values from a dialog's submitted data (strings only; blanks left out). */
export function resolveValuesOf(value: unknown): ResolveValues {
  const out: ResolveValues = {};
  if (!value || typeof value !== 'object') return out;
  const record = value as Record<string, unknown>;
  for (const field of RESOLVE_FIELDS) {
    const raw = record[field];
    if (typeof raw === 'string' && raw.trim() !== '') out[field] = raw;
  }
  return out;
}
