/** The school's locations list: add, rename, nest, set a default impact, archive. Office/admin. */
import {
  getLocation,
  insertLocation,
  type LocationRow,
  listAllLocations,
  searchLocations,
  updateLocation as updateLocationRow,
} from '../../db/queries/locations';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { IMPACTS, type Impact } from '../incidents/priority';
import { DomainFailure, fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { audit } from './audit';
import { keyOf } from './types';
import { checkText, fieldsOf } from './validate';

export const LOCATION_NAME_MAX = 100;

export interface LocationInput {
  /** Unique in the school, ignoring case and surrounding spaces. */
  name: string;
  /** The containing location (a room in a block), or null. */
  parentId: string | null;
  /** Impact of a fault reported here (the ICT suite is suite-wide), or null for the usual default. */
  defaultImpact: Impact | null;
}

const notFound = () =>
  fail('VALIDATION', 'That location is not in your school.', {
    locationId: 'Choose a location from the list.',
  });

function check(input: LocationInput): Record<string, string> {
  return fieldsOf({
    name: checkText(input.name, 'The name', LOCATION_NAME_MAX, true),
    parentId:
      input.parentId !== null && !isUuid(input.parentId) ? 'Choose a location from the list.' : undefined,
    defaultImpact:
      input.defaultImpact !== null && !IMPACTS.includes(input.defaultImpact)
        ? 'Choose who is usually affected.'
        : undefined,
  });
}

/** True when making `parentId` the parent of `id` would put a location inside itself. */
function makesCycle(all: LocationRow[], id: string, parentId: string | null): boolean {
  const byId = new Map(all.map((l) => [l.id, l]));
  for (let at = parentId, steps = 0; at && steps <= all.length; steps++) {
    if (at === id) return true;
    at = byId.get(at)?.parentId ?? null;
  }
  return false;
}

async function checkParent(ctx: Ctx, parentId: string | null): Promise<void> {
  if (parentId === null) return;
  const parent = await getLocation(ctx.db, ctx.actor.schoolId, parentId);
  if (!parent || parent.archived) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: 'Choose another parent.',
      fields: { parentId: 'That location is not available.' },
    });
  }
}

const duplicateName = (name: string) =>
  new DomainFailure({
    code: 'VALIDATION',
    message: 'That name is taken.',
    fields: { name: `There is already a location called “${name.trim()}”.` },
  });

export async function addLocation(ctx: Ctx, input: LocationInput): Promise<Result<LocationRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = check(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    await checkParent({ ...ctx, db: tx }, input.parentId);
    const row = await insertLocation(tx, {
      schoolId: ctx.actor.schoolId,
      name: input.name.trim(),
      nameKey: keyOf.location(input),
      parentId: input.parentId,
      defaultImpact: input.defaultImpact,
      createdAt: ctx.clock.now(),
    });
    if (!row) throw duplicateName(input.name);
    return audit(tx, ctx, 'added', 'location', null, row);
  });
}

export interface UpdateLocationInput extends LocationInput {
  locationId: string;
}

export async function updateLocation(ctx: Ctx, input: UpdateLocationInput): Promise<Result<LocationRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.locationId)) return notFound();
  const fields = check(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    const all = await listAllLocations(tx, ctx.actor.schoolId);
    const current = all.find((l) => l.id === input.locationId);
    if (!current) throw new DomainFailure(notFound().error);
    if (input.parentId !== current.parentId) await checkParent({ ...ctx, db: tx }, input.parentId);
    if (makesCycle(all, current.id, input.parentId)) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'A location cannot be inside itself.',
        fields: { parentId: 'That would put this location inside itself.' },
      });
    }
    const nameKey = keyOf.location(input);
    if (all.some((l) => l.id !== current.id && l.nameKey === nameKey)) throw duplicateName(input.name);
    const updated = await updateLocationRow(tx, ctx.actor.schoolId, current.id, {
      name: input.name.trim(),
      nameKey,
      parentId: input.parentId,
      defaultImpact: input.defaultImpact,
    });
    return audit(tx, ctx, 'edited', 'location', current, updated);
  });
}

/**
 * Archives (or restores) a location. Locations are never deleted: assets and incidents keep
 * pointing at them, and an archived one simply leaves the drop-downs.
 */
export async function setLocationArchived(
  ctx: Ctx,
  input: { locationId: string; archived: boolean },
): Promise<Result<LocationRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.locationId)) return notFound();
  return inTransaction(ctx.db, async (tx) => {
    const current = await getLocation(tx, ctx.actor.schoolId, input.locationId);
    if (!current) throw new DomainFailure(notFound().error);
    const updated = await updateLocationRow(tx, ctx.actor.schoolId, current.id, { archived: input.archived });
    return audit(tx, ctx, input.archived ? 'archived' : 'restored', 'location', current, updated);
  });
}

/** Every location with its parent's name, for `/spoc locations` and the export. */
export async function listLocationsWithParents(
  ctx: Ctx,
): Promise<Result<Array<LocationRow & { parentName: string | null }>>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  const all = await listAllLocations(ctx.db, ctx.actor.schoolId);
  const names = new Map(all.map((l) => [l.id, l.name]));
  return {
    ok: true,
    value: all.map((l) => ({ ...l, parentName: l.parentId ? (names.get(l.parentId) ?? null) : null })),
  };
}

/** One location of the caller's school, for the edit form. */
export async function getLocationFor(ctx: Ctx, input: { locationId: string }): Promise<Result<LocationRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const row = isUuid(input.locationId)
    ? await getLocation(ctx.db, ctx.actor.schoolId, input.locationId)
    : undefined;
  return row ? { ok: true, value: row } : notFound();
}

/** Active locations whose name contains the text, for a type-ahead select (at most 100). */
export async function searchLocationNames(ctx: Ctx, input: { query: string }): Promise<LocationRow[]> {
  return searchLocations(ctx.db, ctx.actor.schoolId, input.query, 100);
}
