/**
 * Forms about an incident carry a submission key (the Slack view id): Slack may deliver the same
 * submission twice (a retry, a double click on Save), and it must be recorded once. The key is
 * stored in the history event's data; a command's precheck, run on the locked incident, answers
 * 'unchanged' when an event of the incident already has it.
 */
import type { Db } from '../../db/client';
import { hasIncidentEventForSubmission, type IncidentRow } from '../../db/queries/incidents';

/** True when this submission was already recorded on the incident. */
export async function alreadySubmitted(
  tx: Db,
  incident: IncidentRow,
  submissionKey: string | undefined,
): Promise<boolean> {
  if (!submissionKey) return false;
  return hasIncidentEventForSubmission(tx, incident.schoolId, incident.id, submissionKey);
}

/** What the history event records of the submission: its key, when there is one. */
export function submissionData(submissionKey: string | undefined): { submissionKey?: string } {
  return submissionKey ? { submissionKey } : {};
}
