import { type IncidentLive, loadIncidentLive } from '../../db/queries/escalations';
import {
  assetTagsOf,
  getIncidentDetail,
  getIncidentDetailByNumber,
  type IncidentDetail,
  type IncidentEventDetail,
  listIncidentEvents,
  locationNamesOf,
  personNamesOf,
  queryIncidentDetails,
} from '../../db/queries/incidents';
import { loadSchoolClock } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { fail, ok, type Result } from '../result';
import { can } from '../roles';
import { NOT_FOUND_MESSAGE } from './change-incident';
import type { Priority } from './priority';
import { parseReference } from './reference';
import { isBreached, type SlaClock, slaStateOf } from './sla-state';
import { OPEN_STATUSES, type Status } from './state-machine';
import {
  historyForViewer,
  incidentForViewer,
  liaisonForViewer,
  type PublicIncidentStatus,
  publicStatusOf,
  type Viewer,
  viewerOf,
} from './visibility';

export type IncidentListFilter = 'open' | 'mine' | 'reported' | 'all' | Priority;

/** Which statuses a list holds: open ones, any, or those resolved or closed in the last 30 days. */
export type IncidentListStatus = 'open' | 'all' | 'closed';

/** How far back `closed` looks, in days. */
export const CLOSED_WITHIN_DAYS = 30;

/** A name a list was filtered by, as the school records it. */
export interface ListedName {
  id: string;
  name: string;
}

/**
 * A list of incidents as asked for (`spoc incidents mine P1 location Library`), every name in it
 * already found in the caller's school. Each part narrows the list; all of them together are the
 * list. Whatever is asked, a teacher sees only their own reports.
 */
export interface IncidentQuery {
  /**
   * Open incidents, any, or those closed or resolved in the last 30 days. Unsaid: open, except
   * for the caller's own reports (`reported`, and a teacher's `mine`), which are of any status.
   */
  status?: IncidentListStatus;
  /** Assigned to me (staff); reported by me (teachers). */
  mine?: boolean;
  /** Reported by me. */
  reported?: boolean;
  /** Open, and nobody has it. */
  unassigned?: boolean;
  /** Open, and its response or resolution target has been missed (in school time). */
  breached?: boolean;
  /** Of any of these priorities. */
  priorities?: Priority[];
  location?: ListedName;
  asset?: ListedName;
  /** Reported by this person (the ids of everyone in the school with the name asked for). */
  reporter?: { ids: string[]; name: string; slackUserId: string | null };
}

export interface IncidentListOutput {
  /** The list asked for. */
  query: IncidentQuery;
  /** The statuses it holds, once the unsaid default is settled. */
  status: IncidentListStatus;
  /** At most the limit asked for, most urgent first (`closed`: most recently finished first). */
  incidents: IncidentDetail[];
  /** True when there were more than the limit. */
  more: boolean;
  /** True when only the caller's own reports were searched. */
  ownOnly: boolean;
  /** The school's clock, to say where each incident stands against its SLA. */
  clock: SlaClock;
}

/** The most open incidents read to find the breached ones among them. */
const BREACH_SCAN = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const FINISHED_STATUSES: readonly Status[] = ['resolved', 'closed'];

/**
 * The incidents a query names, in the caller's school, as the caller may see them: staff see every
 * incident; a teacher only their own reports, and asking for someone else's reports is refused.
 */
export async function findIncidents(
  ctx: Ctx,
  query: IncidentQuery,
  limit = 100,
): Promise<Result<IncidentListOutput>> {
  const { actor, db } = ctx;
  const max = Math.min(Math.max(limit, 1), 100);
  const staff = can(actor.role, 'incident.viewAll');
  if (!staff && query.reporter && !query.reporter.ids.includes(actor.personId)) {
    return fail('AUTH.FORBIDDEN', OWN_REPORTS_ONLY);
  }
  const own = query.reported || (query.mine && !staff);
  const status = query.status ?? (own && !query.unassigned && !query.breached ? 'all' : 'open');
  const now = ctx.clock.now();
  const [schoolClock, rows] = await Promise.all([
    loadSchoolClock(db, actor.schoolId),
    queryIncidentDetails(db, actor.schoolId, {
      limit: query.breached ? BREACH_SCAN : max + 1,
      statuses:
        query.unassigned || query.breached || status === 'open'
          ? OPEN_STATUSES
          : status === 'closed'
            ? FINISHED_STATUSES
            : undefined,
      finishedSince: status === 'closed' ? new Date(now.getTime() - CLOSED_WITHIN_DAYS * DAY_MS) : undefined,
      priorities: query.priorities,
      reporterIds: !staff || query.reported ? [actor.personId] : query.reporter?.ids,
      assigneeId: staff && query.mine ? actor.personId : undefined,
      unassigned: query.unassigned,
      locationId: query.location?.id,
      assetId: query.asset?.id,
    }),
  ]);
  if (!schoolClock) return fail('SCHOOL.NOT_SET_UP', 'Your school is not set up yet.');
  const clock: SlaClock = { now, calendar: schoolClock.calendar, sla: schoolClock.sla };
  const found = query.breached ? rows.filter((i) => isBreached(slaStateOf(i, clock))) : rows;
  return ok({
    query,
    status,
    incidents: found.slice(0, max),
    more: found.length > max,
    ownOnly: !staff,
    clock,
  });
}

/**
 * The words that ask for `query` again (`mine P1 location "Year 3"`), as a page button carries
 * them: each name in quotes (a Slack person as their mention), so that it reads back as one.
 */
export function incidentQueryWords(query: IncidentQuery): string {
  const quoted = (name: string) => (/["“”]/.test(name) ? name : `"${name}"`);
  const words: string[] = [];
  if (query.status) words.push(query.status);
  for (const flag of ['mine', 'reported', 'unassigned', 'breached'] as const)
    if (query[flag]) words.push(flag);
  words.push(...(query.priorities ?? []));
  if (query.location) words.push('location', quoted(query.location.name));
  if (query.asset) words.push('asset', quoted(query.asset.name));
  if (query.reporter) {
    const { slackUserId, name } = query.reporter;
    words.push('reporter', slackUserId ? `<@${slackUserId}>` : quoted(name));
  }
  return words.join(' ');
}

/** The names a list may be filtered by, of the caller's school only. */
export type FilterNames = 'location' | 'asset' | 'person';

/**
 * Every name of one kind in the caller's school, to find the one a list is asked for by: its
 * locations (archived ones too: older incidents name them), asset tags, or people.
 */
export async function filterNamesOf(
  ctx: Ctx,
  kind: FilterNames,
): Promise<Array<ListedName & { slackUserId?: string | null }>> {
  const { db, actor } = ctx;
  if (kind === 'location') return locationNamesOf(db, actor.schoolId);
  if (kind === 'asset') return assetTagsOf(db, actor.schoolId);
  return personNamesOf(db, actor.schoolId);
}

/** Said to a teacher who asks for someone else's reports. */
export const OWN_REPORTS_ONLY = 'You can list only the faults you reported.';

/** The query each of the old one-word lists stands for. */
export function queryOfFilter(filter: IncidentListFilter): IncidentQuery {
  if (filter === 'mine') return { mine: true };
  if (filter === 'reported') return { reported: true };
  if (filter === 'all') return { status: 'all' };
  if (filter === 'open') return { status: 'open' };
  return { status: 'open', priorities: [filter] };
}

export interface ListIncidentsInput {
  /**
   * `open` (default), `mine` (assigned to me for staff; reported by me for teachers), `reported`
   * (reported by me, any status), `all`, or a priority (open incidents of that priority).
   * Teachers only ever see their own reports.
   */
  filter?: IncidentListFilter;
  /** At most this many, most urgent first. */
  limit?: number;
}

export interface ListIncidentsOutput extends IncidentListOutput {
  filter: IncidentListFilter;
}

export async function listIncidents(
  ctx: Ctx,
  input: ListIncidentsInput,
): Promise<Result<ListIncidentsOutput>> {
  const filter = input.filter ?? 'open';
  const found = await findIncidents(ctx, queryOfFilter(filter), input.limit ?? 20);
  return found.ok ? ok({ ...found.value, filter }) : found;
}

export interface GetIncidentInput {
  /** `INC-7`, `7`, or the incident's id. */
  ref: string;
}

export interface GetIncidentOutput {
  incident: IncidentDetail;
  /** The history the caller may see: staff see it all, the reporter what is meant for them. */
  events: IncidentEventDetail[];
  /** Where it stands now (SLA, escalations), as the caller may see it. */
  live: IncidentLive | undefined;
  /** How the caller is looking at it. */
  viewer: Viewer;
}

/**
 * What a person may learn by asking for one incident: all of it that they may see (staff, or the
 * person who reported it: `GetIncidentOutput`), or, for a fault of their school that is not
 * theirs, only its public status (where it stands and who has it).
 */
export type IncidentLookup =
  | ({ seen: 'detail' } & GetIncidentOutput)
  | { seen: 'status'; status: PublicIncidentStatus };

/**
 * One incident as the caller may see it, by reference: staff see everything; a teacher sees
 * their own reports without staff notes and liaison detail (see `visibility.ts`), and of anyone
 * else's only its public status. An incident of another school, or none, is not found.
 */
export async function lookUpIncident(ctx: Ctx, input: GetIncidentInput): Promise<Result<IncidentLookup>> {
  const { actor, db } = ctx;
  const number = parseReference(input.ref);
  let incident: IncidentDetail | undefined;
  if (number !== null) incident = await getIncidentDetailByNumber(db, actor.schoolId, number);
  else if (isUuid(input.ref)) incident = await getIncidentDetail(db, actor.schoolId, input.ref);
  if (!incident) return fail('INCIDENT.NOT_FOUND', NOT_FOUND_MESSAGE);
  const viewer = viewerOf(actor, incident);
  if (!viewer) return ok({ seen: 'status', status: publicStatusOf(incident) });
  const [events, live] = await Promise.all([
    listIncidentEvents(db, actor.schoolId, incident.id),
    loadIncidentLive(db, actor.schoolId, incident.id, ctx.clock.now()),
  ]);
  return ok({
    seen: 'detail',
    incident: incidentForViewer(viewer, incident),
    events: historyForViewer(viewer, events),
    live: live && liaisonForViewer(viewer, live),
    viewer,
  });
}

/**
 * One incident with its history, as the caller may see it: staff see everything; a teacher sees
 * only their own reports, without staff notes and liaison detail (see `visibility.ts`). Anyone
 * else's report is not found here: this is what acting on an incident (a comment) reads.
 */
export async function getIncident(ctx: Ctx, input: GetIncidentInput): Promise<Result<GetIncidentOutput>> {
  const found = await lookUpIncident(ctx, input);
  if (!found.ok) return found;
  if (found.value.seen === 'status') return fail('INCIDENT.NOT_FOUND', NOT_FOUND_MESSAGE);
  const { incident, events, live, viewer } = found.value;
  return ok({ incident, events, live, viewer });
}
