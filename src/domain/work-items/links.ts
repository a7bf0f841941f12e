/**
 * Incidents linked to a change or problem: link and unlink by reference (INC-7, of the same school
 * only), and resolve a problem's open incidents together with one resolution — each through the
 * ordinary resolve path, so every card is refreshed and every reporter told; all or nothing.
 */
import type { Db } from '../../db/client';
import { lockIncident } from '../../db/queries/incidents';
import {
  findIncidents,
  insertWorkItemUpdate,
  linkIncident,
  listLinkedIncidents,
  lockWorkItem,
  unlinkIncident,
  updateWorkItem,
  type WorkItemRow,
} from '../../db/queries/work-items';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { formatReference, parseReference } from '../incidents/reference';
import { RESOLUTION_MAX, resolveIncident } from '../incidents/resolve-incident';
import { isOpen, STATUS_LABELS, type Status } from '../incidents/state-machine';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { notFound, WORK_NOT_FOUND } from './errors';
import { formatWorkItemReference } from './types';

export interface IncidentRefs {
  numbers: number[];
  ids: string[];
  /** Words that are not incident references, as typed. */
  bad: string[];
}

/** `INC-4, INC-7 9` (or incident ids) → numbers and ids; anything else is listed as bad. */
export function parseIncidentRefs(items: readonly string[]): IncidentRefs {
  const refs: IncidentRefs = { numbers: [], ids: [], bad: [] };
  for (const word of items.flatMap((i) => i.split(/[\s,;]+/)).filter(Boolean)) {
    const number = parseReference(word);
    if (number !== null) {
      if (!refs.numbers.includes(number)) refs.numbers.push(number);
    } else if (isUuid(word)) {
      const id = word.toLowerCase();
      if (!refs.ids.includes(id)) refs.ids.push(id);
    } else refs.bad.push(String(word).slice(0, 30));
  }
  return refs;
}

const isEmpty = (refs: IncidentRefs) => refs.numbers.length + refs.ids.length === 0;

/** The school's incidents named; any not found (or another school's) fails the whole change. */
async function incidentsNamed(tx: Db, schoolId: string, refs: IncidentRefs) {
  const found = await findIncidents(tx, schoolId, refs);
  const missing = [
    ...refs.numbers.filter((n) => !found.some((f) => f.number === n)).map(formatReference),
    ...(refs.ids.some((id) => !found.some((f) => f.id === id)) ? ['an incident'] : []),
  ];
  if (missing.length) {
    throw new DomainFailure({
      code: 'INCIDENT.NOT_FOUND',
      message: `${missing.join(', ')} not found in your school.`,
      fields: { incidents: `${missing.join(', ')} not found in your school.` },
    });
  }
  return found.sort((a, b) => a.number - b.number);
}

export interface LinkOutput {
  reference: string;
  /** Numbers newly linked (or unlinked). */
  changed: number[];
  /** Numbers that were already so. */
  unchanged: number[];
}

/** Links the named incidents inside the caller's transaction, one audited update per new link. */
export async function linkIncidentsIn(
  tx: Db,
  ctx: Ctx,
  item: WorkItemRow,
  refs: IncidentRefs,
  now: Date,
): Promise<LinkOutput> {
  const out: LinkOutput = {
    reference: formatWorkItemReference(item.kind, item.number),
    changed: [],
    unchanged: [],
  };
  if (isEmpty(refs)) return out;
  for (const incident of await incidentsNamed(tx, ctx.actor.schoolId, refs)) {
    const linked = await linkIncident(tx, {
      schoolId: ctx.actor.schoolId,
      workItemId: item.id,
      incidentId: incident.id,
      linkedBy: ctx.actor.personId,
      linkedAt: now,
    });
    if (!linked) {
      out.unchanged.push(incident.number);
      continue;
    }
    out.changed.push(incident.number);
    await insertWorkItemUpdate(tx, {
      schoolId: ctx.actor.schoolId,
      workItemId: item.id,
      actorId: ctx.actor.personId,
      kind: 'linked',
      data: { incident: { from: null, to: formatReference(incident.number) }, incidentId: incident.id },
      createdAt: now,
    });
  }
  return out;
}

export interface LinkInput {
  workItemId: string;
  /** `INC-7` references (or ids) of the same school. */
  incidents: string[];
}

function checkRefs(input: LinkInput): Result<IncidentRefs> {
  const refs = parseIncidentRefs(input.incidents);
  if (refs.bad.length) {
    return fail('VALIDATION', 'Please check the incidents.', {
      incidents: `${refs.bad.join(', ')}: not an incident reference (use INC-7).`,
    });
  }
  if (isEmpty(refs))
    return fail('VALIDATION', 'Name an incident.', { incidents: 'Name an incident, e.g. INC-7.' });
  return { ok: true, value: refs };
}

/** Links incidents to a change or problem. Office and admin. */
export async function linkIncidents(ctx: Ctx, input: LinkInput): Promise<Result<LinkOutput>> {
  if (!can(ctx.actor.role, 'work.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.manage']);
  if (!isUuid(input.workItemId)) return fail('REGISTER.NOT_FOUND', WORK_NOT_FOUND);
  const refs = checkRefs(input);
  if (!refs.ok) return refs;
  return inTransaction(ctx.db, async (tx) => {
    const item = await lockWorkItem(tx, ctx.actor.schoolId, input.workItemId);
    if (!item) throw notFound();
    const now = ctx.clock.now();
    const out = await linkIncidentsIn(tx, ctx, item, refs.value, now);
    if (out.changed.length) await touch(tx, ctx, item, now);
    return out;
  });
}

/** Unlinks incidents from a change or problem. Office and admin. */
export async function unlinkIncidents(ctx: Ctx, input: LinkInput): Promise<Result<LinkOutput>> {
  if (!can(ctx.actor.role, 'work.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.manage']);
  if (!isUuid(input.workItemId)) return fail('REGISTER.NOT_FOUND', WORK_NOT_FOUND);
  const refs = checkRefs(input);
  if (!refs.ok) return refs;
  return inTransaction(ctx.db, async (tx) => {
    const item = await lockWorkItem(tx, ctx.actor.schoolId, input.workItemId);
    if (!item) throw notFound();
    const now = ctx.clock.now();
    const out: LinkOutput = {
      reference: formatWorkItemReference(item.kind, item.number),
      changed: [],
      unchanged: [],
    };
    for (const incident of await incidentsNamed(tx, ctx.actor.schoolId, refs.value)) {
      if (!(await unlinkIncident(tx, ctx.actor.schoolId, item.id, incident.id))) {
        out.unchanged.push(incident.number);
        continue;
      }
      out.changed.push(incident.number);
      await insertWorkItemUpdate(tx, {
        schoolId: ctx.actor.schoolId,
        workItemId: item.id,
        actorId: ctx.actor.personId,
        kind: 'unlinked',
        data: { incident: { from: formatReference(incident.number), to: null }, incidentId: incident.id },
        createdAt: now,
      });
    }
    if (out.changed.length) await touch(tx, ctx, item, now);
    return out;
  });
}

async function touch(tx: Db, ctx: Ctx, item: WorkItemRow, now: Date) {
  await updateWorkItem(tx, ctx.actor.schoolId, item.id, { updatedAt: now });
}

export interface ResolveLinkedInput {
  workItemId: string;
  /** What fixed them, in words the reporters understand; every incident gets it. */
  resolution: string;
}

export interface ResolveLinkedOutput {
  reference: string;
  resolved: Array<{ number: number; summary: string }>;
  /** Linked incidents that were already resolved or closed, left as they were. */
  skipped: Array<{ number: number; status: Status }>;
}

/**
 * Resolves a problem's linked open incidents with one resolution. Each goes through the ordinary
 * resolve (card refreshed, reporter told by DM); if any cannot be resolved none is. Technicians,
 * office and admin.
 */
export async function resolveLinkedIncidents(
  ctx: Ctx,
  input: ResolveLinkedInput,
): Promise<Result<ResolveLinkedOutput>> {
  const { actor } = ctx;
  if (!can(actor.role, 'work.update')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.update']);
  if (!can(actor.role, 'incident.resolve')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.resolve']);
  if (!isUuid(input.workItemId)) return fail('REGISTER.NOT_FOUND', WORK_NOT_FOUND);
  const resolution = input.resolution.trim();
  if (resolution.length < 3)
    return fail('VALIDATION', 'Please say what was done.', { resolution: 'Say what fixed them.' });
  if (resolution.length > RESOLUTION_MAX)
    return fail('VALIDATION', 'That is too long.', {
      resolution: `Keep it under ${RESOLUTION_MAX} characters.`,
    });
  return inTransaction(ctx.db, async (tx) => {
    const item = await lockWorkItem(tx, actor.schoolId, input.workItemId);
    if (!item) throw notFound();
    const reference = formatWorkItemReference(item.kind, item.number);
    if (item.kind !== 'problem') {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: `${reference} is a change: only a problem's incidents are resolved together.`,
      });
    }
    const out: ResolveLinkedOutput = { reference, resolved: [], skipped: [] };
    // The nested resolves run as savepoints of this transaction: one failure rolls them all back.
    const inner: Ctx = { ...ctx, db: tx };
    for (const linked of await listLinkedIncidents(tx, actor.schoolId, item.id)) {
      const incident = await lockIncident(tx, actor.schoolId, linked.id);
      if (!incident) continue;
      if (!isOpen(incident.status)) {
        out.skipped.push({ number: incident.number, status: incident.status });
        continue;
      }
      const r = await resolveIncident(inner, { incidentId: incident.id, resolution });
      if (!r.ok) {
        const message = `${formatReference(incident.number)} could not be resolved (${r.error.message}), so none were.`;
        throw new DomainFailure({ code: r.error.code, message, fields: { resolution: message } });
      }
      out.resolved.push({ number: incident.number, summary: incident.summary });
    }
    if (out.resolved.length) {
      const now = ctx.clock.now();
      await insertWorkItemUpdate(tx, {
        schoolId: actor.schoolId,
        workItemId: item.id,
        actorId: actor.personId,
        kind: 'resolved_incidents',
        note: resolution,
        data: {
          incidents: out.resolved.map((i) => formatReference(i.number)),
          skipped: out.skipped.map((i) => ({ incident: formatReference(i.number), status: i.status })),
        },
        createdAt: now,
      });
      await touch(tx, ctx, item, now);
    }
    return out;
  });
}

/** "INC-3 (Resolved)" for the skipped list. */
export function skippedLine(s: { number: number; status: Status }): string {
  return `${formatReference(s.number)} (${STATUS_LABELS[s.status]})`;
}
