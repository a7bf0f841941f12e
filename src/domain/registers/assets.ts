/**
 * The asset register: register, edit, move (technicians too), change status, dispose. Every change
 * is written to the asset's history in the same transaction.
 */

import type { Db } from '../../db/client';
import {
  type AssetEventDetail,
  type AssetInsert,
  type AssetListRow,
  type AssetRow,
  assetsAtLocation,
  getAsset,
  getAssetByTag,
  incidentsOfAsset,
  insertAsset,
  insertAssetEvents,
  listAssetEvents,
  listAssets,
  lockAsset,
  updateAsset,
} from '../../db/queries/assets';
import { getLocation } from '../../db/queries/locations';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { REPEAT_INCIDENTS, repeatWindowStart } from './compliance';
import { ASSET_STATUSES, ASSET_TYPES, type AssetStatus, type AssetType, keyOf } from './types';
import { checkDate, checkPence, checkText, fieldsOf } from './validate';

export const ASSET_TAG_MAX = 64;

export interface AssetInput {
  /** Unique in the school, ignoring case. */
  tag: string;
  type: AssetType;
  make: string;
  model: string;
  serial: string;
  locationId: string | null;
  supplier: string;
  /** `YYYY-MM-DD` */
  purchaseDate: string | null;
  costPence: number | null;
  /** `YYYY-MM-DD` */
  warrantyEnd: string | null;
  status: AssetStatus;
  notes: string;
}

const FIELDS = [
  'tag',
  'type',
  'make',
  'model',
  'serial',
  'locationId',
  'supplier',
  'purchaseDate',
  'costPence',
  'warrantyEnd',
  'status',
  'notes',
] as const;

const NOT_FOUND = "I couldn't find that asset in your school.";

function check(input: AssetInput): Record<string, string> {
  return fieldsOf({
    tag: checkText(input.tag, 'The asset tag', ASSET_TAG_MAX, true),
    type: ASSET_TYPES.includes(input.type) ? undefined : 'Choose a type.',
    make: checkText(input.make, 'Make', 100),
    model: checkText(input.model, 'Model', 100),
    serial: checkText(input.serial, 'Serial', 100),
    locationId:
      input.locationId !== null && !isUuid(input.locationId) ? 'Choose a location from the list.' : undefined,
    supplier: checkText(input.supplier, 'Supplier', 100),
    purchaseDate: checkDate(input.purchaseDate, 'Purchase date'),
    costPence: checkPence(input.costPence, 'Cost'),
    // A warranty cannot end before the asset was bought (as a licence cannot expire before its start).
    warrantyEnd:
      checkDate(input.warrantyEnd, 'Warranty end') ??
      (input.purchaseDate &&
      input.warrantyEnd &&
      !checkDate(input.purchaseDate, 'Purchase date') &&
      input.warrantyEnd < input.purchaseDate
        ? 'The warranty must end after the purchase date.'
        : undefined),
    status: ASSET_STATUSES.includes(input.status) ? undefined : 'Choose a status.',
    notes: checkText(input.notes, 'Notes', 2000),
  });
}

async function checkLocation(tx: Db, schoolId: string, locationId: string | null): Promise<void> {
  if (locationId === null) return;
  const location = await getLocation(tx, schoolId, locationId);
  if (!location || location.archived) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: 'That location is not available.',
      fields: { locationId: 'That location is not in the list: choose another.' },
    });
  }
}

const values = (input: AssetInput) => ({
  tag: input.tag.trim(),
  tagKey: keyOf.asset(input),
  type: input.type,
  make: input.make.trim(),
  model: input.model.trim(),
  serial: input.serial.trim(),
  locationId: input.locationId,
  supplier: input.supplier.trim(),
  purchaseDate: input.purchaseDate,
  costPence: input.costPence,
  warrantyEnd: input.warrantyEnd,
  status: input.status,
  notes: input.notes.trim(),
});

const duplicateTag = (tag: string) =>
  new DomainFailure({
    code: 'VALIDATION',
    message: 'That tag is taken.',
    fields: { tag: `Asset tag “${tag.trim()}” is already in the register.` },
  });

export async function registerAsset(ctx: Ctx, input: AssetInput): Promise<Result<AssetRow>> {
  const { actor, clock } = ctx;
  if (!can(actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = check(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    await checkLocation(tx, actor.schoolId, input.locationId);
    const now = clock.now();
    const row = await insertAsset(tx, {
      schoolId: actor.schoolId,
      ...values(input),
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw duplicateTag(input.tag);
    await insertAssetEvents(tx, [
      {
        schoolId: actor.schoolId,
        assetId: row.id,
        actorId: actor.personId,
        kind: 'registered',
        data: {},
        createdAt: now,
      },
    ]);
    return row;
  });
}

/** The fields that differ, as `{ field: { from, to } }`. */
export function diff(
  before: Partial<AssetInsert>,
  after: Partial<AssetInsert>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of FIELDS) {
    if (field in after && (before[field] ?? null) !== (after[field] ?? null))
      changes[field] = { from: before[field] ?? null, to: after[field] ?? null };
  }
  return changes;
}

/** Runs a change on a locked asset and records what changed; nothing recorded if nothing changed. */
async function changeAsset(
  ctx: Ctx,
  assetId: string,
  kind: string,
  build: (asset: AssetRow, tx: Db) => Promise<Partial<AssetInsert>>,
  note?: string,
): Promise<Result<AssetRow>> {
  const { actor, clock } = ctx;
  if (!isUuid(assetId)) return fail('REGISTER.NOT_FOUND', NOT_FOUND);
  return inTransaction(ctx.db, async (tx) => {
    const asset = await lockAsset(tx, actor.schoolId, assetId);
    if (!asset) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: NOT_FOUND });
    const next = await build(asset, tx);
    const changes = diff(asset, next);
    if (Object.keys(changes).length === 0) return asset;
    const now = clock.now();
    const updated = await updateAsset(tx, actor.schoolId, asset.id, { ...next, updatedAt: now });
    await insertAssetEvents(tx, [
      {
        schoolId: actor.schoolId,
        assetId: asset.id,
        actorId: actor.personId,
        kind,
        data: { changes, ...(note ? { note } : {}) },
        createdAt: now,
      },
    ]);
    return updated;
  });
}

export async function editAsset(
  ctx: Ctx,
  input: AssetInput & { assetId: string },
): Promise<Result<AssetRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = check(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return changeAsset(ctx, input.assetId, 'edited', async (asset, tx) => {
    if (input.status === 'disposed' && asset.status !== 'disposed') {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'Dispose of an asset with Status / dispose, which records how.',
        fields: { status: 'Use Status / dispose to record a disposal.' },
      });
    }
    if (input.locationId !== asset.locationId) await checkLocation(tx, ctx.actor.schoolId, input.locationId);
    const next = values(input);
    if (next.tagKey !== asset.tagKey && (await getAssetByTag(tx, ctx.actor.schoolId, next.tag)))
      throw duplicateTag(next.tag);
    return next;
  });
}

/** Moves an asset to another location. Technicians may do this. */
export async function moveAsset(
  ctx: Ctx,
  input: { assetId: string; locationId: string | null },
): Promise<Result<AssetRow>> {
  if (!can(ctx.actor.role, 'asset.move')) return fail('AUTH.FORBIDDEN', FORBIDDEN['asset.move']);
  if (input.locationId !== null && !isUuid(input.locationId)) {
    return fail('VALIDATION', 'Choose a location.', { locationId: 'Choose a location from the list.' });
  }
  return changeAsset(ctx, input.assetId, 'moved', async (_asset, tx) => {
    await checkLocation(tx, ctx.actor.schoolId, input.locationId);
    return { locationId: input.locationId };
  });
}

/** In use, spare, in repair, or disposed (with a note saying how). Office/admin. */
export async function setAssetStatus(
  ctx: Ctx,
  input: { assetId: string; status: AssetStatus; note?: string },
): Promise<Result<AssetRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!ASSET_STATUSES.includes(input.status))
    return fail('VALIDATION', 'Choose a status.', { status: 'Choose a status.' });
  const note = input.note?.trim() ?? '';
  if (input.status === 'disposed' && note.length < 3) {
    return fail('VALIDATION', 'Say how it was disposed of.', {
      note: 'Say how it was disposed of (e.g. WEEE collection, certificate no.).',
    });
  }
  return changeAsset(
    ctx,
    input.assetId,
    input.status === 'disposed' ? 'disposed' : 'status',
    async () => ({ status: input.status }),
    note || undefined,
  );
}

export interface AssetListInput {
  locationId?: string;
  type?: AssetType;
  search?: string;
  includeDisposed?: boolean;
  page?: number;
  pageSize?: number;
}

export interface AssetListOutput {
  rows: Array<AssetListRow & { repeatedFaults: boolean }>;
  total: number;
  page: number;
  pageSize: number;
}

export async function listAssetRegister(ctx: Ctx, input: AssetListInput): Promise<Result<AssetListOutput>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  const pageSize = Math.min(Math.max(input.pageSize ?? 20, 1), 50);
  const page = Math.max(input.page ?? 1, 1);
  const { rows, total } = await listAssets(ctx.db, ctx.actor.schoolId, {
    locationId: input.locationId && isUuid(input.locationId) ? input.locationId : undefined,
    type: input.type,
    search: input.search?.trim() || undefined,
    includeDisposed: input.includeDisposed,
    since: repeatWindowStart(ctx.clock.now()),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return ok({
    rows: rows.map((r) => ({ ...r, repeatedFaults: r.recentIncidents >= REPEAT_INCIDENTS })),
    total,
    page,
    pageSize,
  });
}

export interface AssetDetail {
  asset: AssetRow;
  locationName: string | null;
  history: AssetEventDetail[];
  incidents: Awaited<ReturnType<typeof incidentsOfAsset>>;
  repeatedFaults: boolean;
}

/** One asset by id or tag: details, history and incidents. */
export async function getAssetDetail(ctx: Ctx, input: { ref: string }): Promise<Result<AssetDetail>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  const { db, actor } = ctx;
  const asset = isUuid(input.ref)
    ? await getAsset(db, actor.schoolId, input.ref)
    : await getAssetByTag(db, actor.schoolId, input.ref);
  if (!asset) return fail('REGISTER.NOT_FOUND', NOT_FOUND);
  const location = asset.locationId ? await getLocation(db, actor.schoolId, asset.locationId) : undefined;
  const incidents = await incidentsOfAsset(db, actor.schoolId, asset.id);
  const since = repeatWindowStart(ctx.clock.now());
  return ok({
    asset,
    locationName: location?.name ?? null,
    history: await listAssetEvents(db, actor.schoolId, asset.id),
    incidents,
    repeatedFaults: incidents.filter((i) => i.createdAt >= since).length >= REPEAT_INCIDENTS,
  });
}

/** Assets at a location, for the fault form's asset drop-down (anyone may report against them). */
export async function assetsForFaultForm(ctx: Ctx, input: { locationId: string }): Promise<AssetRow[]> {
  if (!isUuid(input.locationId)) return [];
  return assetsAtLocation(ctx.db, ctx.actor.schoolId, input.locationId, 100);
}
