/**
 * The incident card's staff forms that change the incident itself, as Teams dialogs: Triage (who
 * is affected, how urgent, category), Put on hold (what it waits for), a staff note (with an
 * optional link) and Close (a reason when it was never resolved). The same fields, words, limits
 * and domain commands as Slack's modals (`incident-modals.view.ts`); each submit is recorded once
 * per form id, kind `teams.<name>`.
 */
import { closeIncident } from '../../../domain/incidents/close-incident';
import {
  commentOnIncident,
  LINK_MAX,
  NOTE_MAX,
  replyToReporter,
} from '../../../domain/incidents/comment-incident';
import {
  HOLD_DETAIL_MAX,
  HOLD_REASONS,
  type HoldReason,
  holdIncident,
} from '../../../domain/incidents/hold-incident';
import { mergeIncident } from '../../../domain/incidents/merge-incident';
import { openIncidentFor } from '../../../domain/incidents/open-incident';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  type Category,
  IMPACT_LABELS,
  IMPACTS,
  type Impact,
  URGENCIES,
  URGENCY_LABELS,
  type Urgency,
} from '../../../domain/incidents/priority';
import { triageIncident } from '../../../domain/incidents/triage-incident';
import {
  CLOSE_FORM,
  HOLD_FORM,
  HOLD_REASON_LABELS,
  MERGE_FORM,
  NOTE_FORM,
  REPLY_FORM,
  TRIAGE_FORM,
} from '../../../domain/presenters/incident-forms';
import type { FormChoice } from '../cards/form';
import { incidentHeading } from '../cards/resolve-form';
import { incidentFormDialog } from './incident-form';

/** A fixed list's choices, by its labels. */
export const choicesOf = <K extends string>(values: readonly K[], labels: Record<K, string>): FormChoice[] =>
  values.map((v) => ({ title: labels[v], value: v }));

export const triageDialog = incidentFormDialog({
  verb: 'incident.triage',
  kind: 'teams.triage',
  fields: ['impact', 'urgency', 'category'],
  fallbackField: 'impact',
  logged: 'incident triaged',
  async view(ctx, incidentId) {
    const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.triage' });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value;
    return {
      title: TRIAGE_FORM.title(i),
      heading: incidentHeading(i),
      submit: TRIAGE_FORM.submit,
      initial: { impact: i.impact, urgency: i.urgency, ...(i.category ? { category: i.category } : {}) },
      items: [
        {
          kind: 'choice',
          id: 'impact',
          label: TRIAGE_FORM.impact,
          required: true,
          choices: choicesOf(IMPACTS, IMPACT_LABELS),
        },
        {
          kind: 'choice',
          id: 'urgency',
          label: TRIAGE_FORM.urgency,
          required: true,
          choices: choicesOf(URGENCIES, URGENCY_LABELS),
        },
        {
          kind: 'choice',
          id: 'category',
          label: TRIAGE_FORM.category,
          required: true,
          choices: choicesOf(CATEGORIES, CATEGORY_LABELS),
        },
        { kind: 'note', text: TRIAGE_FORM.priorityNote },
      ],
    };
  },
  run: (ctx, incidentId, v) =>
    triageIncident(ctx, {
      incidentId,
      impact: v.impact as Impact,
      urgency: v.urgency as Urgency,
      category: v.category as Category,
    }),
});

export const holdDialog = incidentFormDialog({
  verb: 'incident.hold',
  kind: 'teams.hold',
  fields: ['reason', 'detail'],
  fallbackField: 'reason',
  logged: 'incident put on hold',
  async view(ctx, incidentId) {
    const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.hold' });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value;
    return {
      title: HOLD_FORM.title,
      heading: incidentHeading(i),
      submit: HOLD_FORM.submit,
      items: [
        {
          kind: 'choice',
          id: 'reason',
          label: HOLD_FORM.reason,
          required: true,
          expanded: true,
          choices: choicesOf(HOLD_REASONS, HOLD_REASON_LABELS),
        },
        {
          kind: 'text',
          id: 'detail',
          label: HOLD_FORM.detail,
          max: HOLD_DETAIL_MAX,
          hint: HOLD_FORM.detailHint,
        },
        { kind: 'note', text: HOLD_FORM.slaNote },
      ],
    };
  },
  run: (ctx, incidentId, v) =>
    holdIncident(ctx, { incidentId, reason: (v.reason ?? '') as HoldReason, detail: v.detail }),
});

/**
 * Words staff write on an incident, with an optional link, and who will read them: a staff note,
 * or a reply to the reporter (each form's words say which).
 */
function wordsDialog(spec: {
  verb: 'incident.note' | 'incident.reply';
  kind: string;
  logged: string;
  form: typeof NOTE_FORM | typeof REPLY_FORM;
  run: typeof commentOnIncident;
}) {
  const { form } = spec;
  return incidentFormDialog({
    verb: spec.verb,
    kind: spec.kind,
    fields: ['note', 'link'],
    fallbackField: 'note',
    logged: spec.logged,
    async view(ctx, incidentId) {
      const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.note' });
      if (!found.ok) return { refusal: found.error.message };
      const i = found.value;
      return {
        title: form.title(i),
        heading: incidentHeading(i),
        submit: form.submit,
        items: [
          { kind: 'text', id: 'note', label: form.note, required: true, multiline: true, max: NOTE_MAX },
          {
            kind: 'text',
            id: 'link',
            label: form.link,
            max: LINK_MAX,
            placeholder: form.linkPlaceholder,
            hint: form.linkHint,
          },
          { kind: 'note', text: form.audience },
        ],
      };
    },
    run: (ctx, incidentId, v, formId) =>
      spec.run(ctx, { incidentId, note: v.note ?? '', link: v.link, submissionKey: formId }),
  });
}

export const noteDialog = wordsDialog({
  verb: 'incident.note',
  kind: 'teams.note',
  logged: 'incident note added',
  form: NOTE_FORM,
  run: commentOnIncident,
});

export const replyDialog = wordsDialog({
  verb: 'incident.reply',
  kind: 'teams.reply',
  logged: 'reply to the reporter sent',
  form: REPLY_FORM,
  run: replyToReporter,
});

export const mergeDialog = incidentFormDialog({
  verb: 'incident.merge',
  kind: 'teams.merge',
  fields: ['into'],
  fallbackField: 'into',
  logged: 'incident merged',
  async view(ctx, incidentId) {
    const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.triage' });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value;
    return {
      title: MERGE_FORM.title(i),
      heading: incidentHeading(i),
      submit: MERGE_FORM.submit,
      items: [
        {
          kind: 'text',
          id: 'into',
          label: MERGE_FORM.into,
          required: true,
          max: 20,
          placeholder: MERGE_FORM.intoPlaceholder,
          hint: MERGE_FORM.intoHint,
        },
      ],
    };
  },
  run: (ctx, incidentId, v) => mergeIncident(ctx, { duplicate: incidentId, into: v.into ?? '' }),
});

export const closeDialog = incidentFormDialog({
  verb: 'incident.close',
  kind: 'teams.close',
  fields: ['note'],
  fallbackField: 'note',
  logged: 'incident closed',
  async view(ctx, incidentId) {
    const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.close' });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value;
    const resolved = i.status === 'resolved';
    return {
      title: CLOSE_FORM.title(i),
      heading: incidentHeading(i),
      submit: CLOSE_FORM.submit,
      items: [
        {
          kind: 'text',
          id: 'note',
          label: CLOSE_FORM.note(resolved),
          required: !resolved,
          multiline: true,
          max: CLOSE_FORM.noteMax,
          ...(resolved ? {} : { hint: CLOSE_FORM.noteHint }),
        },
      ],
    };
  },
  run: (ctx, incidentId, v) => closeIncident(ctx, { incidentId, note: v.note }),
});
