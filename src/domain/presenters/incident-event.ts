/** One history event as a line: in the card's thread, and in an incident's history. */
import type { IncidentEventDetail } from '../../db/queries/incidents';
import {
  CATEGORY_LABELS,
  type Category,
  IMPACT_LABELS,
  type Impact,
  URGENCY_LABELS,
  type Urgency,
} from '../incidents/priority';
import { formatSchoolMinutes } from '../incidents/sla';
import { STATUS_LABELS } from '../incidents/state-machine';
import { bold, date, emoji, joinRich, person, type Rich, typed } from './presentation';

type FromTo<T> = { from: T | null; to: T };

function changeLine(data: Record<string, unknown>): Rich {
  const parts: Rich[] = [];
  const d = data as Partial<{
    priority: FromTo<string>;
    impact: FromTo<Impact>;
    urgency: FromTo<Urgency>;
    category: FromTo<Category>;
  }>;
  if (d.priority) parts.push([`priority ${d.priority.from ?? '—'} → `, bold(d.priority.to)]);
  if (d.impact) parts.push([`affects ${IMPACT_LABELS[d.impact.to].toLowerCase()}`]);
  if (d.urgency) parts.push([URGENCY_LABELS[d.urgency.to].toLowerCase()]);
  if (d.category) parts.push([`category ${CATEGORY_LABELS[d.category.to]}`]);
  return parts.length ? joinRich(parts, ' · ') : ['no changes'];
}

/** What the reporter's details changed, in words. */
function detailsLine(data: Record<string, unknown>): Rich {
  const parts: Rich[] = [];
  const summary = data.summary as FromTo<string> | undefined;
  if (summary) parts.push(['now ', typed(summary.to, 150)]);
  if (data.description === true) parts.push(['more details']);
  if (typeof data.locationName === 'string') parts.push(['at ', typed(data.locationName, 100)]);
  if (typeof data.assetTag === 'string') parts.push(['device ', typed(data.assetTag, 100)]);
  const change = changeLine(data);
  if (data.priority || data.impact || data.urgency) parts.push(change);
  return parts.length ? joinRich(parts, ' · ') : ['no changes'];
}

/** A provider named in an event's data. */
function providerOf(data: Record<string, unknown>): Rich {
  const p = data.provider as { name?: unknown } | undefined;
  return typeof p?.name === 'string' && p.name ? [bold(typed(p.name, 100))] : ['the provider'];
}

/** The reference an event recorded: a string, or from → to when it changed. */
function referenceOf(data: Record<string, unknown>): Rich {
  const r = data.reference as string | { to?: unknown } | undefined;
  const ref = typeof r === 'string' ? r : typeof r?.to === 'string' ? r.to : '';
  return ref ? [' (ref ', typed(ref, 100), ')'] : [];
}

/** A link someone added (a photo), web links only. */
function linkOf(data: Record<string, unknown>): Rich {
  const link = typeof data.link === 'string' && /^https?:\/\//.test(data.link) ? data.link : '';
  return link ? [' · ', { link, label: ['link'] }] : [];
}

/**
 * One history event as a line. `withTime` adds when it happened (a history lists it; the thread
 * shows each post's own time). Pass only events the reader may see (`eventForViewer`).
 */
export function eventLine(e: IncidentEventDetail, withTime = false): Rich {
  const who = person(e.actorName, e.actorSlackId);
  const when: Rich = withTime ? [' · ', date(e.createdAt)] : [];
  const note: Rich = typeof e.data.note === 'string' && e.data.note ? [' — ', typed(e.data.note, 1000)] : [];
  const due = (key: string, words: string): Rich =>
    typeof e.data[key] === 'string' ? [` · ${words} `, date(new Date(e.data[key] as string))] : [];
  switch (e.kind) {
    case 'reported':
      // A ticket by reaction: made by whoever reacted; the message's author is the reporter.
      return e.data.fromMessage
        ? [emoji(':ticket:'), ' Made from a chat message by ', who, ...when]
        : [emoji(':memo:'), ' Reported by ', who, ...when];
    case 'details_added':
      return [
        emoji(':pencil2:'),
        ' ',
        who,
        ' (who reported it) added details: ',
        ...detailsLine(e.data),
        ...when,
      ];
    case 'triaged':
      return [emoji(':label:'), ' Triaged by ', who, ': ', ...changeLine(e.data), ...when];
    case 'claimed':
      return [emoji(':raising_hand:'), ' Claimed by ', who, ...when];
    case 'assigned': {
      const to =
        typeof e.data.assigneeSlackId === 'string' || typeof e.data.assigneeName === 'string'
          ? person(e.data.assigneeName as string | null, e.data.assigneeSlackId as string | null)
          : null;
      return to
        ? [emoji(':arrow_right:'), ' Forwarded to ', to, ' by ', who, ...when]
        : [emoji(':arrow_right:'), ' Reassigned by ', who, ' (the card shows to whom)', ...when];
    }
    case 'forwarded':
      return [
        emoji(':arrow_right:'),
        ' Forwarded to ',
        ...providerOf(e.data),
        ' (first-line support) by ',
        who,
        ...when,
      ];
    case 'escalated':
      return [
        emoji(':telephone_receiver:'),
        ' Escalated to ',
        ...providerOf(e.data),
        ...referenceOf(e.data),
        ' by ',
        who,
        ...note,
        ...due('respondBy', 'answer due'),
        ...when,
      ];
    case 'provider_update': {
      const to = (e.data.reference as { to?: unknown } | undefined)?.to;
      const changed: Rich = typeof to === 'string' ? ['; their ref is now ', typed(to, 100)] : [];
      return [
        emoji(':incoming_envelope:'),
        ' Update from ',
        ...providerOf(e.data),
        ', recorded by ',
        who,
        ...note,
        ...changed,
        ...when,
      ];
    }
    case 'handed_back':
      return [
        emoji(':leftwards_arrow_with_hook:'),
        ' ',
        ...providerOf(e.data),
        ' handed it back (recorded by ',
        who,
        ')',
        ...note,
        ...when,
      ];
    case 'chased':
      return [
        emoji(':mega:'),
        ' ',
        who,
        ' chased ',
        ...providerOf(e.data),
        ...(typeof e.data.chase === 'number' ? [` (chase ${e.data.chase})`] : []),
        ...due('respondBy', 'next answer due'),
        ...when,
      ];
    case 'on_hold':
      return [emoji(':hourglass:'), ' Put on hold by ', who, ...note, ...when];
    case 'resumed': {
      const paused = typeof e.data.pausedMinutes === 'number' ? e.data.pausedMinutes : 0;
      const day = typeof e.data.dayMinutes === 'number' ? e.data.dayMinutes : undefined;
      return [
        emoji(':arrow_forward:'),
        ' Taken off hold by ',
        who,
        ` (SLA clock paused for ${formatSchoolMinutes(paused, day)} of school time)`,
        ...when,
      ];
    }
    case 'comment':
      return e.data.byReporter
        ? [
            emoji(':speech_balloon:'),
            ' ',
            who,
            ' (who reported it) added',
            ...note,
            ...linkOf(e.data),
            ...when,
          ]
        : [emoji(':spiral_note_pad:'), ' Staff note from ', who, ...note, ...linkOf(e.data), ...when];
    case 'reply':
      return [emoji(':envelope:'), ' ', who, ' wrote to the reporter', ...note, ...linkOf(e.data), ...when];
    case 'reopened':
      return [
        emoji(':leftwards_arrow_with_hook:'),
        ' Reopened by ',
        who,
        ': it is still broken',
        ...note,
        ...when,
      ];
    case 'confirmed':
      return [emoji(':white_check_mark:'), ' ', who, ' confirmed it is fixed', ...note, ...when];
    // The reporter's answer to the satisfaction question: that they answered, never what (the
    // thread and the history are read by technicians; the office reads answers in the report).
    case 'satisfaction':
      return [
        emoji(':ballot_box_with_ballot:'),
        ' ',
        who,
        ' answered the satisfaction question (the office sees the answers in the service report)',
        ...when,
      ];
    case 'satisfaction_comment':
      return [
        emoji(':ballot_box_with_ballot:'),
        ' ',
        who,
        ' added a comment for the office to their satisfaction answer',
        ...when,
      ];
    case 'resolved':
      return [
        emoji(':white_check_mark:'),
        ' Resolved by ',
        who,
        ': ',
        typed(String(e.data.resolution ?? ''), 1500),
        ...when,
      ];
    case 'closed':
      // The auto-close pass acts for nobody: the reporter did not answer for 5 school days.
      return e.data.auto === true
        ? [emoji(':lock:'), ' Closed automatically: no reply from the reporter for 5 school days', ...when]
        : [emoji(':lock:'), ' Closed by ', who, ...note, ...when];
    case 'followed':
      return [emoji(':raising_hand:'), ' ', who, ' says it affects them too (Me too)', ...when];
    case 'merged':
      return [
        emoji(':link:'),
        ' Merged into ',
        bold(typeof e.data.into === 'string' ? e.data.into : 'another incident'),
        ' by ',
        who,
        ': a duplicate, closed',
        ...when,
      ];
    case 'merged_in': {
      const added = typeof e.data.followersAdded === 'number' ? e.data.followersAdded : 0;
      return [
        emoji(':link:'),
        ' ',
        bold(typeof e.data.from === 'string' ? e.data.from : 'A duplicate'),
        ' merged into this by ',
        who,
        added === 1
          ? ' (1 more person follows it now)'
          : added > 1
            ? ` (${added} more people follow it now)`
            : '',
        ...when,
      ];
    }
    default:
      return [
        `${e.kind} by `,
        who,
        ...(e.toStatus ? [` (now ${STATUS_LABELS[e.toStatus].toLowerCase()})`] : []),
        ...note,
        ...when,
      ];
  }
}
