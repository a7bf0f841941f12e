/** What a person is told by DM about an incident, in plain words without ITSM jargon. */
import type { IncidentDetail } from '../../../db/queries/incidents';
import { formatReference } from '../../../domain/incidents/reference';
import type { NotifyEvent } from '../../../domain/messages';
import { mention } from '../ids';
import { escClip } from './format';
import type { SlackMessage } from './incident-card.view';

/** What the reporter is told, in plain words, at the steps that matter to them. */
export function reporterNoticeView(event: NotifyEvent, i: IncidentDetail, lastNote?: string): SlackMessage {
  const ref = formatReference(i.number);
  const what = `*${ref}* — ${escClip(i.summary, 150)}`;
  let text: string;
  switch (event) {
    case 'reported':
      text = `:white_check_mark: Thanks — your fault is logged as ${what}.\nThe ICT team has it; I'll message you here when someone picks it up.`;
      break;
    case 'claimed':
      text = `:raising_hand: ${mention(i.assigneeSlackId, i.assigneeName)} is now working on your fault ${what}.`;
      break;
    case 'resolved':
      text = `:tada: Your fault ${what} has been fixed.\n>${escClip(i.resolution ?? '', 1500)}\nStill not working? Report it again with \`/fault\` and mention ${ref}.`;
      break;
    case 'assigned':
      text = `:arrow_right: You have been given ${what}. It is in the SPOC channel: press *Claim* there when you start on it.`;
      break;
    case 'closed':
      text = `Your fault ${what} was closed without a fix${lastNote ? `: ${escClip(lastNote, 1000)}` : '.'}`;
      break;
    case 'escalated':
      text = `:telephone_receiver: Your fault ${what} needs outside help: the ICT team has passed it to ${i.providerName ? escClip(i.providerName, 100) : 'a specialist support company'} and is keeping track of it.`;
      break;
    case 'on_hold':
      text = `:hourglass: Your fault ${what} is waiting${i.holdReason ? ` — ${escClip(i.holdReason, 500)}` : ' (for parts or for someone to be available)'}. I'll tell you when it moves again.`;
      break;
    case 'reopened':
      text = `:leftwards_arrow_with_hook: ${mention(i.reporterSlackId, i.reporterName)} says ${what} is still broken, so it is open again.`;
      break;
    case 'commented':
      text = `:speech_balloon: ${mention(i.reporterSlackId, i.reporterName)} added to ${what}${lastNote ? `:\n>${escClip(lastNote, 1000)}` : '.'}`;
      break;
  }
  const fallback = {
    reported: `Your fault ${ref} was logged`,
    claimed: `Your fault ${ref} was picked up`,
    resolved: `Your fault ${ref} was fixed`,
    closed: `Your fault ${ref} was closed`,
    assigned: `You have been given ${ref}`,
    escalated: `Your fault ${ref} was passed to a specialist`,
    on_hold: `Your fault ${ref} is waiting`,
    reopened: `${ref} is open again`,
    commented: `${ref} has a new comment`,
  }[event];
  return {
    text: fallback,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
