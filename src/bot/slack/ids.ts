/** Every callback_id, action_id and block_id the Slack app uses, in one place. */

export const CALLBACK = {
  faultModal: 'spoc_fault_report',
  triageModal: 'spoc_incident_triage',
  resolveModal: 'spoc_incident_resolve',
  closeModal: 'spoc_incident_close',
  reportFromMessage: 'spoc_report_from_message',
} as const;

export const ACTION = {
  claim: 'spoc_incident_claim',
  triage: 'spoc_incident_triage_open',
  resolve: 'spoc_incident_resolve_open',
  close: 'spoc_incident_close_open',
  reportFault: 'spoc_report_fault_open',
  /** Input elements: the action id inside each input block. */
  input: 'value',
} as const;

/** Input blocks of the fault form, named after the command's fields so errors map one to one. */
export const FAULT_BLOCK = {
  summary: 'summary',
  description: 'description',
  locationId: 'locationId',
  impact: 'impact',
  urgency: 'urgency',
} as const;

export const TRIAGE_BLOCK = { impact: 'impact', urgency: 'urgency', category: 'category' } as const;
export const RESOLVE_BLOCK = { resolution: 'resolution', category: 'category' } as const;
export const CLOSE_BLOCK = { note: 'note' } as const;

/** Slack user mention; Slack renders it as the person's current display name. */
export function mention(slackUserId: string | null | undefined, fallback: string | null | undefined): string {
  return slackUserId ? `<@${slackUserId}>` : fallback || 'someone';
}
