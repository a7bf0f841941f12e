/**
 * The incident lists (`spoc incidents …`) and one incident with its history (`spoc incident
 * INC-7`), worded once for every platform.
 */
import type { IncidentLive } from '../../db/queries/escalations';
import type { IncidentDetail, IncidentEventDetail } from '../../db/queries/incidents';
import { CLOSED_WITHIN_DAYS, type IncidentListOutput, incidentQueryWords } from '../incidents/list-incidents';
import { formatReference } from '../incidents/reference';
import { formatSchoolMinutes } from '../incidents/sla';
import { type SlaClock, type SlaState, slaStateOf } from '../incidents/sla-state';
import { isOpen, STATUS_LABELS } from '../incidents/state-machine';
import type { PublicIncidentStatus } from '../incidents/visibility';
import { can, type Role } from '../roles';
import { schoolDayMinutes, schoolToday } from '../school-time';
import { dayDate } from './format';
import { presentUsage } from './help';
import { incidentLine, presentIncidentCard } from './incident-card';
import { eventLine } from './incident-event';
import {
  bold,
  date,
  emoji,
  joinRich,
  type Presentation,
  person,
  type Rich,
  type Section,
  typed,
} from './presentation';
import { pageOf, pagerActions } from './registers/paging';

/** Incidents a page. */
export const INCIDENTS_PAGE = 20;
/** The newest history events shown with an incident (a card holds only so much). */
export const HISTORY_SHOWN = 60;

const and = (words: string[]): string =>
  words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

/**
 * A list's title, from what was asked: "Open incidents", "Open P1 incidents assigned to you",
 * "Incidents you reported", "Your open reports at Library", "Incidents closed or resolved in the
 * last 30 days"…
 */
export function incidentListTitle(out: Pick<IncidentListOutput, 'query' | 'status' | 'ownOnly'>): Rich {
  const q = out.query;
  const open = out.status === 'open';
  const lead: string[] = [];
  if (open) lead.push(out.ownOnly ? 'open' : 'Open');
  else if (out.status === 'all' && q.status === 'all' && !out.ownOnly) lead.push('All');
  if (q.unassigned) lead.push('unassigned');
  if (q.priorities?.length) lead.push(and(q.priorities));
  const noun = out.ownOnly ? ['Your', ...lead, 'reports'] : [...lead, 'incidents'];
  const head = noun.join(' ');
  const title: Rich = [head.charAt(0).toUpperCase() + head.slice(1)];
  if (q.mine && !out.ownOnly) title.push(' assigned to you');
  if (q.reported && !out.ownOnly) title.push(' you reported');
  // By name, not a mention: the title is bold, and Teams shows a person in bold already.
  if (q.reporter && !out.ownOnly) title.push(' reported by ', typed(q.reporter.name, 100));
  if (q.location) title.push(' at ', typed(q.location.name, 100));
  if (q.asset) title.push(' on ', typed(q.asset.name, 64));
  if (q.breached) title.push(' that have missed an SLA target');
  if (out.status === 'closed') title.push(` closed or resolved in the last ${CLOSED_WITHIN_DAYS} days`);
  return title;
}

/** The school's date of a moment, as people read it: "Mon 14 Dec 2026". */
const dayOf = (at: Date, clock: SlaClock): string => dayDate(schoolToday(at, clock.calendar.timezone));

/**
 * Where an incident stands against its SLA, in words (never colour alone) and in school time, as
 * its card says it: "response target missed", "2h 10m of school time left to resolve", "on hold,
 * SLA clock paused", "resolved Mon 14 Dec 2026, within the 4h target", "closed Mon 14 Dec 2026".
 */
export function slaStateWords(state: SlaState, clock: SlaClock): Rich {
  const time = (m: number) => formatSchoolMinutes(m, schoolDayMinutes(clock.calendar));
  if (state.kind === 'closed') return state.at ? [`closed ${dayOf(state.at, clock)}`] : ['closed'];
  if (state.kind === 'resolved') {
    return [
      emoji(state.met ? ':white_check_mark:' : ':x:'),
      ` resolved ${dayOf(state.at, clock)}, ${state.met ? 'within' : 'after'} the ${time(state.targetMinutes)} target`,
    ];
  }
  const parts: Rich[] = [];
  if (state.missed.length) {
    parts.push([
      emoji(':rotating_light:'),
      state.missed.length > 1
        ? ' response and resolution targets missed'
        : ` ${state.missed[0]} target missed`,
    ]);
  }
  const run = state.running;
  if (run && state.paused) {
    parts.push([
      emoji(':double_vertical_bar:'),
      ` on hold, SLA clock paused — ${time(run.leftMinutes)} of school time left to resolve`,
    ]);
  } else if (run) {
    const to = run.measure === 'response' ? 'respond' : 'resolve';
    parts.push([emoji(':stopwatch:'), ` ${time(run.leftMinutes)} of school time left to ${to}`]);
  } else if (state.paused) {
    parts.push([emoji(':double_vertical_bar:'), ' on hold, SLA clock paused']);
  }
  return joinRich(parts, ' · ');
}

/** One incident as a row of a list: its line, status, where it stands against its SLA, place, who has it. */
function listLine(i: IncidentDetail, clock: SlaClock): Rich {
  return [
    ...incidentLine(i),
    ` · ${STATUS_LABELS[i.status]} · `,
    ...slaStateWords(slaStateOf(i, clock), clock),
    ...(i.locationName ? [' · ', typed(i.locationName, 100)] : []),
    ...(i.assigneeId ? [' · ', person(i.assigneeName, i.assigneeSlackId)] : []),
  ];
}

/**
 * A page of an incident list, with Previous / Next when it has more than one; the buttons carry
 * the list asked for (`incidentQueryWords`), so the next page is of the same list.
 */
export function presentIncidentList(out: IncidentListOutput, page: number): Presentation {
  const title = incidentListTitle(out);
  if (out.incidents.length === 0) {
    const text: Rich = [bold(...title), '\nNothing here. ', emoji(':sparkles:')];
    return { text, sections: [{ kind: 'text', text }], actions: [] };
  }
  const p = pageOf(out.incidents, page, INCIDENTS_PAGE);
  const total = `${out.incidents.length}${out.more ? '+' : ''}`;
  const count = `(${total})${p.pages > 1 ? ` — page ${p.page} of ${p.pages}` : ''}`;
  return {
    text: title,
    sections: [
      { kind: 'text', text: [bold(...title), ` ${count}`] },
      { kind: 'lines', lines: p.shown.map((i) => listLine(i, out.clock)) },
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
      incidentQueryWords(out.query),
    ),
  };
}

/** The lists and filters of `spoc incidents`, for the role: what to say when the words were not understood. */
export function incidentFiltersLine(role: Role): Rich {
  const staff = can(role, 'incident.viewAll');
  return [
    'Lists: ',
    staff ? 'open, mine, reported, all' : 'open, mine, reported',
    ', unassigned, breached (past an SLA target), closed (the last 30 days), P1…P4, location <name>, asset <tag>',
    staff ? ', reporter @person' : '',
    '. They combine: ',
    { command: staff ? 'spoc incidents mine P1' : 'spoc incidents closed location Library' },
    '.',
  ];
}

/** Words `spoc incidents` could not follow (`problem`), the lists there are, then the help. */
export function presentIncidentsUsage(problem: Rich, role: Role): Presentation {
  return presentUsage([...problem, ' ', ...incidentFiltersLine(role)], role);
}

/** What a name in a list's filter names. */
export type NamedThing = 'location' | 'asset' | 'person';
const THING_WORDS: Record<NamedThing, { a: string; none: string; command: string }> = {
  location: { a: 'a location called', none: 'Your school has no locations yet.', command: 'location' },
  asset: { a: 'an asset tagged', none: 'Your school has no assets in its register yet.', command: 'asset' },
  person: { a: 'anyone called', none: 'SPOC knows nobody in your school yet.', command: 'reporter' },
};

/**
 * A list asked for by a name the school does not have (`spoc incidents location Libary`): said
 * plainly, with the nearest names it does have, rather than an empty list.
 */
export function presentUnknownName(what: NamedThing, said: string, nearest: readonly string[]): Presentation {
  const words = THING_WORDS[what];
  const text: Rich = [`I don't know ${words.a} `, bold(typed(said, 100)), ' in your school.'];
  const near: Rich = nearest.length
    ? [
        'The nearest: ',
        ...joinRich(
          nearest.map((n) => [typed(n, 100)]),
          ', ',
        ),
        '. For example: ',
        { command: `spoc incidents ${words.command} ${nearest[0]}` },
      ]
    : [words.none];
  return {
    text,
    sections: [
      { kind: 'text', text: [emoji(':thinking_face:'), ' ', ...text] },
      { kind: 'text', text: near },
    ],
    actions: [],
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
