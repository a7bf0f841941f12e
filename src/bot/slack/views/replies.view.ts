import type { KnownBlock, ModalView } from '@slack/types';
import type { IncidentLive } from '../../../db/queries/escalations';
import type { IncidentDetail, IncidentEventDetail } from '../../../db/queries/incidents';
import type { ListIncidentsOutput } from '../../../domain/incidents/list-incidents';
import { formatReference } from '../../../domain/incidents/reference';
import { STATUS_LABELS } from '../../../domain/incidents/state-machine';
import { can, ROLE_LABELS, type Role } from '../../../domain/roles';
import { mention } from '../ids';
import { esc, escClip, md, plain, sectionsOf, slackDate } from './format';
import { incidentCardView, incidentLine, type SlackMessage } from './incident-card.view';
import { incidentEventText } from './incident-event.view';

const text = (t: string): SlackMessage => ({ text: t, blocks: [{ type: 'section', text: md(t) }] });

/** A short answer to one person (ephemeral reply, error, confirmation). */
export function noticeView(message: string): SlackMessage {
  return text(message);
}

/**
 * The one answer to a button, overflow option or page link SPOC cannot act on (a message from an
 * older version, a value it never sent, a crafted request): a sentence, never silence.
 */
export const STALE_ACTION_TEXT =
  'That button no longer does anything — run `/spoc help` to see what SPOC can do.';

export function staleActionView(): SlackMessage {
  return text(STALE_ACTION_TEXT);
}

export function apologyText(ref: string): string {
  return `Sorry — something went wrong (ref ${ref}). Please try again; if it keeps happening, tell your ICT lead the ref.`;
}

/** The answer to a command or button while the database does not answer (stalled, restarting). */
export const DATABASE_UNAVAILABLE_TEXT =
  'SPOC could not reach its database just now — please try again in a minute.';

/** Beside a form's first field when it could not be saved for want of the database: it stays open. */
export const SUBMIT_AGAIN_TEXT = 'Could not save just now — press Submit again';

/** Shown in place of a modal when a submission fails unexpectedly. */
export function apologyModalView(ref: string): ModalView {
  return {
    type: 'modal',
    title: plain('Something went wrong'),
    close: plain('Close'),
    blocks: [{ type: 'section', text: md(apologyText(ref)) }],
  };
}

const FILTER_TITLES: Record<string, string> = {
  open: 'Open incidents',
  mine: 'Incidents assigned to you',
  reported: 'Incidents you reported',
  all: 'All incidents',
};

export function incidentListView(out: ListIncidentsOutput): SlackMessage {
  const title = out.ownOnly
    ? out.filter === 'open'
      ? 'Your open reports'
      : 'Your reports'
    : (FILTER_TITLES[out.filter] ?? `Open ${out.filter} incidents`);
  if (out.incidents.length === 0) return text(`*${title}*\nNothing here. :sparkles:`);
  const blocks: KnownBlock[] = [{ type: 'section', text: md(`*${title}* (${out.incidents.length})`) }];
  const lines = out.incidents.map(
    (i) =>
      `${incidentLine(i)} · ${STATUS_LABELS[i.status]}${i.locationName ? ` · ${esc(i.locationName)}` : ''}` +
      (i.assigneeId ? ` · ${mention(i.assigneeSlackId, i.assigneeName)}` : ''),
  );
  blocks.push(...sectionsOf(lines));
  blocks.push({ type: 'context', elements: [md('`/spoc incident INC-7` shows one with its history.')] });
  return { text: title, blocks: blocks.slice(0, 50) };
}

/** The incident's escalations, one line each: provider, their ref, when, answered, chased, handed back. */
function escalationLines(escalations: IncidentLive['escalations'], timezone: string): string[] {
  return escalations.map((e) => {
    const parts = [
      `• *${escClip(e.providerName, 100)}*${e.providerRef ? ` (ref ${escClip(e.providerRef, 100)})` : ''} — escalated ${slackDate(e.escalatedAt, timezone)}${e.escalatedByName ? ` by ${esc(e.escalatedByName)}` : ''}`,
    ];
    if (e.respondedAt) parts.push(`answered ${slackDate(e.respondedAt, timezone)}`);
    else if (e.respondBy) parts.push(`answer due ${slackDate(e.respondBy, timezone)}`);
    if (e.chaseCount) parts.push(`chased ${e.chaseCount === 1 ? 'once' : `${e.chaseCount} times`}`);
    parts.push(e.returnedAt ? `handed back ${slackDate(e.returnedAt, timezone)}` : '*still with them*');
    return parts.join(' · ');
  });
}

/**
 * `/spoc incident INC-7`: the card (with support level, provider and reference, and where it stands
 * against its SLA when `live` is given), its escalations, then its history.
 */
export function incidentDetailView(
  i: IncidentDetail,
  events: IncidentEventDetail[],
  timezone: string,
  live?: IncidentLive,
): SlackMessage {
  const card = incidentCardView(i, timezone, live);
  // The list's copy of the card has no buttons: it is a private reply, not the channel card.
  const blocks = card.blocks.filter((b) => b.type !== 'actions');
  if (live?.escalations.length) {
    blocks.push(...sectionsOf(['*Escalations*', ...escalationLines(live.escalations, timezone)]));
  }
  // Newest history matters most: keep the latest events that fit beside the card (50 blocks).
  const history = sectionsOf(['*History*', ...events.map((e) => `• ${incidentEventText(e, timezone)}`)]);
  blocks.push({ type: 'divider' }, ...history.slice(-(50 - blocks.length - 1)));
  return { text: `${formatReference(i.number)} — ${escClip(i.summary, 150)}`, blocks };
}

/** What the caller may do, by role. */
export function helpView(role: Role): SlackMessage {
  const lines = [
    `Your role here: *${ROLE_LABELS[role]}*.`,
    '',
    '`/fault [what is wrong]` — report an ICT fault (or use *Report ICT fault* on any message)',
    '`/spoc incidents [open|mine|reported|all]` — ' +
      (can(role, 'incident.viewAll') ? 'the incident queue' : 'your reports'),
    '`/spoc incident INC-7` — one incident and its history',
  ];
  if (can(role, 'incident.viewAll')) lines.push('`/spoc incidents P1…P4` — open incidents of one priority');
  if (can(role, 'incident.claim'))
    lines.push(
      'Press *Claim* on a card in the SPOC channel to take an incident; *Resolve* when fixed; the ⋯ menu adds a note or puts it on hold (the SLA clock pauses).',
    );
  if (can(role, 'incident.triage'))
    lines.push(
      'Press *Triage* to set priority and category, *Forward* to give it to a technician or first-line provider, *Escalate* to pass it to a second-line provider with their reference; *Close* to close.',
    );
  if (!can(role, 'incident.viewAll'))
    lines.push(
      'When your fault is fixed, press *Fixed* or *Still broken* in my message; you can add a comment or photo link to an open fault from there or from my App Home.',
    );
  if (can(role, 'work.view'))
    lines.push(
      '`/spoc changes [open|all|changes|problems]` — changes and problems, with progress; `/spoc change CHG-3` or `/spoc problem PRB-2` shows one',
    );
  if (can(role, 'report.view'))
    lines.push(
      '`/spoc report week|last-week|term|last-term|YYYY-MM-DD..YYYY-MM-DD [csv]` — the service report (CSV in your DMs)',
    );
  if (can(role, 'incident.viewAll'))
    lines.push(
      can(role, 'school.settings')
        ? '`/spoc settings` — school day, SLA targets and reminder lead times (Edit, or `/spoc settings sla P1 30m 4h`, `/spoc settings hours 08:30 15:30`)'
        : '`/spoc settings` — school day, SLA targets and reminder lead times',
    );
  if (can(role, 'school.roles')) {
    lines.push(
      '`/spoc role @person teacher|technician|office|admin` — give someone a role',
      '`/spoc setup` — make this channel the SPOC channel',
    );
  } else {
    lines.push(
      '`/spoc setup` — first-time setup: makes this channel the SPOC channel (the first person becomes admin)',
    );
  }
  if (can(role, 'register.view')) {
    lines.push(
      '`/spoc locations` — the locations list',
      '`/spoc assets [location|type|text]` — the asset register; `/spoc asset TAG` shows one',
      '`/spoc licences` — the licence list, with compliance',
      '`/spoc providers` — support providers and suppliers',
      '`/spoc contracts` — contracts, soonest ending first, with notice deadlines',
      '`/spoc diary [YYYY-MM]` — this month’s diary (or that month’s)',
      '`/spoc export locations|assets|licences|incidents` — a CSV file in your DMs',
    );
  }
  if (can(role, 'register.manage'))
    lines.push(
      '`/spoc import locations|assets|licences` — upload a CSV, preview, then import',
      '`/spoc payments [all]` — scheduled payments, soonest due first; Mark paid or Cancel',
    );
  lines.push('`/spoc help` — this list');
  return text(lines.join('\n'));
}

export function usageView(problem: string, role: Role): SlackMessage {
  const help = helpView(role);
  return {
    text: problem,
    blocks: [{ type: 'section', text: md(`:thinking_face: ${problem}`) }, ...help.blocks],
  };
}
