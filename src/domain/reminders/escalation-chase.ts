/**
 * "Chase the provider": an escalation the provider has not answered by its respond-by time (their
 * contract's response target, in school time). Each chase moves the time on and counts up, so each
 * occurrence has its own key and is posted once.
 */
import type { Reminder } from './reminder';

export interface UnansweredEscalation {
  id: string;
  incidentId: string;
  number: number;
  summary: string;
  /** The incident's status: nothing is chased while it is on hold. */
  status: string;
  providerName: string;
  providerRef: string;
  respondBy: Date;
  chaseCount: number;
}

export function escalationChases(
  escalations: ReadonlyArray<UnansweredEscalation>,
  now: Date,
): Extract<Reminder, { kind: 'escalation.chase' }>[] {
  return escalations
    .filter((e) => e.status !== 'on_hold' && now >= e.respondBy)
    .map((e) => ({
      kind: 'escalation.chase' as const,
      key: `escalation.chase:${e.id}:${e.chaseCount}`,
      escalationId: e.id,
      incidentId: e.incidentId,
      number: e.number,
      summary: e.summary,
      providerName: e.providerName,
      providerRef: e.providerRef,
      respondBy: e.respondBy.toISOString(),
      chaseCount: e.chaseCount,
    }));
}
