/**
 * The incident card's liaison forms as Teams dialogs: Forward (to one of the school's technicians,
 * chosen from a list of its staff, or to a first-level provider), Escalate (to a second-level
 * provider or supplier; once done the dialog shows what Slack shows next: that the summary is
 * being posted in the provider's channel, or the email to send them), the provider's update, and
 * Hand back. The same fields, words, limits and domain commands as Slack's modals; each submit is
 * recorded once per form id, kind `teams.<name>`.
 */
import type { Ctx } from '../../../domain/context';
import {
  ESCALATION_NOTE_MAX,
  type EscalateIncidentOutput,
  escalateIncident,
  getEscalationSummary,
  REFERENCE_MAX,
} from '../../../domain/incidents/escalate-incident';
import { forwardIncident } from '../../../domain/incidents/forward-incident';
import { openIncidentFor } from '../../../domain/incidents/open-incident';
import { handBackIncident, recordProviderUpdate } from '../../../domain/incidents/provider-update';
import { listAssignablePeople } from '../../../domain/people';
import { escalationEmail, mailtoOf } from '../../../domain/presenters/escalation-email';
import {
  ESCALATE_FORM,
  emailHeading,
  escalationEmailIntro,
  escalationPostedText,
  FORWARD_FORM,
  HAND_BACK_FORM,
  handedBackLine,
  NO_ESCALATION_PROVIDERS,
  NO_FIRST_LEVEL_PROVIDERS,
  orPhone,
  PROVIDER_UPDATE_FORM,
} from '../../../domain/presenters/incident-forms';
import { listProviderRegister } from '../../../domain/registers/providers';
import { CHOICES_MAX } from '../cards/fault-form';
import type { FormItem } from '../cards/form';
import { incidentHeading } from '../cards/resolve-form';
import { escapeMarkdown, plainText, renderText } from '../render/adaptive-card';
import { type TaskAnswer, taskCard } from './dialog';
import { incidentFormDialog } from './incident-form';

/** The register's providers at these levels, as choices (a list holds `CHOICES_MAX`). */
async function providerChoices(ctx: Ctx, levels: ReadonlyArray<string>) {
  const all = await listProviderRegister(ctx);
  const providers = all.ok ? all.value.filter((p) => levels.includes(p.level)) : [];
  return providers.slice(0, CHOICES_MAX).map((p) => ({ title: p.name, value: p.id }));
}

export const forwardDialog = incidentFormDialog({
  verb: 'incident.forward',
  kind: 'teams.forward',
  fields: ['assignee', 'providerId'],
  fallbackField: 'assignee',
  logged: 'incident forwarded',
  async view(ctx, incidentId) {
    const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.triage' });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value;
    // Slack picks any user of the workspace; Teams has no such picker, so the school's staff.
    const people = await listAssignablePeople(ctx);
    const firstLevel = await providerChoices(ctx, ['first']);
    const items: FormItem[] = [
      {
        kind: 'choice',
        id: 'assignee',
        label: FORWARD_FORM.technician,
        hint: FORWARD_FORM.technicianHint,
        choices: (people.ok ? people.value : [])
          .slice(0, CHOICES_MAX)
          .map((p) => ({ title: p.name, value: p.personId })),
      },
    ];
    if (firstLevel.length > 0)
      items.push({ kind: 'choice', id: 'providerId', label: FORWARD_FORM.provider, choices: firstLevel });
    else items.push({ kind: 'note', text: renderText(NO_FIRST_LEVEL_PROVIDERS) });
    return { title: FORWARD_FORM.title(i), heading: incidentHeading(i), submit: FORWARD_FORM.submit, items };
  },
  run: (ctx, incidentId, v, formId) =>
    forwardIncident(ctx, {
      incidentId,
      technician: v.assignee ? { personId: v.assignee } : undefined,
      providerId: v.providerId,
      submissionKey: formId,
    }),
});

/** What replaces the escalate form: where the summary went, or the email to send. */
async function escalated(ctx: Ctx, escalationId: string, via: unknown): Promise<TaskAnswer> {
  const summary = await getEscalationSummary(ctx, escalationId);
  if (!summary.ok) return undefined;
  const s = summary.value;
  const tz = s.timezone;
  const text = (rich: Parameters<typeof renderText>[0], extra: Record<string, unknown> = {}) => ({
    type: 'TextBlock',
    text: renderText(rich, tz),
    wrap: true,
    ...extra,
  });
  const card = (body: Record<string, unknown>[], actions: Record<string, unknown>[] = []) => ({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  });
  if (via === 'channel') return taskCard(ESCALATE_FORM.postedTitle, card([text(escalationPostedText(s))]));
  const draft = escalationEmail(s);
  const url = mailtoOf(draft);
  const body = [
    text(escalationEmailIntro(s)),
    text(emailHeading(draft, s.provider)),
    { type: 'TextBlock', text: escapeMarkdown(draft.body), wrap: true, fontType: 'Monospace', size: 'Small' },
    ...(s.provider.phone && draft.to
      ? [text(orPhone(s.provider.phone), { isSubtle: true, size: 'Small' })]
      : []),
  ];
  const actions = url ? [{ type: 'Action.OpenUrl', title: ESCALATE_FORM.openEmail, url }] : [];
  return taskCard(ESCALATE_FORM.emailTitle, card(body, actions));
}

export const escalateDialog = incidentFormDialog({
  verb: 'incident.escalate',
  kind: 'teams.escalate',
  fields: ['providerId', 'providerRef', 'note'],
  fallbackField: 'providerId',
  logged: 'incident escalated',
  async view(ctx, incidentId) {
    const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.escalate' });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value;
    const providers = await providerChoices(ctx, ['second', 'supplier']);
    if (providers.length === 0) return { refusal: plainText(NO_ESCALATION_PROVIDERS) };
    return {
      title: ESCALATE_FORM.title(i),
      heading: incidentHeading(i),
      submit: ESCALATE_FORM.submit,
      items: [
        {
          kind: 'choice',
          id: 'providerId',
          label: ESCALATE_FORM.provider,
          required: true,
          choices: providers,
        },
        {
          kind: 'text',
          id: 'providerRef',
          label: ESCALATE_FORM.providerRef,
          max: REFERENCE_MAX,
          hint: ESCALATE_FORM.providerRefHint,
        },
        {
          kind: 'text',
          id: 'note',
          label: ESCALATE_FORM.note,
          required: true,
          multiline: true,
          max: ESCALATION_NOTE_MAX,
          hint: ESCALATE_FORM.noteHint,
        },
      ],
    };
  },
  run: (ctx, incidentId, v) =>
    escalateIncident(ctx, {
      incidentId,
      providerId: v.providerId ?? '',
      providerRef: v.providerRef,
      note: v.note ?? '',
    }),
  keep: (out: EscalateIncidentOutput) => ({ escalationId: out.escalation.id, via: out.via }),
  after: (_deps, ctx, kept) =>
    typeof kept.escalationId === 'string'
      ? escalated(ctx, kept.escalationId, kept.via)
      : Promise.resolve(undefined),
});

export const providerUpdateDialog = incidentFormDialog({
  verb: 'incident.providerUpdate',
  kind: 'teams.providerUpdate',
  fields: ['note', 'providerRef'],
  fallbackField: 'note',
  logged: 'provider update recorded',
  async view(ctx, incidentId) {
    const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.escalate' });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value;
    return {
      title: PROVIDER_UPDATE_FORM.title,
      heading: incidentHeading(i),
      submit: PROVIDER_UPDATE_FORM.submit,
      initial: i.providerRef ? { providerRef: i.providerRef } : {},
      items: [
        {
          kind: 'text',
          id: 'note',
          label: PROVIDER_UPDATE_FORM.note,
          required: true,
          multiline: true,
          max: ESCALATION_NOTE_MAX,
          hint: PROVIDER_UPDATE_FORM.noteHint,
        },
        { kind: 'text', id: 'providerRef', label: PROVIDER_UPDATE_FORM.providerRef, max: REFERENCE_MAX },
      ],
    };
  },
  run: (ctx, incidentId, v, formId) =>
    recordProviderUpdate(ctx, {
      incidentId,
      note: v.note ?? '',
      providerRef: v.providerRef,
      submissionKey: formId,
    }),
});

export const handBackDialog = incidentFormDialog({
  verb: 'incident.handBack',
  kind: 'teams.handBack',
  fields: ['note'],
  fallbackField: 'note',
  logged: 'incident handed back',
  async view(ctx, incidentId) {
    const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.escalate' });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value;
    return {
      title: HAND_BACK_FORM.title,
      heading: incidentHeading(i),
      submit: HAND_BACK_FORM.submit,
      items: [
        { kind: 'note', text: renderText(handedBackLine(i.providerName)) },
        {
          kind: 'text',
          id: 'note',
          label: HAND_BACK_FORM.note,
          multiline: true,
          max: ESCALATION_NOTE_MAX,
          hint: HAND_BACK_FORM.noteHint,
        },
      ],
    };
  },
  run: (ctx, incidentId, v) => handBackIncident(ctx, { incidentId, note: v.note }),
});
