/**
 * What comes back from a provider the incident was escalated to: their updates (the first one
 * counts as their response) and the hand-back, when they return it to the school — fixed on their
 * side, or with something for the school to do. The fix is then resolved the usual way.
 */

import type { Db } from '../../db/client';
import {
  type EscalationRow,
  lockEscalation,
  openEscalationOf,
  updateEscalation,
} from '../../db/queries/escalations';
import { getProvider } from '../../db/queries/supply';
import type { Ctx } from '../context';
import { refuseUnstorable } from '../registers/validate';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN, type Permission, type Role } from '../roles';
import { type ChangeOutput, changeIncident } from './change-incident';
import { checkReference, ESCALATION_NOTE_MAX } from './escalate-incident';
import { alreadySubmitted, submissionData } from './submission';

export interface ProviderUpdateInput {
  incidentId: string;
  /** What the provider said or did. */
  note: string;
  /** Their reference, when they have given one (or changed it). */
  providerRef?: string;
  /** Idempotency key of the form submission (the Slack view id): a retry records it once. */
  submissionKey?: string;
  /** The authority acting in a member school (`src/domain/authority`): its provider row there. */
  authorityProviderId?: string;
}

export interface HandBackInput {
  incidentId: string;
  /** What the provider did or says the school should do next. */
  note?: string;
  /** The authority acting in a member school (`src/domain/authority`): its provider row there. */
  authorityProviderId?: string;
}

const NOT_WITH_PROVIDER = 'This incident is not with a provider.';

/**
 * The school's office records what a provider says; the authority, acting in a member school in
 * the role `authority`, records its own, and only on an escalation to it.
 */
const permissionOf = (role: Role): Permission =>
  role === 'authority' ? 'authority.act' : 'incident.escalate';

function refuseOthersEscalation(
  role: Role,
  open: EscalationRow,
  authorityProviderId: string | undefined,
): void {
  if (role === 'authority' && (!authorityProviderId || open.providerId !== authorityProviderId))
    throw new DomainFailure({ code: 'INCIDENT.ILLEGAL_TRANSITION', message: NOT_WITH_PROVIDER });
}

async function lockOpenEscalation(
  tx: Db,
  schoolId: string,
  incidentId: string,
): Promise<EscalationRow | undefined> {
  const open = await openEscalationOf(tx, schoolId, incidentId);
  return open && lockEscalation(tx, schoolId, open.id);
}

/** Records the provider's update on an escalated incident (their first one is their response). Office and admin. */
export async function recordProviderUpdate(
  ctx: Ctx,
  input: ProviderUpdateInput,
): Promise<Result<ChangeOutput>> {
  const { actor, clock } = ctx;
  const permission = permissionOf(actor.role);
  if (!can(actor.role, permission)) return fail('AUTH.FORBIDDEN', FORBIDDEN[permission]);
  const unstorable = refuseUnstorable({ note: input.note, providerRef: input.providerRef });
  if (unstorable) return unstorable;
  const note = input.note?.trim() ?? '';
  const reference = checkReference(input.providerRef);
  const fields: Record<string, string> = {};
  if (note.length === 0) fields.note = 'Say what the provider said or did.';
  else if (note.length > ESCALATION_NOTE_MAX)
    fields.note = `Keep it under ${ESCALATION_NOTE_MAX} characters.`;
  if ('error' in reference) fields.providerRef = reference.error;
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  const newRef = 'ref' in reference ? reference.ref : '';

  let escalation: EscalationRow | undefined;
  let providerName = '';
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission,
    action: 'provider_update',
    precheck: async (incident, tx) => {
      if (await alreadySubmitted(tx, incident, input.submissionKey)) return 'unchanged';
      const open = await lockOpenEscalation(tx, actor.schoolId, incident.id);
      if (!open) throw new DomainFailure({ code: 'INCIDENT.ILLEGAL_TRANSITION', message: NOT_WITH_PROVIDER });
      refuseOthersEscalation(actor.role, open, input.authorityProviderId);
      const now = clock.now();
      escalation = await updateEscalation(tx, actor.schoolId, open.id, {
        respondedAt: open.respondedAt ?? now,
        ...(newRef ? { providerRef: newRef } : {}),
      });
      providerName = (await getProvider(tx, actor.schoolId, open.providerId))?.name ?? '';
      return undefined;
    },
    build: (incident) => {
      const refChanged = newRef && newRef !== (incident.providerRef ?? '');
      return {
        values: refChanged ? { providerRef: newRef } : {},
        kind: 'provider_update',
        data: {
          note,
          escalationId: escalation?.id,
          provider: { id: escalation?.providerId, name: providerName },
          ...(refChanged ? { reference: { from: incident.providerRef, to: newRef } } : {}),
          ...submissionData(input.submissionKey),
        },
      };
    },
  });
}

/**
 * The provider hands the incident back to the school: the escalation is closed and the incident
 * is back in progress with first-line support (who can then resolve it). A second press changes
 * nothing. Office and admin.
 */
export async function handBackIncident(ctx: Ctx, input: HandBackInput): Promise<Result<ChangeOutput>> {
  const { actor, clock } = ctx;
  const permission = permissionOf(actor.role);
  if (!can(actor.role, permission)) return fail('AUTH.FORBIDDEN', FORBIDDEN[permission]);
  const unstorable = refuseUnstorable({ note: input.note });
  if (unstorable) return unstorable;
  const note = input.note?.trim() ?? '';
  if (note.length > ESCALATION_NOTE_MAX)
    return fail('VALIDATION', 'That is too long.', {
      note: `Keep it under ${ESCALATION_NOTE_MAX} characters.`,
    });

  let escalation: EscalationRow | undefined;
  let providerName = '';
  return changeIncident(ctx, {
    incidentId: input.incidentId,
    permission,
    action: 'resume',
    precheck: async (incident, tx) => {
      const open = await lockOpenEscalation(tx, actor.schoolId, incident.id);
      if (!open) {
        // Handed back a moment ago (a double click), or never escalated.
        if (incident.status !== 'escalated' && incident.status !== 'on_hold') return 'unchanged';
        throw new DomainFailure({ code: 'INCIDENT.ILLEGAL_TRANSITION', message: NOT_WITH_PROVIDER });
      }
      refuseOthersEscalation(actor.role, open, input.authorityProviderId);
      if (incident.status === 'on_hold') {
        throw new DomainFailure({
          code: 'INCIDENT.ILLEGAL_TRANSITION',
          message: 'It is on hold: resume it before the provider hands it back.',
        });
      }
      const now = clock.now();
      escalation = await updateEscalation(tx, actor.schoolId, open.id, {
        returnedAt: now,
        respondedAt: open.respondedAt ?? now,
      });
      providerName = (await getProvider(tx, actor.schoolId, open.providerId))?.name ?? '';
      return undefined;
    },
    build: () => ({
      values: { supportLevel: 'first', providerId: null, providerRef: null },
      kind: 'handed_back',
      data: {
        ...(note ? { note } : {}),
        escalationId: escalation?.id,
        provider: { id: escalation?.providerId, name: providerName },
        ...(escalation?.providerRef ? { reference: escalation.providerRef } : {}),
      },
    }),
  });
}
