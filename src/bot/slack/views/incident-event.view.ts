import type { IncidentEventDetail } from '../../../db/queries/incidents';
import {
  CATEGORY_LABELS,
  type Category,
  IMPACT_LABELS,
  type Impact,
  URGENCY_LABELS,
  type Urgency,
} from '../../../domain/incidents/priority';
import { STATUS_LABELS } from '../../../domain/incidents/state-machine';
import { mention } from '../ids';
import { escClip, slackDate } from './format';

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
