import type { IncidentDetail, IncidentEventDetail } from '../../../db/queries/incidents';
import {
  CATEGORY_LABELS,
  type Category,
  IMPACT_LABELS,
  type Impact,
  URGENCY_LABELS,
  type Urgency,
} from '../../../domain/incidents/priority';
import { formatReference } from '../../../domain/incidents/reference';
import { STATUS_LABELS } from '../../../domain/incidents/state-machine';
import type { NotifyEvent } from '../../../domain/messages';
import { mention } from '../ids';
import { escClip, slackDate } from './format';
import type { SlackMessage } from './incident-card.view';

type FromTo<T> = { from: T | null; to: T };

function changeText(data: Record<string, unknown>): string {
  const parts: string[] = [];
  const d = data as Partial<{
    priority: FromTo<string>;
    impact: FromTo<Impact>;
    urgency: FromTo<Urgency>;
    category: FromTo<Category>;
  }>;
  if (d.priority) parts.push(`priority ${d.priority.from ?? '—'} → *${d.priority.to}*`);
  if (d.impact) parts.push(`affects ${IMPACT_LABELS[d.impact.to].toLowerCase()}`);
  if (d.urgency) parts.push(URGENCY_LABELS[d.urgency.to].toLowerCase());
  if (d.category) parts.push(`category ${CATEGORY_LABELS[d.category.to]}`);
  return parts.length ? parts.join(' · ') : 'no changes';
}

/** One history event, as a line in the card's thread and in `/spoc incident`. */
export function incidentEventText(e: IncidentEventDetail, timezone?: string): string {
  const who = mention(e.actorSlackId, e.actorName);
  const when = timezone ? ` · ${slackDate(e.createdAt, timezone)}` : '';
  const note = typeof e.data.note === 'string' && e.data.note ? ` — ${escClip(e.data.note, 1000)}` : '';
  switch (e.kind) {
    case 'reported':
      return `:memo: Reported by ${who}${when}`;
    case 'triaged':
      return `:label: Triaged by ${who}: ${changeText(e.data)}${when}`;
    case 'claimed':
      return `:raising_hand: Claimed by ${who}${when}`;
    case 'assigned':
      return `:arrow_right: Reassigned by ${who} (the card shows to whom)${when}`;
    case 'resolved':
      return `:white_check_mark: Resolved by ${who}: ${escClip(String(e.data.resolution ?? ''), 1500)}${when}`;
    case 'closed':
      return `:lock: Closed by ${who}${note}${when}`;
    default:
      return `${e.kind} by ${who}${e.toStatus ? ` (now ${STATUS_LABELS[e.toStatus].toLowerCase()})` : ''}${note}${when}`;
  }
}

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
  }
  const fallback = {
    reported: `Your fault ${ref} was logged`,
    claimed: `Your fault ${ref} was picked up`,
    resolved: `Your fault ${ref} was fixed`,
    closed: `Your fault ${ref} was closed`,
    assigned: `You have been given ${ref}`,
  }[event];
  return {
    text: fallback,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
