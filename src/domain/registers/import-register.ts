import { createHash } from 'node:crypto';
/**
 * Importing a register from CSV: a preview first (new, updated, unchanged, refused, unknown
 * locations), then an all-or-nothing commit that re-plans against the register as it is at that
 * moment. Re-importing the same file changes nothing.
 */

import type { Db } from '../../db/client';
import { assetRecords, insertAssetEvents, insertAssets, updateAsset } from '../../db/queries/assets';
import { finishImportBatch, insertImportBatch, lockImportBatch } from '../../db/queries/imports';
import { insertLicences, licenceRecordOf, listLicences, updateLicence } from '../../db/queries/licences';
import {
  insertLocations,
  listAllLocations,
  setLocationParents,
  updateLocation,
} from '../../db/queries/locations';
import { recordRegisterEvents } from '../../db/queries/register-events';
import { lockSchool } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { type AnyImportKind, type ImportRecord, SUPPLY_KINDS, type SupplyKind } from '../imports/kinds';
import { type ImportPlan, planImport } from '../imports/plan';
import { readCsv } from '../imports/read-csv';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { cleanText } from '../text';
import { inTransaction } from '../transaction';
import { applySupplyPlan, type SupplyRecord, supplyRecords } from './supply-import';
import { type AssetRecord, keyOf, type LicenceRecord, type LocationRecord } from './types';

export interface ImportSummary {
  kind: AnyImportKind;
  fileName: string;
  new: number;
  updated: number;
  unchanged: number;
  rejected: Array<{ line: number; reason: string }>;
  unknownLocations: string[];
  /** Provider names a contracts or payments file uses that the school does not have. */
  unknownProviders: string[];
  ignoredColumns: string[];
  /** How the file's headings were read, when that is worth saying: one line each. */
  notes: string[];
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

const isSupply = (kind: AnyImportKind): kind is SupplyKind =>
  (SUPPLY_KINDS as readonly string[]).includes(kind);

async function existingRecords(tx: Db, schoolId: string, kind: AnyImportKind) {
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
    return { records, known, places, knownProviders: new Set<string>() };
  }
  if (isSupply(kind)) return { ...(await supplyRecords(tx, schoolId, kind)), known, places };
  const noProviders = new Set<string>();
  if (kind === 'assets')
    return { records: await assetRecords(tx, schoolId), known, places, knownProviders: noProviders };
  return {
    records: (await listLicences(tx, schoolId)).map(licenceRecordOf),
    known,
    places,
    knownProviders: noProviders,
  };
}

function summaryOf(
  kind: AnyImportKind,
  fileName: string,
  plan: ImportPlan<ImportRecord<AnyImportKind>>,
): ImportSummary {
  return {
    kind,
    fileName,
    new: plan.new.length,
    updated: plan.updated.length,
    unchanged: plan.unchanged.length,
    rejected: plan.rejected,
    unknownLocations: plan.unknownLocations,
    unknownProviders: plan.unknownProviders,
    ignoredColumns: plan.ignoredColumns,
    notes: plan.notes,
  };
}

async function plan(tx: Db, schoolId: string, kind: AnyImportKind, content: string) {
  const existing = await existingRecords(tx, schoolId, kind);
  const planned = planImport(
    kind,
    readCsv(content),
    existing.records as ReadonlyArray<ImportRecord<AnyImportKind>>,
    {
      knownLocations: existing.known,
      knownProviders: existing.knownProviders,
    },
  );
  if (!planned.ok) throw new DomainFailure({ code: 'IMPORT.REJECTED', message: planned.message });
  if (kind === 'locations')
    refuseLoops(planned as ImportPlan<LocationRecord>, existing.records as LocationRecord[]);
  refuseArchivedPlaces(kind, planned, existing.places);
  return { planned, existing };
}

/**
 * A locations file must not put a location inside itself, directly or round a loop through other
 * locations (existing or in the file): those rows are refused, like any other bad row.
 */
function refuseLoops(p: ImportPlan<LocationRecord>, existing: readonly LocationRecord[]): void {
  const key = (name: string | null) => (name ? keyOf.location({ name }) : null);
  const parent = new Map(existing.map((l) => [keyOf.location(l), key(l.parent)]));
  const rows = [...p.new, ...p.updated];
  for (const { record } of rows) parent.set(keyOf.location(record), key(record.parent));
  const inLoop = (r: LocationRecord) => {
    // A row is refused when following parents from it comes back to it.
    const self = keyOf.location(r);
    const seen = new Set<string>();
    for (let at = parent.get(self); at && !seen.has(at); at = parent.get(at)) {
      if (at === self) return true;
      seen.add(at);
    }
    return false;
  };
  const refused = rows.filter((r) => inLoop(r.record));
  if (refused.length === 0) return;
  p.new = p.new.filter((r) => !refused.includes(r));
  p.updated = p.updated.filter((r) => !refused.includes(r));
  for (const r of refused) {
    p.rejected.push({
      line: r.line,
      reason: `“${r.record.name}” would end up inside itself (through “${r.record.parent}”)`,
    });
  }
  p.rejected.sort((a, b) => a.line - b.line);
}

/**
 * Rows that would put an asset in, or a location under, an archived location are refused: the
 * forms do not offer archived places, and a file should not either. (A locations file may restore
 * a location itself by setting Archived to no.)
 */
function refuseArchivedPlaces(
  kind: AnyImportKind,
  p: ImportPlan<ImportRecord<AnyImportKind>>,
  places: ReadonlyArray<{ nameKey: string; name: string; archived: boolean }>,
): void {
  if (kind === 'licences' || isSupply(kind)) return;
  const restored = new Set(
    kind === 'locations'
      ? [...p.new, ...p.updated]
          .filter((r) => !(r.record as LocationRecord).archived)
          .map((r) => keyOf.location(r.record as LocationRecord))
      : [],
  );
  const archived = new Map(
    places.filter((l) => l.archived && !restored.has(l.nameKey)).map((l) => [l.nameKey, l.name]),
  );
  if (archived.size === 0) return;
  const placeOf = (r: ImportRecord<AnyImportKind>) =>
    kind === 'assets' ? (r as AssetRecord).location : (r as LocationRecord).parent;
  for (const list of [p.new, p.updated] as Array<
    Array<{ line: number; record: ImportRecord<AnyImportKind> }>
  >) {
    for (let i = list.length - 1; i >= 0; i--) {
      const place = placeOf(list[i]!.record);
      const name = place ? archived.get(keyOf.location({ name: place })) : undefined;
      if (name) {
        p.rejected.push({
          line: list[i]!.line,
          reason: `“${name}” is archived: restore it first, or choose another location`,
        });
        list.splice(i, 1);
      }
    }
  }
  p.rejected.sort((a, b) => a.line - b.line);
}

/** What a plan would do, as a fingerprint: the commit refuses if the register has moved on since the preview. */
function fingerprintOf(p: ImportPlan<ImportRecord<AnyImportKind>>): string {
  const text = JSON.stringify([
    p.new.map((r) => r.line),
    p.updated.map((r) => [r.line, r.changes, r.before]),
    p.unknownLocations,
    p.unknownProviders,
  ]);
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The file's name as it is stored and shown: a name is the platform's or the file system's, not
 * the SPOC's, so a control character in it is dropped rather than refused. (The content's are
 * refused row by row: see planImport.)
 */
const storableName = (fileName: string) => cleanText(fileName);

/** A preview may be committed for this long. */
const PREVIEW_TTL_MS = 24 * 60 * 60 * 1000;

/** Says what importing a file would do, changing nothing (the command line's `--dry-run`). */
export async function dryRunImport(
  ctx: Ctx,
  input: { kind: AnyImportKind; fileName: string; content: string },
): Promise<Result<ImportSummary>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  return inTransaction(ctx.db, async (tx) => {
    const { planned } = await plan(tx, ctx.actor.schoolId, input.kind, input.content);
    return summaryOf(input.kind, storableName(input.fileName), planned);
  });
}

/** Imports a file at once, all or nothing (the command line without `--dry-run`). */
export async function importFile(
  ctx: Ctx,
  input: { kind: AnyImportKind; fileName: string; content: string; createLocations: boolean },
): Promise<Result<ImportResult>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  return inTransaction(ctx.db, async (tx) => {
    await lockSchool(tx, ctx.actor.schoolId);
    return applyImport(
      { ...ctx, db: tx },
      input.kind,
      storableName(input.fileName),
      input.content,
      input.createLocations,
    );
  });
}

/** Reads and checks a file, keeps it for the commit, and says what importing it would do. */
export async function previewImport(
  ctx: Ctx,
  input: { kind: AnyImportKind; fileName: string; content: string },
): Promise<Result<ImportPreview>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  return inTransaction(ctx.db, async (tx) => {
    const { planned } = await plan(tx, ctx.actor.schoolId, input.kind, input.content);
    const fileName = storableName(input.fileName);
    const summary = summaryOf(input.kind, fileName, planned);
    // A preview with refused rows can never be committed: keep its report, not the file.
    const committable = planned.rejected.length === 0;
    const batch = await insertImportBatch(tx, {
      schoolId: ctx.actor.schoolId,
      kind: input.kind,
      fileName,
      content: committable ? input.content : '',
      createdBy: ctx.actor.personId,
      status: committable ? 'previewed' : 'discarded',
      summary: { ...summary, fingerprint: fingerprintOf(planned) },
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
    if (ctx.clock.now().getTime() - batch.createdAt.getTime() > PREVIEW_TTL_MS) {
      throw new DomainFailure({
        code: 'IMPORT.NOT_FOUND',
        message: 'That preview is more than a day old: upload the file again.',
      });
    }
    if (batch.status === 'committed') {
      throw new DomainFailure({
        code: 'IMPORT.ALREADY_DONE',
        message: `${batch.fileName} has already been imported.`,
      });
    }
    const expected = (batch.summary as { fingerprint?: string } | null)?.fingerprint;
    const result = await applyImport(
      { ...ctx, db: tx },
      batch.kind as AnyImportKind,
      batch.fileName,
      batch.content,
      input.createLocations,
      expected,
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
  kind: AnyImportKind,
  fileName: string,
  content: string,
  createLocations: boolean,
  /** The preview's fingerprint: if the plan differs now, the register has changed since the preview. */
  expectedFingerprint?: string,
): Promise<ImportResult> {
  const { db: tx, actor, clock } = ctx;
  const now = clock.now();
  const { planned, existing } = await plan(tx, actor.schoolId, kind, content);
  const summary = summaryOf(kind, fileName, planned);
  if (expectedFingerprint && fingerprintOf(planned) !== expectedFingerprint) {
    throw new DomainFailure({
      code: 'IMPORT.REJECTED',
      message:
        'Nothing was imported: the register has changed since the preview. Upload the file again to see what it would do now.',
    });
  }
  if (planned.rejected.length > 0) {
    throw new DomainFailure({
      code: 'IMPORT.REJECTED',
      message: `Nothing was imported: ${planned.rejected.length} row${planned.rejected.length === 1 ? ' is' : 's are'} refused. Fix ${planned.rejected.length === 1 ? 'it' : 'them'} and import again.`,
    });
  }
  const unknown = [...planned.unknownLocations, ...planned.unknownProviders];
  if (unknown.length > 0 && !createLocations) {
    const what = planned.unknownProviders.length > 0 ? 'providers' : 'locations';
    throw new DomainFailure({
      code: 'IMPORT.REJECTED',
      message: `Nothing was imported: the file names ${what} the school does not have (${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? '…' : ''}). Confirm to create them, or fix the file.`,
    });
  }
  if (isSupply(kind)) {
    const created = await applySupplyPlan(
      tx,
      actor,
      kind,
      planned as ImportPlan<SupplyRecord>,
      existing.records as unknown as Array<SupplyRecord & { id: string }>,
      now,
      fileName,
    );
    return { summary, createdLocations: created };
  }
  // Location ids by lower-cased name, growing as locations are created.
  const placeIds = new Map(existing.places.map((l) => [l.nameKey, l.id]));
  const createdLocations: string[] = [];
  // New locations go in whole but for their parents (set after, as a parent may be new too).
  const createPlaces = async (
    places: Array<{ name: string; defaultImpact?: LocationRecord['defaultImpact']; archived?: boolean }>,
  ) => {
    const fresh = places.filter((p) => !placeIds.has(keyOf.location(p)));
    const rows = await insertLocations(
      tx,
      fresh.map((p) => ({
        schoolId: actor.schoolId,
        name: p.name.trim(),
        nameKey: keyOf.location(p),
        defaultImpact: p.defaultImpact ?? null,
        archived: p.archived ?? false,
        createdAt: now,
      })),
    );
    for (const r of rows) placeIds.set(r.nameKey, r.id);
    createdLocations.push(...fresh.map((p) => p.name));
  };
  const named = (names: string[]) => names.map((name) => ({ name }));
  const imported = (subject: string, data: Record<string, unknown>) => ({
    schoolId: actor.schoolId,
    subject,
    actorId: actor.personId,
    kind: 'imported',
    data: { file: fileName, ...data },
    createdAt: now,
  });
  // What an import changed, field by field (a key reference only as changed, never its value).
  const changeSet = <R>(u: { before: R; record: R; changes: Array<keyof R & string> }) => ({
    changes: Object.fromEntries(
      u.changes.map((f) => [
        f,
        f === 'keyReference' ? { from: '[hidden]', to: '[hidden]' } : { from: u.before[f], to: u.record[f] },
      ]),
    ),
  });
  const placeId = (name: string | null) => (name ? (placeIds.get(keyOf.location({ name })) ?? null) : null);

  if (kind === 'locations') {
    const p = planned as ImportPlan<LocationRecord>;
    await createPlaces([
      ...p.new.map(({ record: r }) => ({
        name: r.name,
        defaultImpact: r.defaultImpact,
        archived: r.archived,
      })),
      ...named(p.unknownLocations),
    ]);
    const idOf = (name: string) => {
      const id = placeId(name);
      if (!id) throw new Error(`location ${name} vanished`);
      return id;
    };
    await setLocationParents(
      tx,
      actor.schoolId,
      p.new.flatMap(({ record }) => {
        const parentId = placeId(record.parent);
        return parentId ? [{ id: idOf(record.name), parentId }] : [];
      }),
    );
    for (const { record } of p.updated) {
      await updateLocation(tx, actor.schoolId, idOf(record.name), {
        name: record.name.trim(),
        parentId: placeId(record.parent),
        defaultImpact: record.defaultImpact,
        archived: record.archived,
      });
    }
    const listed = new Set(p.new.map((r) => keyOf.location(r.record)));
    await recordRegisterEvents(tx, [
      ...p.new.map((r) => imported(`location:${placeId(r.record.name)}`, {})),
      ...p.updated.map((u) => imported(`location:${placeId(u.record.name)}`, changeSet(u))),
      ...createdLocations
        .filter((n) => !listed.has(keyOf.location({ name: n })))
        .map((n) => imported(`location:${placeId(n)}`, { created: 'named by the file' })),
    ]);
  } else if (kind === 'assets') {
    const p = planned as ImportPlan<AssetRecord>;
    await createPlaces(named(p.unknownLocations));
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
    const rows = await insertAssets(
      tx,
      p.new.map(({ record }) => ({
        schoolId: actor.schoolId,
        ...values(record),
        createdAt: now,
        updatedAt: now,
      })),
    );
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
    const ids = new Map(
      (existing.records as Array<AssetRecord & { id: string }>).map((r) => [keyOf.asset(r), r.id]),
    );
    const changed = [];
    for (const u of p.updated) {
      const id = ids.get(keyOf.asset(u.before));
      if (!id) throw new Error(`asset ${u.before.tag} vanished`);
      await updateAsset(tx, actor.schoolId, id, { ...values(u.record), updatedAt: now });
      const changes = Object.fromEntries(u.changes.map((f) => [f, { from: u.before[f], to: u.record[f] }]));
      changed.push({
        schoolId: actor.schoolId,
        assetId: id,
        actorId: actor.personId,
        kind: 'imported',
        data: { file: fileName, changes },
        createdAt: now,
      });
    }
    await insertAssetEvents(tx, changed);
  } else {
    const p = planned as ImportPlan<LicenceRecord>;
    const values = (r: LicenceRecord) => ({
      ...r,
      title: r.title.trim(),
      publisher: r.publisher.trim(),
      licenceKey: keyOf.licence(r),
    });
    const rows = await insertLicences(
      tx,
      p.new.map(({ record }) => ({
        schoolId: actor.schoolId,
        ...values(record),
        createdAt: now,
        updatedAt: now,
      })),
    );
    await recordRegisterEvents(
      tx,
      rows.map((r) => imported(`licence:${r.id}`, {})),
    );
    const ids = new Map(
      (existing.records as Array<LicenceRecord & { id: string }>).map((r) => [keyOf.licence(r), r.id]),
    );
    const changed = [];
    for (const u of p.updated) {
      const id = ids.get(keyOf.licence(u.before));
      if (!id) throw new Error(`licence ${u.before.title} vanished`);
      await updateLicence(tx, actor.schoolId, id, { ...values(u.record), updatedAt: now });
      changed.push(imported(`licence:${id}`, changeSet(u)));
    }
    await recordRegisterEvents(tx, changed);
  }
  return { summary, createdLocations };
}

/**
 * The register's current content as records, in export order, for `toCsv`, and the columns the
 * caller may not see (key references leave the building only with office/admin).
 */
export async function registerRecords(
  ctx: Ctx,
  kind: AnyImportKind,
): Promise<Result<{ records: Array<ImportRecord<AnyImportKind>>; omit: string[] }>> {
  // Payments are the office's business; the other registers are open to technicians too.
  const permission = kind === 'payments' ? 'register.manage' : 'register.view';
  if (!can(ctx.actor.role, permission)) return fail('AUTH.FORBIDDEN', FORBIDDEN[permission]);
  const { records } = await existingRecords(ctx.db, ctx.actor.schoolId, kind);
  const withoutIds = records.map(({ id: _id, ...rest }) => rest) as Array<ImportRecord<AnyImportKind>>;
  if (kind === 'licences' && !can(ctx.actor.role, 'licence.key')) {
    return ok({
      records: (withoutIds as LicenceRecord[]).map((l) => ({ ...l, keyReference: '' })),
      omit: ['keyReference'],
    });
  }
  return ok({ records: withoutIds, omit: [] });
}
