/**
 * The incident lists (`spoc incidents …`) and one incident with its history (`spoc incident
 * INC-7`), worded once for every platform.
 */
import type { IncidentLive } from '../../db/queries/escalations';
import type { IncidentDetail, IncidentEventDetail } from '../../db/queries/incidents';
import type { ListIncidentsOutput } from '../incidents/list-incidents';
import { formatReference } from '../incidents/reference';
import { isOpen, STATUS_LABELS } from '../incidents/state-machine';
import type { PublicIncidentStatus } from '../incidents/visibility';
import { incidentLine, presentIncidentCard } from './incident-card';
import { eventLine } from './incident-event';
import { bold, date, emoji, type Presentation, person, type Rich, type Section, typed } from './presentation';
import { pageOf, pagerActions } from './registers/paging';

/** Incidents a page. */
export const INCIDENTS_PAGE = 20;
/** The newest history events shown with an incident (a card holds only so much). */
export const HISTORY_SHOWN = 60;

const FILTER_TITLES: Record<string, string> = {
  open: 'Open incidents',
  mine: 'Incidents assigned to you',
  reported: 'Incidents you reported',
  all: 'All incidents',
};

export function incidentListTitle(out: Pick<ListIncidentsOutput, 'filter' | 'ownOnly'>): string {
  return out.ownOnly
    ? out.filter === 'open'
      ? 'Your open reports'
      : 'Your reports'
    : (FILTER_TITLES[out.filter] ?? `Open ${out.filter} incidents`);
}

/** One incident as a row of a list: its line, status, place and who has it. */
function listLine(i: IncidentDetail): Rich {
  return [
    ...incidentLine(i),
    ` · ${STATUS_LABELS[i.status]}`,
    ...(i.locationName ? [' · ', i.locationName] : []),
    ...(i.assigneeId ? [' · ', person(i.assigneeName, i.assigneeSlackId)] : []),
  ];
}

/** A page of an incident list, with Previous / Next when it has more than one. */
export function presentIncidentList(out: ListIncidentsOutput, page: number): Presentation {
  const title = incidentListTitle(out);
  if (out.incidents.length === 0) {
    const text: Rich = [bold(title), '\nNothing here. ', emoji(':sparkles:')];
    return { text, sections: [{ kind: 'text', text }], actions: [] };
  }
  const p = pageOf(out.incidents, page, INCIDENTS_PAGE);
  const count = `(${out.incidents.length})${p.pages > 1 ? ` — page ${p.page} of ${p.pages}` : ''}`;
  return {
    text: [title],
    sections: [
      { kind: 'text', text: [bold(title), ` ${count}`] },
      { kind: 'lines', lines: p.shown.map(listLine) },
      {
        kind: 'context',
        text: [{ command: 'spoc incident INC-7' }, ' shows one with its history.'],
      },
    ],
    actions: pagerActions(
      { previous: 'incidents.previous', next: 'incidents.next' },
      'incidents',
      p.page,
      p.pages,
      out.filter,
    ),
  };
}

/** The incident's escalations, one line each: provider, their ref, when, answered, chased, handed back. */
function escalationLines(escalations: IncidentLive['escalations']): Rich[] {
  return escalations.map((e) => {
    const parts: Rich[] = [
      [
        '• ',
        bold(typed(e.providerName, 100)),
        ...(e.providerRef ? [' (ref ', typed(e.providerRef, 100), ')'] : []),
        ' — escalated ',
        date(e.escalatedAt),
        ...(e.escalatedByName ? [' by ', e.escalatedByName] : []),
      ],
    ];
    if (e.respondedAt) parts.push(['answered ', date(e.respondedAt)]);
    else if (e.respondBy) parts.push(['answer due ', date(e.respondBy)]);
    if (e.chaseCount) parts.push([`chased ${e.chaseCount === 1 ? 'once' : `${e.chaseCount} times`}`]);
    parts.push(e.returnedAt ? ['handed back ', date(e.returnedAt)] : [bold('still with them')]);
    return parts.flatMap((part, n) => (n ? [' · ', ...part] : part));
  });
}

/**
 * One incident as its reader may see it: the card (with where it stands against its SLA when
 * `live` is given, and no buttons: it is an answer to one person, not the channel's card), its
 * escalations, then its newest history.
 */
export function presentIncidentDetail(
  i: IncidentDetail,
  events: readonly IncidentEventDetail[],
  live?: IncidentLive,
): Presentation {
  const card = presentIncidentCard(i, live);
  const sections: Section[] = [...card.sections];
  if (live?.escalations.length) {
    sections.push({ kind: 'lines', lines: [[bold('Escalations')], ...escalationLines(live.escalations)] });
  }
  sections.push({
    kind: 'lines',
    lines: [
      [bold('History')],
      ...events.slice(-HISTORY_SHOWN).map((e): Rich => ['• ', ...eventLine(e, true)]),
    ],
  });
  return {
    text: [formatReference(i.number), ' — ', typed(i.summary, 150)],
    sections,
    actions: [],
  };
}

/** "INC-7 is In progress with Sam Tech.": where a fault stands and who has it, for anyone in the school. */
export function publicStatusLine(s: PublicIncidentStatus): Rich {
  const is: Rich = [bold(formatReference(s.number)), ` is ${STATUS_LABELS[s.status]}`];
  if (!isOpen(s.status)) return [...is, '.'];
  if (s.assignee) return [...is, ' with ', person(s.assignee.name, s.assignee.slackUserId), '.'];
  if (s.providerName) return [...is, ' with ', typed(s.providerName, 100), '.'];
  return [...is, ': nobody has picked it up yet.'];
}

/**
 * The answer to a teacher who asks for a fault of their school that someone else reported: that
 * it is not theirs, and only its public status line (nothing of what is wrong or who reported it).
 */
export function presentNotYourIncident(s: PublicIncidentStatus): Presentation {
  const text: Rich = ['That is not one of your reports. ', ...publicStatusLine(s)];
  return {
    text,
    sections: [
      { kind: 'text', text },
      { kind: 'context', text: [{ command: 'spoc incidents reported' }, ' lists the faults you reported.'] },
    ],
    actions: [],
  };
}
