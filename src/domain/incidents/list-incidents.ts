import { type IncidentLive, loadIncidentLive } from '../../db/queries/escalations';
import {
  getIncidentDetail,
  getIncidentDetailByNumber,
  type IncidentDetail,
  type IncidentEventDetail,
  listIncidentDetails,
  listIncidentEvents,
} from '../../db/queries/incidents';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { fail, ok, type Result } from '../result';
import { can } from '../roles';
import { NOT_FOUND_MESSAGE } from './change-incident';
import type { Priority } from './priority';
import { parseReference } from './reference';
import { OPEN_STATUSES } from './state-machine';
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

export interface ListIncidentsOutput {
  filter: IncidentListFilter;
  incidents: IncidentDetail[];
  /** True when only the caller's own reports were searched. */
  ownOnly: boolean;
}

export async function listIncidents(
  ctx: Ctx,
  input: ListIncidentsInput,
): Promise<Result<ListIncidentsOutput>> {
  const { actor, db } = ctx;
  const filter = input.filter ?? 'open';
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100);
  const staff = can(actor.role, 'incident.viewAll');
  const isPriority = filter.startsWith('P');
  const incidents = await listIncidentDetails(db, actor.schoolId, {
    limit,
    // A teacher's "mine" is everything they reported; every other list is of open incidents.
    statuses:
      filter === 'all' || filter === 'reported' || (filter === 'mine' && !staff) ? undefined : OPEN_STATUSES,
    priority: isPriority ? (filter as Priority) : undefined,
    reporterId: staff && filter !== 'reported' ? undefined : actor.personId,
    assigneeId: staff && filter === 'mine' ? actor.personId : undefined,
  });
  return ok({ filter, incidents, ownOnly: !staff });
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
