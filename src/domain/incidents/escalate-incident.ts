import type { Db } from '../../db/client';
import {
  type EscalationRow,
  type EscalationSummaryData,
  insertEscalation,
  loadEscalationSummary,
  openEscalationOf,
  responseContractOf,
} from '../../db/queries/escalations';
import { enqueue } from '../../db/queries/outbox';
import { getSchool, loadSchoolClock } from '../../db/queries/schools';
import { getProvider, type ProviderRow } from '../../db/queries/supply';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { refuseUnstorable } from '../registers/validate';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { addSchoolHours, schoolToday } from '../school-time';
import { type ChangeOutput, changeIncident } from './change-incident';
import { transition } from './state-machine';

export interface EscalateIncidentInput {
  incidentId: string;
  /** A second-level provider or supplier from the providers register. */
  providerId: string;
  /** The provider's own reference for the call, if they have given one yet (it can be added later). */
  providerRef?: string;
  /** What the provider needs to know: what is wrong, what has been tried. */
  note: string;
}

export interface EscalateIncidentOutput extends ChangeOutput {
  escalation: EscalationRow;
  provider: ProviderRow;
  /** How the provider hears of it: a post in their chat channel, or an email the SPOC sends. */
  via: 'channel' | 'email';
}

export const REFERENCE_MAX = 100;
export const ESCALATION_NOTE_MAX = 3000;

/** A Slack channel id (C…, or G… for an old private channel): the only kind SPOC posts to. */
export function isSlackChannelId(value: string): boolean {
  return /^[CG][A-Z0-9]{6,20}$/.test(value.trim());
}

/**
 * Whether SPOC posts an escalation or a chase into the provider's chat channel for this school:
 * the register names a Slack channel and the school is on Slack. A Teams school has no Slack to
 * post with, so its escalations go by email, with the email shown to whoever escalates or chases.
 */
export async function postsToProviderChannel(
  db: Db,
  schoolId: string,
  provider: Pick<ProviderRow, 'chatChannel'>,
): Promise<boolean> {
  if (!isSlackChannelId(provider.chatChannel)) return false;
  return Boolean((await getSchool(db, schoolId))?.slackTeamId);
}

export function checkReference(raw: string | undefined): { ref: string } | { error: string } {
  const ref = raw?.trim() ?? '';
  if (ref.length > REFERENCE_MAX) return { error: `Keep the reference under ${REFERENCE_MAX} characters.` };
  return { ref };
}

async function providerFor(tx: Db, schoolId: string, providerId: string): Promise<ProviderRow> {
  const provider = isUuid(providerId) ? await getProvider(tx, schoolId, providerId) : undefined;
  if (!provider) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: 'Choose a provider from the register.',
      fields: { providerId: 'Choose a provider from the register.' },
    });
  }
  if (provider.level === 'first') {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: `${provider.name} is first-level support: forward it to them instead.`,
      fields: { providerId: `${provider.name} is first-level support: use *Forward* for them.` },
    });
  }
  return provider;
}

/**
 * The SPOC escalates an incident to a second-level provider or supplier from the register, with
 * their reference (if given yet) and a note. The provider's response is due within their
 * contract's response target, in school time; the SPOC is reminded to chase when it passes. The
 * provider hears of it in their chat channel when they have one; otherwise the SPOC is handed an
 * email to send. The reporter is told in plain words. Office and admin only.
 */
export async function escalateIncident(
  ctx: Ctx,
  input: EscalateIncidentInput,
): Promise<Result<EscalateIncidentOutput>> {
  const { actor } = ctx;
  if (!can(actor.role, 'incident.escalate')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.escalate']);
  const unstorable = refuseUnstorable({ note: input.note, providerRef: input.providerRef });
  if (unstorable) return unstorable;
  const note = input.note?.trim() ?? '';
  const reference = checkReference(input.providerRef);
  const fields: Record<string, string> = {};
  if (!input.providerId?.trim()) fields.providerId = 'Choose the provider to escalate to.';
  if (note.length < 3) fields.note = 'Say what is wrong and what has been tried.';
  else if (note.length > ESCALATION_NOTE_MAX)
    fields.note = `Keep it under ${ESCALATION_NOTE_MAX} characters.`;
  if ('error' in reference) fields.providerRef = reference.error;
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  const providerRef = 'ref' in reference ? reference.ref : '';

  let provider: ProviderRow | undefined;
  let viaChannel = false;
  let escalation: EscalationRow | undefined;
  const changed = await changeIncident(ctx, {
    incidentId: input.incidentId,
    permission: 'incident.escalate',
    action: 'escalate',
    precheck: async (incident, tx) => {
      provider = await providerFor(tx, actor.schoolId, input.providerId);
      const open = await openEscalationOf(tx, actor.schoolId, incident.id);
      // A double click: it is already with this provider.
      if (open && open.providerId === provider.id && ['escalated', 'on_hold'].includes(incident.status)) {
        escalation = open;
        return 'unchanged';
      }
      if (open) {
        throw new DomainFailure({
          code: 'INCIDENT.ILLEGAL_TRANSITION',
          message: 'It is already with another provider: hand it back before escalating it elsewhere.',
        });
      }
      const step = transition(incident.status, 'escalate');
      if (!step.ok) throw new DomainFailure(step.error);
      const now = ctx.clock.now();
      const clock = await loadSchoolClock(tx, actor.schoolId);
      if (!clock) throw new Error(`school ${actor.schoolId} not found`);
      const contract = await responseContractOf(
        tx,
        actor.schoolId,
        provider.id,
        schoolToday(now, clock.calendar.timezone),
      );
      const hours = contract?.responseTargetHours ?? null;
      escalation = await insertEscalation(tx, {
        schoolId: actor.schoolId,
        incidentId: incident.id,
        providerId: provider.id,
        contractId: hours !== null ? (contract?.id ?? null) : null,
        providerRef,
        note,
        escalatedBy: actor.personId,
        escalatedAt: now,
        respondBy: hours !== null ? addSchoolHours(clock.calendar, now, hours) : null,
      });
      viaChannel = await postsToProviderChannel(tx, actor.schoolId, provider);
      if (viaChannel) {
        await enqueue(
          tx,
          actor.schoolId,
          [{ type: 'provider.escalation', incidentId: incident.id, escalationId: escalation.id }],
          now,
        );
      }
      return undefined;
    },
    build: (incident, _to, now) => ({
      values: {
        providerId: provider?.id ?? null,
        providerRef: providerRef || null,
        supportLevel: 'second',
        firstResponseAt: incident.firstResponseAt ?? now,
      },
      kind: 'escalated',
      data: {
        provider: { id: provider?.id, name: provider?.name },
        escalationId: escalation?.id,
        ...(providerRef ? { reference: providerRef } : {}),
        note,
        respondBy: escalation?.respondBy?.toISOString() ?? null,
      },
      notifyReporter: 'escalated',
    }),
  });
  if (!changed.ok) return changed;
  if (!provider || !escalation) throw new Error('escalation not recorded');
  return ok({
    ...changed.value,
    escalation,
    provider,
    via: viaChannel ? 'channel' : 'email',
  });
}

/** The summary of an escalation, for the email or channel post the SPOC sends. Office and admin. */
export async function getEscalationSummary(
  ctx: Ctx,
  escalationId: string,
): Promise<Result<EscalationSummaryData>> {
  if (!can(ctx.actor.role, 'incident.escalate'))
    return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.escalate']);
  const summary = isUuid(escalationId)
    ? await loadEscalationSummary(ctx.db, ctx.actor.schoolId, escalationId)
    : undefined;
  return summary ? ok(summary) : fail('INCIDENT.NOT_FOUND', 'That escalation is not in your school.');
}
