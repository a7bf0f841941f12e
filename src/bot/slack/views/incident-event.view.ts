import type { IncidentEventDetail } from '../../../db/queries/incidents';
import {
  CATEGORY_LABELS,
  type Category,
  IMPACT_LABELS,
  type Impact,
  URGENCY_LABELS,
  type Urgency,
} from '../../../domain/incidents/priority';
import { formatSchoolMinutes } from '../../../domain/incidents/sla';
import { STATUS_LABELS } from '../../../domain/incidents/state-machine';
import { mention } from '../ids';
import { esc, escClip, slackDate } from './format';

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

/** A provider named in an event's data. */
function providerOf(data: Record<string, unknown>): string {
  const p = data.provider as { name?: unknown } | undefined;
  return typeof p?.name === 'string' && p.name ? `*${escClip(p.name, 100)}*` : 'the provider';
}

/** The reference an event recorded: a string, or from → to when it changed. */
function referenceOf(data: Record<string, unknown>): string {
  const r = data.reference as string | { to?: unknown } | undefined;
  const ref = typeof r === 'string' ? r : typeof r?.to === 'string' ? r.to : '';
  return ref ? ` (ref ${escClip(ref, 100)})` : '';
}

/** A link someone added (a photo), safe inside Slack's <url|text> syntax. */
function linkOf(data: Record<string, unknown>): string {
  const link = typeof data.link === 'string' && /^https?:\/\//.test(data.link) ? data.link : '';
  return link ? ` · <${esc(link).replace(/\|/g, '%7C')}|link>` : '';
}

/** One history event, as a line in the card's thread and in `/spoc incident`. */
export function incidentEventText(e: IncidentEventDetail, timezone?: string): string {
  const who = mention(e.actorSlackId, e.actorName);
  const when = timezone ? ` · ${slackDate(e.createdAt, timezone)}` : '';
  const note = typeof e.data.note === 'string' && e.data.note ? ` — ${escClip(e.data.note, 1000)}` : '';
  const due = (key: string, words: string) =>
    typeof e.data[key] === 'string'
      ? ` · ${words} ${slackDate(new Date(e.data[key] as string), timezone)}`
      : '';
  switch (e.kind) {
    case 'reported':
      return `:memo: Reported by ${who}${when}`;
    case 'triaged':
      return `:label: Triaged by ${who}: ${changeText(e.data)}${when}`;
    case 'claimed':
      return `:raising_hand: Claimed by ${who}${when}`;
    case 'assigned': {
      const to =
        typeof e.data.assigneeSlackId === 'string' || typeof e.data.assigneeName === 'string'
          ? mention(e.data.assigneeSlackId as string | null, e.data.assigneeName as string | null)
          : null;
      return to
        ? `:arrow_right: Forwarded to ${to} by ${who}${when}`
        : `:arrow_right: Reassigned by ${who} (the card shows to whom)${when}`;
    }
    case 'forwarded':
      return `:arrow_right: Forwarded to ${providerOf(e.data)} (first-line support) by ${who}${when}`;
    case 'escalated':
      return `:telephone_receiver: Escalated to ${providerOf(e.data)}${referenceOf(e.data)} by ${who}${note}${due('respondBy', 'answer due')}${when}`;
    case 'provider_update': {
      const to = (e.data.reference as { to?: unknown } | undefined)?.to;
      const changed = typeof to === 'string' ? `; their ref is now ${escClip(to, 100)}` : '';
      return `:incoming_envelope: Update from ${providerOf(e.data)}, recorded by ${who}${note}${changed}${when}`;
    }
    case 'handed_back':
      return `:leftwards_arrow_with_hook: ${providerOf(e.data)} handed it back (recorded by ${who})${note}${when}`;
    case 'chased':
      return `:mega: ${who} chased ${providerOf(e.data)}${typeof e.data.chase === 'number' ? ` (chase ${e.data.chase})` : ''}${due('respondBy', 'next answer due')}${when}`;
    case 'on_hold':
      return `:hourglass: Put on hold by ${who}${note}${when}`;
    case 'resumed': {
      const paused = typeof e.data.pausedMinutes === 'number' ? e.data.pausedMinutes : 0;
      const day = typeof e.data.dayMinutes === 'number' ? e.data.dayMinutes : undefined;
      return `:arrow_forward: Taken off hold by ${who} (SLA clock paused for ${formatSchoolMinutes(paused, day)} of school time)${when}`;
    }
    case 'comment':
      return e.data.byReporter
        ? `:speech_balloon: ${who} (who reported it) added${note}${linkOf(e.data)}${when}`
        : `:spiral_note_pad: Note from ${who}${note}${linkOf(e.data)}${when}`;
    case 'reopened':
      return `:leftwards_arrow_with_hook: Reopened by ${who}: it is still broken${note}${when}`;
    case 'confirmed':
      return `:white_check_mark: ${who} confirmed it is fixed${note}${when}`;
    case 'resolved':
      return `:white_check_mark: Resolved by ${who}: ${escClip(String(e.data.resolution ?? ''), 1500)}${when}`;
    case 'closed':
      // The auto-close pass acts for nobody: the reporter did not answer for 5 school days.
      return e.data.auto === true
        ? `:lock: Closed automatically: no reply from the reporter for 5 school days${when}`
        : `:lock: Closed by ${who}${note}${when}`;
    default:
      return `${e.kind} by ${who}${e.toStatus ? ` (now ${STATUS_LABELS[e.toStatus].toLowerCase()})` : ''}${note}${when}`;
  }
}
