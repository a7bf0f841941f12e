/**
 * Importing a register from CSV: a preview first (new, updated, unchanged, refused, unknown
 * locations), then an all-or-nothing commit that re-plans against the register as it is at that
 * moment. Re-importing the same file changes nothing.
 */

import type { Db } from '../../db/client';
import { assetRecords, insertAssetEvents, updateAsset } from '../../db/queries/assets';
import { finishImportBatch, insertImportBatch, lockImportBatch } from '../../db/queries/imports';
import { licenceRecordOf, listLicences, updateLicence } from '../../db/queries/licences';
import { listAllLocations, updateLocation } from '../../db/queries/locations';
import { lockSchool } from '../../db/queries/schools';
import { assets, licences, locations } from '../../db/schema';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import type { ImportKind, ImportRecord } from '../imports/kinds';
import { type ImportPlan, planImport } from '../imports/plan';
import { readCsv } from '../imports/read-csv';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { type AssetRecord, keyOf, type LicenceRecord, type LocationRecord } from './types';

export interface ImportSummary {
  kind: ImportKind;
  fileName: string;
  new: number;
  updated: number;
  unchanged: number;
  rejected: Array<{ line: number; reason: string }>;
  unknownLocations: string[];
  ignoredColumns: string[];
}

export interface ImportPreview {
  batchId: string;
  summary: ImportSummary;
}

export interface ImportResult {
  summary: ImportSummary;
  /** Locations created because the file named them and the SPOC agreed. */
  createdLocations: string[];
}

const INSERT_CHUNK = 500;

async function existingRecords(tx: Db, schoolId: string, kind: ImportKind) {
  const places = await listAllLocations(tx, schoolId);
  const names = new Map(places.map((l) => [l.id, l.name]));
  const known = new Set(places.map((l) => l.nameKey));
  if (kind === 'locations') {
    const records = places.map((l) => ({
      id: l.id,
      name: l.name,
      parent: l.parentId ? (names.get(l.parentId) ?? null) : null,
      defaultImpact: l.defaultImpact,
      archived: l.archived,
    }));
    return { records, known, places };
  }
  if (kind === 'assets') return { records: await assetRecords(tx, schoolId), known, places };
  return { records: (await listLicences(tx, schoolId)).map(licenceRecordOf), known, places };
}

function summaryOf(
  kind: ImportKind,
  fileName: string,
  plan: ImportPlan<ImportRecord<ImportKind>>,
): ImportSummary {
  return {
    kind,
    fileName,
    new: plan.new.length,
    updated: plan.updated.length,
    unchanged: plan.unchanged.length,
    rejected: plan.rejected,
    unknownLocations: plan.unknownLocations,
    ignoredColumns: plan.ignoredColumns,
  };
}

async function plan(tx: Db, schoolId: string, kind: ImportKind, content: string) {
  const existing = await existingRecords(tx, schoolId, kind);
  const planned = planImport(
    kind,
    readCsv(content),
    existing.records as ReadonlyArray<ImportRecord<ImportKind>>,
    {
      knownLocations: existing.known,
    },
  );
  if (!planned.ok) throw new DomainFailure({ code: 'IMPORT.REJECTED', message: planned.message });
  return { planned, existing };
}

/** Says what importing a file would do, changing nothing (the command line's `--dry-run`). */
export async function dryRunImport(
  ctx: Ctx,
  input: { kind: ImportKind; fileName: string; content: string },
): Promise<Result<ImportSummary>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  return inTransaction(ctx.db, async (tx) => {
    const { planned } = await plan(tx, ctx.actor.schoolId, input.kind, input.content);
    return summaryOf(input.kind, input.fileName, planned);
  });
}

/** Imports a file at once, all or nothing (the command line without `--dry-run`). */
export async function importFile(
  ctx: Ctx,
  input: { kind: ImportKind; fileName: string; content: string; createLocations: boolean },
): Promise<Result<ImportResult>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  return inTransaction(ctx.db, async (tx) => {
    await lockSchool(tx, ctx.actor.schoolId);
    return applyImport({ ...ctx, db: tx }, input.kind, input.fileName, input.content, input.createLocations);
  });
}

/** Reads and checks a file, keeps it for the commit, and says what importing it would do. */
export async function previewImport(
  ctx: Ctx,
  input: { kind: ImportKind; fileName: string; content: string },
): Promise<Result<ImportPreview>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  return inTransaction(ctx.db, async (tx) => {
    const { planned } = await plan(tx, ctx.actor.schoolId, input.kind, input.content);
    const summary = summaryOf(input.kind, input.fileName, planned);
    const batch = await insertImportBatch(tx, {
      schoolId: ctx.actor.schoolId,
      kind: input.kind,
      fileName: input.fileName,
      content: input.content,
      createdBy: ctx.actor.personId,
      summary: summary as unknown as Record<string, unknown>,
      createdAt: ctx.clock.now(),
    });
    return { batchId: batch.id, summary };
  });
}

/** Commits a previewed import, all or nothing. Committing the same batch twice does it once. */
export async function commitImport(
  ctx: Ctx,
  input: { batchId: string; createLocations: boolean },
): Promise<Result<ImportResult>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.batchId))
    return fail('IMPORT.NOT_FOUND', 'That import is not available any more: upload the file again.');
  return inTransaction(ctx.db, async (tx) => {
    await lockSchool(tx, ctx.actor.schoolId);
    const batch = await lockImportBatch(tx, ctx.actor.schoolId, input.batchId);
    if (!batch || batch.status === 'discarded') {
      throw new DomainFailure({
        code: 'IMPORT.NOT_FOUND',
        message: 'That import is not available any more: upload the file again.',
      });
    }
    if (batch.status === 'committed') {
      throw new DomainFailure({
        code: 'IMPORT.ALREADY_DONE',
        message: `${batch.fileName} has already been imported.`,
      });
    }
    const result = await applyImport(
      { ...ctx, db: tx },
      batch.kind as ImportKind,
      batch.fileName,
      batch.content,
      input.createLocations,
    );
    await finishImportBatch(tx, batch.id, {
      status: 'committed',
      summary: result.summary as unknown as Record<string, unknown>,
      committedAt: ctx.clock.now(),
    });
    return result;
  });
}

/**
 * Plans and applies a file in the caller's transaction (the CLI calls this directly). Refuses the
 * whole file if any row is refused, or if it names unknown locations the SPOC has not agreed to create.
 */
export async function applyImport(
  ctx: Ctx,
  kind: ImportKind,
  fileName: string,
  content: string,
  createLocations: boolean,
): Promise<ImportResult> {
  const { db: tx, actor, clock } = ctx;
  const now = clock.now();
  const { planned, existing } = await plan(tx, actor.schoolId, kind, content);
  const summary = summaryOf(kind, fileName, planned);
  if (planned.rejected.length > 0) {
    throw new DomainFailure({
      code: 'IMPORT.REJECTED',
      message: `Nothing was imported: ${planned.rejected.length} row${planned.rejected.length === 1 ? ' is' : 's are'} refused. Fix ${planned.rejected.length === 1 ? 'it' : 'them'} and import again.`,
    });
  }
  if (planned.unknownLocations.length > 0 && !createLocations) {
    throw new DomainFailure({
      code: 'IMPORT.REJECTED',
      message: `Nothing was imported: the file names locations the school does not have (${planned.unknownLocations.slice(0, 10).join(', ')}${planned.unknownLocations.length > 10 ? '…' : ''}). Confirm to create them, or fix the file.`,
    });
  }
  // Location ids by lower-cased name, growing as locations are created.
  const placeIds = new Map(existing.places.map((l) => [l.nameKey, l.id]));
  const createdLocations: string[] = [];
  const createPlaces = async (names: string[]) => {
    const fresh = names.filter((n) => !placeIds.has(keyOf.location({ name: n })));
    for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
      const rows = await tx
        .insert(locations)
        .values(
          fresh.slice(i, i + INSERT_CHUNK).map((name) => ({
            schoolId: actor.schoolId,
            name: name.trim(),
            nameKey: keyOf.location({ name }),
            createdAt: now,
          })),
        )
        .returning();
      for (const r of rows) placeIds.set(r.nameKey, r.id);
    }
    createdLocations.push(...fresh);
  };
  const placeId = (name: string | null) => (name ? (placeIds.get(keyOf.location({ name })) ?? null) : null);

  if (kind === 'locations') {
    const p = planned as ImportPlan<LocationRecord>;
    await createPlaces([...p.new.map((r) => r.record.name), ...p.unknownLocations]);
    for (const { record } of [...p.new, ...p.updated]) {
      const id = placeId(record.name);
      if (!id) throw new Error(`location ${record.name} vanished`);
      await updateLocation(tx, actor.schoolId, id, {
        name: record.name.trim(),
        parentId: placeId(record.parent),
        defaultImpact: record.defaultImpact,
        archived: record.archived,
      });
    }
  } else if (kind === 'assets') {
    const p = planned as ImportPlan<AssetRecord>;
    await createPlaces(p.unknownLocations);
    const values = (r: AssetRecord) => ({
      tag: r.tag.trim(),
      tagKey: keyOf.asset(r),
      type: r.type,
      make: r.make,
      model: r.model,
      serial: r.serial,
      locationId: placeId(r.location),
      supplier: r.supplier,
      purchaseDate: r.purchaseDate,
      costPence: r.costPence,
      warrantyEnd: r.warrantyEnd,
      status: r.status,
      notes: r.notes,
    });
    for (let i = 0; i < p.new.length; i += INSERT_CHUNK) {
      const rows = await tx
        .insert(assets)
        .values(
          p.new.slice(i, i + INSERT_CHUNK).map(({ record }) => ({
            schoolId: actor.schoolId,
            ...values(record),
            createdAt: now,
            updatedAt: now,
          })),
        )
        .returning({ id: assets.id });
      await insertAssetEvents(
        tx,
        rows.map((r) => ({
          schoolId: actor.schoolId,
          assetId: r.id,
          actorId: actor.personId,
          kind: 'imported',
          data: { file: fileName },
          createdAt: now,
        })),
      );
    }
    const ids = new Map(
      (existing.records as Array<AssetRecord & { id: string }>).map((r) => [keyOf.asset(r), r.id]),
    );
    for (const u of p.updated) {
      const id = ids.get(keyOf.asset(u.before));
      if (!id) throw new Error(`asset ${u.before.tag} vanished`);
      await updateAsset(tx, actor.schoolId, id, { ...values(u.record), updatedAt: now });
      const changes = Object.fromEntries(u.changes.map((f) => [f, { from: u.before[f], to: u.record[f] }]));
      await insertAssetEvents(tx, [
        {
          schoolId: actor.schoolId,
          assetId: id,
          actorId: actor.personId,
          kind: 'imported',
          data: { file: fileName, changes },
          createdAt: now,
        },
      ]);
    }
  } else {
    const p = planned as ImportPlan<LicenceRecord>;
    const values = (r: LicenceRecord) => ({
      ...r,
      title: r.title.trim(),
      publisher: r.publisher.trim(),
      licenceKey: keyOf.licence(r),
    });
    for (let i = 0; i < p.new.length; i += INSERT_CHUNK) {
      await tx.insert(licences).values(
        p.new.slice(i, i + INSERT_CHUNK).map(({ record }) => ({
          schoolId: actor.schoolId,
          ...values(record),
          createdAt: now,
          updatedAt: now,
        })),
      );
    }
    const ids = new Map(
      (existing.records as Array<LicenceRecord & { id: string }>).map((r) => [keyOf.licence(r), r.id]),
    );
    for (const u of p.updated) {
      const id = ids.get(keyOf.licence(u.before));
      if (!id) throw new Error(`licence ${u.before.title} vanished`);
      await updateLicence(tx, actor.schoolId, id, { ...values(u.record), updatedAt: now });
    }
  }
  return { summary, createdLocations };
}

/** The register's current content as records, in export order, for `toCsv`. */
export async function registerRecords(
  ctx: Ctx,
  kind: ImportKind,
): Promise<Result<Array<ImportRecord<ImportKind>>>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  const { records } = await existingRecords(ctx.db, ctx.actor.schoolId, kind);
  const withoutIds = records.map(({ id: _id, ...rest }) => rest) as Array<ImportRecord<ImportKind>>;
  // Key references leave the building only with office/admin.
  if (kind === 'licences' && !can(ctx.actor.role, 'licence.key')) {
    return ok((withoutIds as LicenceRecord[]).map((l) => ({ ...l, keyReference: '' })));
  }
  return ok(withoutIds);
}
