/**
 * Resolve, as a dialog: the resolution form (`cards/resolve-form.ts`) once the presser may
 * resolve; its submit resolves once per form id (`submitOnce`, kind `teams.resolve`), closes the
 * dialog on success, and keeps it open with the domain's message under the field and the typed
 * text kept when refused.
 */
import { submitOnce } from '../../../domain/form-submissions';
import { openIncidentFor } from '../../../domain/incidents/open-incident';
import type { Category } from '../../../domain/incidents/priority';
import { resolveIncident } from '../../../domain/incidents/resolve-incident';
import type { FixScope } from '../../../domain/known-fixes/from-incident';
import type { DomainError } from '../../../domain/result';
import {
  RESOLVE_VERB,
  type ResolveValues,
  resolveFormCard,
  resolveTitle,
  resolveValuesOf,
} from '../cards/resolve-form';
import { type Dialog, type DialogCtx, type TaskAnswer, taskCard, taskMessage } from './dialog';

export const RESOLVE_FORM_KIND = 'teams.resolve';

async function resolveForm(
  ctx: DialogCtx,
  incidentId: string,
  formId: string,
  values: ResolveValues,
  error?: DomainError,
): Promise<TaskAnswer> {
  const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.resolve' });
  if (!found.ok) return taskMessage(error?.message ?? found.error.message);
  const card = resolveFormCard({
    formId,
    incident: found.value,
    values,
    errors: error?.fields,
    notice: error?.message,
  });
  return taskCard(resolveTitle(found.value), card);
}

interface ResolveAnswer {
  resolved?: boolean;
  error?: DomainError;
}

export const resolveDialog: Dialog = {
  verb: RESOLVE_VERB,
  open: (_deps, ctx, incidentId, formId) => resolveForm(ctx, incidentId, formId, {}),
  async submit(deps, ctx, incidentId, formId, data) {
    const values = resolveValuesOf(data);
    const { repeat, answer } = await submitOnce<DialogCtx, ResolveAnswer>(
      ctx,
      { kind: RESOLVE_FORM_KIND, key: formId },
      async (tx) => {
        const result = await resolveIncident(tx, {
          incidentId,
          resolution: values.resolution ?? '',
          category: values.category as Category | undefined,
          knownFix:
            values.saveFix === 'true'
              ? {
                  title: values.fixTitle,
                  steps: values.fixSteps,
                  keywords: values.fixKeywords,
                  scope: values.fixScope as FixScope | undefined,
                }
              : undefined,
        });
        if (!result.ok) return { saved: false, answer: { error: result.error } };
        return { saved: true, answer: { resolved: true } };
      },
    );
    // A copy sent as someone else learns nothing and changes nothing.
    if (!answer) return taskMessage('That form is not yours.');
    if (answer.resolved) {
      if (!repeat) {
        deps.kick?.();
        deps.log.info({ schoolId: ctx.school.id, incidentId }, 'incident resolved');
      }
      return undefined;
    }
    return resolveForm(ctx, incidentId, formId, values, answer.error);
  },
};
