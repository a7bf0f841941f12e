/**
 * "Already reported": while someone fills in the fault form, the open incident their fault
 * probably repeats — the very device they chose, else a device of the same type in the same place
 * — and "Me too", which makes them a follower of it instead of raising a duplicate. Followers are
 * told when it is fixed (`follower-notices.ts`, once each).
 */
import { getAsset } from '../../db/queries/assets';
import { addFollower, findOpenMatch } from '../../db/queries/followers';
import { type IncidentRow, insertIncidentEvent, lockIncident } from '../../db/queries/incidents';
import { enqueue } from '../../db/queries/outbox';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { NOT_FOUND_MESSAGE } from './change-incident';
import { formatReference } from './reference';
import { isOpen } from './state-machine';

export interface FindAlreadyReportedInput {
  /** The device chosen on the form, if any. */
  assetId?: string;
  /** The place chosen on the form, if any (else the device's own place). */
  locationId?: string;
}

/** The open incident the form's fault probably repeats, as the form shows it. */
export interface AlreadyReported {
  incidentId: string;
  number: number;
  reporter: { name: string; slackUserId: string | null };
  reportedAt: Date;
  /** The person filling in the form reported it themselves (no "Me too" for them). */
  yours: boolean;
  /** How it matched: the very device, or the same kind of device in the same place. */
  match: 'asset' | 'location_type';
  assetTag: string | null;
  locationName: string | null;
}

/**
 * The open incident (not resolved or closed, of the asker's school) on the chosen device, else at
 * the chosen place on a device of the same type; null when there is none, or no device is chosen
 * (a place alone says nothing about which fault it is).
 */
export async function findAlreadyReported(
  ctx: Ctx,
  input: FindAlreadyReportedInput,
): Promise<Result<AlreadyReported | null>> {
  const { actor, db } = ctx;
  if (!can(actor.role, 'incident.report')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.report']);
  if (!input.assetId || !isUuid(input.assetId)) return ok(null);
  const asset = await getAsset(db, actor.schoolId, input.assetId);
  if (!asset) return ok(null);
  const locationId = input.locationId && isUuid(input.locationId) ? input.locationId : asset.locationId;
  const found = await findOpenMatch(db, actor.schoolId, {
    assetId: asset.id,
    locationId,
    assetType: asset.type,
  });
  if (!found) return ok(null);
  return ok({
    incidentId: found.incidentId,
    number: found.number,
    reporter: { name: found.reporterName, slackUserId: found.reporterSlackId },
    reportedAt: found.createdAt,
    yours: found.reporterId === actor.personId,
    match: found.match,
    assetTag: found.assetTag,
    locationName: found.locationName,
  });
}

export interface FollowIncidentInput {
  /** The incident the person says affects them too. */
  incidentId: string;
}

export interface FollowIncidentOutput {
  /** The incident now followed (a merged one's target, when it was merged meanwhile). */
  incident: IncidentRow;
  reference: string;
  /** They already followed it: nothing changed. */
  already: boolean;
}

/**
 * "Me too": the person follows the incident instead of reporting it again, and will be told when
 * it is fixed. Once only (a second press changes nothing); never its own reporter; only while it
 * is open. An incident merged meanwhile is followed at the one it was merged into.
 */
export async function followIncident(
  ctx: Ctx,
  input: FollowIncidentInput,
): Promise<Result<FollowIncidentOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'incident.report')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.report']);
  if (!isUuid(input.incidentId)) return fail('INCIDENT.NOT_FOUND', NOT_FOUND_MESSAGE);
  return inTransaction(ctx.db, async (tx) => {
    let incident = await lockIncident(tx, actor.schoolId, input.incidentId);
    if (incident?.mergedIntoId) incident = await lockIncident(tx, actor.schoolId, incident.mergedIntoId);
    if (!incident) throw new DomainFailure({ code: 'INCIDENT.NOT_FOUND', message: NOT_FOUND_MESSAGE });
    const reference = formatReference(incident.number);
    if (incident.reporterId === actor.personId) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: `You reported ${reference} yourself, so you will hear when it is fixed.`,
      });
    }
    if (!isOpen(incident.status)) {
      throw new DomainFailure({
        code: 'INCIDENT.ILLEGAL_TRANSITION',
        message:
          incident.status === 'resolved'
            ? `${reference} has just been fixed. If it is still broken for you, report it.`
            : `${reference} is closed. If it is still broken for you, report it.`,
      });
    }
    const now = clock.now();
    const added = await addFollower(tx, actor.schoolId, incident.id, actor.personId, now);
    if (!added) return { incident, reference, already: true };
    // Audited, and shown on the card and in its thread; not activity on the fault itself, so the
    // staleness reminders are not put off by it.
    const event = await insertIncidentEvent(tx, {
      schoolId: actor.schoolId,
      incidentId: incident.id,
      actorId: actor.personId,
      kind: 'followed',
      fromStatus: incident.status,
      toStatus: incident.status,
      data: {},
      createdAt: now,
    });
    await enqueue(
      tx,
      actor.schoolId,
      [
        { type: 'incident.card', incidentId: incident.id },
        { type: 'incident.thread', incidentId: incident.id, eventId: event.id },
      ],
      now,
    );
    return { incident, reference, already: false };
  });
}
