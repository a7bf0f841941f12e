/**
 * The school's own knowledge base: known fixes (a title, the steps, optionally the place, the
 * type of device or the device it is for, and key words). The office adds, edits and retires them
 * (`spoc fixes`); a technician saves one when resolving. A retired fix is never suggested again;
 * its uses still count in the service report.
 */

import type { Db } from '../../db/client';
import { getAsset } from '../../db/queries/assets';
import {
  getKnownFix,
  insertKnownFix,
  type KnownFix,
  type KnownFixListRow,
  listKnownFixRows,
  lockKnownFix,
  updateKnownFix,
} from '../../db/queries/known-fixes';
import { getLocation } from '../../db/queries/locations';
import { recordRegisterEvents } from '../../db/queries/register-events';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { changesBetween } from '../registers/audit';
import { ASSET_TYPES, type AssetType } from '../registers/types';
import { checkText, fieldsOf } from '../registers/validate';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { normaliseLineEnds } from '../text';
import { inTransaction } from '../transaction';

export const FIX_TITLE_MAX = 150;
export const FIX_STEPS_MAX = 3000;
export const FIX_KEYWORDS_MAX = 300;

export type { KnownFix, KnownFixListRow };

export interface KnownFixInput {
  /** What it fixes, as a teacher would say it ("Projector shows No signal"). */
  title: string;
  /** What to do, in plain words a teacher can follow. */
  steps: string;
  /** Other words people use for the fault ("beamer, no picture"). */
  keywords: string;
  /** The place it is for, or null for anywhere. */
  locationId: string | null;
  /** The type of device it is for, or null for any. */
  assetType: AssetType | null;
  /** The one device it is for, or null. */
  assetId: string | null;
}

/** The field names the domain's errors use (the forms' field ids). */
export type KnownFixField = 'title' | 'steps' | 'keywords' | 'locationId' | 'assetType' | 'assetId';

/** The input cleaned: trimmed, line ends normalised, key words on one line. */
function clean(input: KnownFixInput): KnownFixInput {
  return {
    ...input,
    title: input.title.trim().replace(/\s+/g, ' '),
    steps: normaliseLineEnds(input.steps).trim(),
    keywords: input.keywords.trim().replace(/\s+/g, ' '),
  };
}

/** Messages by field for input that cannot be saved, checked before anything is read or written. */
export function checkKnownFix(input: KnownFixInput): Record<string, string> {
  const c = clean(input);
  return fieldsOf({
    title:
      checkText(c.title, 'The title', FIX_TITLE_MAX, true) ??
      (c.title.length < 3 ? 'Say in a few words what it fixes.' : undefined),
    steps:
      checkText(c.steps, 'The steps', FIX_STEPS_MAX, true) ??
      (c.steps.length < 3 ? 'Say what to do.' : undefined),
    keywords: checkText(c.keywords, 'The key words', FIX_KEYWORDS_MAX),
    locationId:
      c.locationId !== null && !isUuid(c.locationId) ? 'Choose a location from the list.' : undefined,
    assetType:
      c.assetType !== null && !ASSET_TYPES.includes(c.assetType) ? 'Choose a type from the list.' : undefined,
    assetId: c.assetId !== null && !isUuid(c.assetId) ? 'Choose a device from the register.' : undefined,
  });
}

/** The place and device checked within the actor's school (inside the transaction). */
async function checkLinks(tx: Db, schoolId: string, input: KnownFixInput): Promise<void> {
  if (input.locationId) {
    const place = await getLocation(tx, schoolId, input.locationId);
    if (!place)
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'That location is not in your school.',
        fields: { locationId: 'Choose a location from the list.' },
      });
  }
  if (input.assetId) {
    const asset = await getAsset(tx, schoolId, input.assetId);
    if (!asset)
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'That device is not in your register.',
        fields: { assetId: 'Choose a device from the register.' },
      });
  }
}

/** What the audit keeps of a fix: what a person typed or chose. */
const audited = (f: KnownFix) => ({
  id: f.id,
  title: f.title,
  steps: f.steps,
  keywords: f.keywords,
  locationId: f.locationId,
  assetType: f.assetType,
  assetId: f.assetId,
  retiredAt: f.retiredAt,
});

/** Every change to a fix is recorded: who, what (from → to), when. */
export async function auditKnownFix(
  tx: Db,
  ctx: Ctx,
  kind: string,
  before: KnownFix | null,
  after: KnownFix,
  note?: Record<string, unknown>,
): Promise<void> {
  const changes = changesBetween(before ? audited(before) : null, audited(after));
  if (before && Object.keys(changes).length === 0) return;
  await recordRegisterEvents(tx, [
    {
      schoolId: ctx.actor.schoolId,
      subject: `known_fix:${after.id}`,
      actorId: ctx.actor.personId,
      kind,
      data: { changes, ...note },
      createdAt: ctx.clock.now(),
    },
  ]);
}

/**
 * Writes a new fix in `tx` (already checked with `checkKnownFix`, links checked here), audited.
 * `incidentId`: the incident it was saved from.
 */
export async function insertCheckedFix(
  tx: Db,
  ctx: Ctx,
  input: KnownFixInput,
  incidentId: string | null,
): Promise<KnownFix> {
  const c = clean(input);
  await checkLinks(tx, ctx.actor.schoolId, c);
  const now = ctx.clock.now();
  const fix = await insertKnownFix(tx, {
    schoolId: ctx.actor.schoolId,
    ...c,
    incidentId,
    createdById: ctx.actor.personId,
    createdAt: now,
    updatedAt: now,
  });
  await auditKnownFix(tx, ctx, 'known_fix.added', null, fix, incidentId ? { incidentId } : undefined);
  return fix;
}

const NOT_FOUND = "I couldn't find that known fix in your school.";

/** Adds a known fix. Office and admin. */
export async function addKnownFix(ctx: Ctx, input: KnownFixInput): Promise<Result<KnownFix>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = checkKnownFix(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, (tx) => insertCheckedFix(tx, { ...ctx, db: tx }, input, null));
}

/** Edits a known fix (a retired one too). Office and admin. */
export async function editKnownFix(
  ctx: Ctx,
  input: KnownFixInput & { fixId: string },
): Promise<Result<KnownFix>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.fixId)) return fail('REGISTER.NOT_FOUND', NOT_FOUND);
  const fields = checkKnownFix(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  const c = clean(input);
  return inTransaction(ctx.db, async (tx) => {
    const before = await lockKnownFix(tx, ctx.actor.schoolId, input.fixId);
    if (!before) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: NOT_FOUND });
    await checkLinks(tx, ctx.actor.schoolId, c);
    const after = await updateKnownFix(tx, ctx.actor.schoolId, before.id, {
      title: c.title,
      steps: c.steps,
      keywords: c.keywords,
      locationId: c.locationId,
      assetType: c.assetType,
      assetId: c.assetId,
      updatedAt: ctx.clock.now(),
    });
    await auditKnownFix(tx, ctx, 'known_fix.edited', before, after);
    return after;
  });
}

/**
 * Retires a fix (never suggested again; its uses still count), or puts it back in service.
 * Doing it twice changes nothing the second time. Office and admin.
 */
export async function setKnownFixRetired(
  ctx: Ctx,
  input: { fixId: string; retired: boolean },
): Promise<Result<KnownFix>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.fixId)) return fail('REGISTER.NOT_FOUND', NOT_FOUND);
  return inTransaction(ctx.db, async (tx) => {
    const before = await lockKnownFix(tx, ctx.actor.schoolId, input.fixId);
    if (!before) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: NOT_FOUND });
    if ((before.retiredAt !== null) === input.retired) return before;
    const now = ctx.clock.now();
    const after = await updateKnownFix(tx, ctx.actor.schoolId, before.id, {
      retiredAt: input.retired ? now : null,
      updatedAt: now,
    });
    await auditKnownFix(tx, ctx, input.retired ? 'known_fix.retired' : 'known_fix.restored', before, after);
    return after;
  });
}

/** One fix of the actor's school, for its edit form. Office and admin. */
export async function getKnownFixFor(ctx: Ctx, input: { fixId: string }): Promise<Result<KnownFix>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fix = isUuid(input.fixId) ? await getKnownFix(ctx.db, ctx.actor.schoolId, input.fixId) : undefined;
  return fix ? { ok: true, value: fix } : fail('REGISTER.NOT_FOUND', NOT_FOUND);
}

/** Every fix of the school with its uses, for `spoc fixes`. Technicians, office and admin. */
export async function listKnownFixes(ctx: Ctx): Promise<Result<KnownFixListRow[]>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  return { ok: true, value: await listKnownFixRows(ctx.db, ctx.actor.schoolId) };
}
