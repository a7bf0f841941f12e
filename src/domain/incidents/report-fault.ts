import type { Db } from '../../db/client';
import { type AssetRow, getAsset } from '../../db/queries/assets';
import {
  findIncidentBySource,
  findIncidentBySubmission,
  type IncidentRow,
  insertIncident,
  insertIncidentEvent,
} from '../../db/queries/incidents';
import { getLocation, type LocationRow } from '../../db/queries/locations';
import { enqueue } from '../../db/queries/outbox';
import { getPerson } from '../../db/queries/people';
import { allocateIncidentNumber, getSchool } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { checkStorable } from '../registers/validate';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { normaliseLineEnds } from '../text';
import { inTransaction } from '../transaction';
import { onCallForChange } from './on-call';
import { checkPhotos, type PhotoInput } from './photos';
import { DEFAULT_IMPACT, IMPACTS, type Impact, priorityOf, URGENCIES, type Urgency } from './priority';
import { recordPhotos } from './record-photos';
import { formatReference } from './reference';
import { slaTargetsOf } from './sla';

export interface ReportFaultInput {
  /** One line: what is wrong. */
  summary: string;
  /** More detail: what happened, error messages, what was tried. */
  description?: string;
  /** A location of the reporter's school; optional when the room is not listed. */
  locationId?: string;
  /** The asset at fault, from the school's register (the form offers those at the location). */
  assetId?: string;
  /** Who is affected; defaults to the location's default impact, else one room or class. */
  impact?: Impact;
  urgency: Urgency;
  /**
   * Idempotency key of this submission (e.g. the Slack view id). Submitting the same form twice
   * finds the first incident instead of making a second.
   */
  submissionKey?: string;
  /**
   * Photos given with the report (at most 3 images of 10 MB each), as files the platform holds.
   * They are recorded with the incident; SPOC's copy of each is fetched afterwards.
   */
  photos?: PhotoInput[];
  /**
   * A ticket made from a chat message (a reaction on it): the actor is who reacted, recorded as
   * such; the message's author is the reporter. One incident a message, however often it is asked.
   */
  source?: MessageSource;
}

/** The chat message an incident was made from. */
export interface MessageSource {
  /** The conversation the message is in (a Slack channel id). */
  channel: string;
  /** The message's own id in it (Slack's ts). */
  ts: string;
  /** The thread it is in, when it is a reply (where the reference is said); absent for a thread's parent. */
  threadTs?: string;
  /** Who wrote it: a person of the actor's school. */
  reporterId: string;
}

export interface ReportFaultOutput {
  incident: IncidentRow;
  reference: string;
  /** True when this submission had already been recorded. */
  duplicate: boolean;
}

export const SUMMARY_MAX = 150;
export const DESCRIPTION_MAX = 3000;

class AlreadyReported extends Error {
  constructor(readonly incident: IncidentRow) {
    super('already reported');
  }
}

/** What a fault form says, as it is stored. */
export type FaultFields = Pick<
  ReportFaultInput,
  'summary' | 'description' | 'locationId' | 'assetId' | 'impact' | 'urgency'
>;

/**
 * The fault form's fields checked as they are typed (the summary on one line, the details' line
 * ends normalised): a message per field that is wrong, shown beside it.
 */
export function checkFaultFields(input: FaultFields): {
  summary: string;
  description: string;
  fields: Record<string, string>;
} {
  const summary = input.summary.trim().replace(/\s+/g, ' ');
  const description = normaliseLineEnds(input.description ?? '').trim();
  const fields: Record<string, string> = {};
  const unsafeSummary = checkStorable(summary, 'The summary');
  const unsafeDescription = checkStorable(description, 'The description');
  if (unsafeSummary) fields.summary = unsafeSummary;
  else if (summary.length < 3) fields.summary = 'Say in a few words what is wrong.';
  else if (summary.length > SUMMARY_MAX) fields.summary = `Keep the summary under ${SUMMARY_MAX} characters.`;
  if (unsafeDescription) fields.description = unsafeDescription;
  else if (description.length > DESCRIPTION_MAX)
    fields.description = `Keep it under ${DESCRIPTION_MAX} characters.`;
  if (!URGENCIES.includes(input.urgency)) fields.urgency = 'Choose how urgent it is.';
  if (input.impact !== undefined && !IMPACTS.includes(input.impact))
    fields.impact = 'Choose who is affected.';
  if (input.locationId !== undefined && !isUuid(input.locationId))
    fields.locationId = 'Choose a location from the list.';
  if (input.assetId !== undefined && !isUuid(input.assetId))
    fields.assetId = 'Choose an asset from the list.';
  return { summary, description, fields };
}

/**
 * Where the fault is, read in the transaction: the asset chosen (in the register, not disposed,
 * at the location chosen) and the location (chosen, else the asset's). A DomainFailure names the
 * field that is wrong.
 */
export async function faultPlace(
  tx: Db,
  schoolId: string,
  input: Pick<FaultFields, 'locationId' | 'assetId'>,
): Promise<{ asset: AssetRow | undefined; location: LocationRow | undefined }> {
  const asset = input.assetId ? await getAsset(tx, schoolId, input.assetId) : undefined;
  if (input.assetId && (!asset || asset.status === 'disposed')) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: 'That asset is not available.',
      fields: { assetId: 'That asset is not in the register any more: choose another.' },
    });
  }
  if (asset && input.locationId && asset.locationId !== input.locationId) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: 'That device is somewhere else.',
      fields: { assetId: 'That device is not at the location chosen: choose it again.' },
    });
  }
  // With no location given, the fault is where the asset is.
  const locationId = input.locationId ?? asset?.locationId ?? undefined;
  const location = locationId ? await getLocation(tx, schoolId, locationId) : undefined;
  if (locationId && (!location || (location.archived && locationId === input.locationId))) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: 'That location is not available.',
      fields: { locationId: 'That location is no longer in the list: choose another.' },
    });
  }
  return { asset, location };
}

/**
 * A teacher (anyone) reports a fault. The incident, its first history event, the SPOC-channel
 * card and the reporter's confirmation are committed together, before anything is posted.
 */
export async function reportFault(ctx: Ctx, input: ReportFaultInput): Promise<Result<ReportFaultOutput>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'incident.report')) return fail('AUTH.FORBIDDEN', FORBIDDEN['incident.report']);
  const { summary, description, fields } = checkFaultFields(input);
  const photos = input.photos ?? [];
  const badPhotos = checkPhotos(photos);
  if (badPhotos) fields.photos = badPhotos;
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);

  try {
    return await inTransaction(ctx.db, async (tx) => {
      const { asset, location } = await faultPlace(tx, actor.schoolId, input);
      // Takes the school row lock: numbers are handed out one at a time, and a second copy of the
      // same submission waits here and then finds the first.
      const number = await allocateIncidentNumber(tx, actor.schoolId);
      if (input.submissionKey) {
        const existing = await findIncidentBySubmission(tx, actor.schoolId, input.submissionKey);
        if (existing) throw new AlreadyReported(existing);
      }
      const source = input.source;
      if (source) {
        // Under the same lock: a second reaction (anyone's, any time) finds the first ticket.
        const existing = await findIncidentBySource(tx, actor.schoolId, source.channel, source.ts);
        if (existing) throw new AlreadyReported(existing);
        if (!(await getPerson(tx, actor.schoolId, source.reporterId)))
          throw new DomainFailure({
            code: 'PERSON.NOT_FOUND',
            message: 'Whoever wrote that message is not someone of this school.',
          });
      }
      const reporterId = source?.reporterId ?? actor.personId;
      const now = clock.now();
      const impact = input.impact ?? location?.defaultImpact ?? DEFAULT_IMPACT;
      const priority = priorityOf(impact, input.urgency);
      // The incident keeps the targets that applied when it was reported (read under the school
      // row lock taken above), so later changes to the settings never rewrite its history.
      const school = await getSchool(tx, actor.schoolId);
      const targets = slaTargetsOf(school?.slaTargets)[priority];
      const incident = await insertIncident(tx, {
        schoolId: actor.schoolId,
        number,
        reporterId,
        summary,
        description,
        locationId: location?.id ?? null,
        assetId: asset?.id ?? null,
        impact,
        urgency: input.urgency,
        priority,
        slaRespondMinutes: targets.respondMinutes,
        slaResolveMinutes: targets.resolveMinutes,
        status: 'new',
        submissionKey: input.submissionKey ?? null,
        sourceChannel: source?.channel ?? null,
        sourceTs: source?.ts ?? null,
        reactedById: source ? actor.personId : null,
        createdAt: now,
        lastActivityAt: now,
      });
      if (!incident) throw new Error('incident insert conflicted');
      // Out of school time: when the office will see it (told to the reporter), and a P1 goes to
      // the on-call person at once.
      const outOfHours = await onCallForChange(tx, actor.schoolId, {
        incidentId: null,
        priority,
        actorId: actor.personId,
        reporterId,
        now,
      });
      await insertIncidentEvent(tx, {
        schoolId: actor.schoolId,
        incidentId: incident.id,
        actorId: actor.personId,
        kind: 'reported',
        fromStatus: null,
        toStatus: 'new',
        data: {
          priority: incident.priority,
          impact,
          urgency: input.urgency,
          ...(source ? { fromMessage: { channel: source.channel, ts: source.ts } } : {}),
          ...(outOfHours.opensAt ? { officeOpensAt: outOfHours.opensAt.toISOString() } : {}),
          ...(outOfHours.tell ? { onCallTold: outOfHours.tell } : {}),
        },
        createdAt: now,
      });
      const photoMessages = await recordPhotos(tx, actor.schoolId, incident.id, photos, now);
      await enqueue(
        tx,
        actor.schoolId,
        [
          { type: 'incident.card', incidentId: incident.id },
          { type: 'person.notify', personId: reporterId, incidentId: incident.id, event: 'reported' },
          ...photoMessages,
          // The message it came from is marked done, with the reference in its thread.
          ...(source
            ? [
                {
                  type: 'incident.source' as const,
                  incidentId: incident.id,
                  ...(source.threadTs ? { threadTs: source.threadTs } : {}),
                },
              ]
            : []),
          ...(outOfHours.tell
            ? [
                {
                  type: 'person.notify' as const,
                  personId: outOfHours.tell,
                  incidentId: incident.id,
                  event: 'on_call' as const,
                },
              ]
            : []),
        ],
        now,
      );
      return { incident, reference: formatReference(number), duplicate: false };
    });
  } catch (error) {
    if (error instanceof AlreadyReported) {
      return {
        ok: true,
        value: {
          incident: error.incident,
          reference: formatReference(error.incident.number),
          duplicate: true,
        },
      };
    }
    throw error;
  }
}
