import {
  contractTargetHours,
  type EscalationRow,
  getEscalation,
  lockEscalation,
  updateEscalation,
} from '../../db/queries/escalations';
import { enqueue } from '../../db/queries/outbox';
import { loadSchoolClock } from '../../db/queries/schools';
import { getProvider, type ProviderRow } from '../../db/queries/supply';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { addSchoolHours } from '../school-time';
import { type ChangeOutput, changeIncident } from './change-incident';
import { postsToProviderChannel } from './escalate-incident';

export interface ChaseEscalationInput {
  escalationId: string;
  /**
   * How many chases the reminder was about (its occurrence). When the escalation has been chased
   * since, this press is a repeat and changes nothing.
   */
  chaseCount?: number;
}

export interface ChaseEscalationOutput extends ChangeOutput {
  escalation: EscalationRow;
  provider: ProviderRow;
  /** How the provider hears of the chase: their chat channel, or an email the SPOC sends. */
  via: 'channel' | 'email';
  /** Someone chased this occurrence already: nothing was recorded now. */
  already: boolean;
}

const GONE = 'That escalation is not in your school any more.';

/**
 * The SPOC chases a provider who has not answered within their response target: the chase is
 * recorded on the escalation and in the incident's history, the next answer is due a full
 * response target from now (none when the contract no longer has one), and the provider is chased
 * in their chat channel when they have one (otherwise the SPOC is handed the email to send).
 * Office and admin.
 */
export async function chaseEscalation(
  ctx: Ctx,
  input: ChaseEscalationInput,
): Promise<Result<ChaseEscalationOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'incident.escalate')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.escalate']);
  const found = isUuid(input.escalationId)
    ? await getEscalation(ctx.db, actor.schoolId, input.escalationId)
    : undefined;
  if (!found) return fail('INCIDENT.NOT_FOUND', GONE);

  let escalation: EscalationRow = found;
  let provider: ProviderRow | undefined;
  let viaChannel = false;
  let already = false;
  const changed = await changeIncident(ctx, {
    incidentId: found.incidentId,
    permission: 'incident.escalate',
    action: 'chase',
    precheck: async (_incident, tx) => {
      const locked = await lockEscalation(tx, actor.schoolId, found.id);
      if (!locked) throw new DomainFailure({ code: 'INCIDENT.NOT_FOUND', message: GONE });
      escalation = locked;
      provider = await getProvider(tx, actor.schoolId, locked.providerId);
      if (!provider) throw new DomainFailure({ code: 'INCIDENT.NOT_FOUND', message: GONE });
      viaChannel = await postsToProviderChannel(tx, actor.schoolId, provider);
      if (locked.returnedAt) {
        throw new DomainFailure({
          code: 'INCIDENT.ILLEGAL_TRANSITION',
          message: `${provider.name} has already handed it back: there is nothing to chase.`,
        });
      }
      if (input.chaseCount !== undefined && locked.chaseCount !== input.chaseCount) {
        already = true;
        return 'unchanged';
      }
      const now = clock.now();
      const hours = await contractTargetHours(tx, actor.schoolId, locked.contractId);
      const school = await loadSchoolClock(tx, actor.schoolId);
      if (!school) throw new Error(`school ${actor.schoolId} not found`);
      escalation = await updateEscalation(tx, actor.schoolId, locked.id, {
        lastChasedAt: now,
        chaseCount: locked.chaseCount + 1,
        // With no response target on the contract any more, no answer is due: nothing more to chase.
        respondBy: hours !== null ? addSchoolHours(school.calendar, now, hours) : null,
      });
      if (viaChannel) {
        await enqueue(
          tx,
          actor.schoolId,
          [
            {
              type: 'provider.escalation',
              incidentId: locked.incidentId,
              escalationId: locked.id,
              chase: escalation.chaseCount,
            },
          ],
          now,
        );
      }
      return undefined;
    },
    build: () => ({
      values: {},
      kind: 'chased',
      data: {
        escalationId: escalation.id,
        provider: { id: provider?.id, name: provider?.name },
        chase: escalation.chaseCount,
        respondBy: escalation.respondBy?.toISOString() ?? null,
      },
    }),
  });
  if (!changed.ok) return changed;
  if (!provider) throw new Error('chase without a provider');
  return ok({
    ...changed.value,
    escalation,
    provider,
    via: viaChannel ? 'channel' : 'email',
    already,
  });
}
