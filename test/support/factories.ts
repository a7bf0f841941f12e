/** Builders for tests: each test makes its own school, so tests never see each other's data. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/client';
import { listActiveLocations } from '../../src/db/queries/locations';
import { setPersonRole } from '../../src/db/queries/people';
import { type Clock, fixedClock } from '../../src/domain/clock';
import type { Ctx } from '../../src/domain/context';
import type { AssetInput } from '../../src/domain/registers/assets';
import type { Role } from '../../src/domain/roles';
import { actorOf, identifySlackUser } from '../../src/domain/schools/identify';

export const T0 = '2026-11-30T09:15:00Z';

export function uniqueId(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex').toUpperCase()}`;
}

export interface TestSchool {
  schoolId: string;
  teamId: string;
  clock: ReturnType<typeof fixedClock>;
  /** A person of this school with the given role; returns a ready command context. */
  person(role: Role, name?: string, slackUserId?: string): Promise<Ctx & { slackUserId: string }>;
  locationId(name: string): Promise<string>;
}

export async function makeSchool(db: Db, opts: { clock?: Clock; teamId?: string } = {}): Promise<TestSchool> {
  const clock = fixedClock(opts.clock?.now() ?? T0);
  const teamId = opts.teamId ?? uniqueId('T');
  const first = await identifySlackUser(db, clock, {
    teamId,
    teamName: 'Hillside Primary',
    userId: uniqueId('U'),
    userName: 'Setup',
  });
  const schoolId = first.school.id;
  return {
    schoolId,
    teamId,
    clock,
    async person(role, name = `${role} person`, slackUserId = uniqueId('U')) {
      const who = await identifySlackUser(db, clock, { teamId, userId: slackUserId, userName: name });
      if (role !== 'teacher') await setPersonRole(db, schoolId, who.person.id, role, clock.now());
      return { db, clock, actor: actorOf({ ...who.person, role }), slackUserId };
    },
    async locationId(name) {
      const found = (await listActiveLocations(db, schoolId)).find((l) => l.name === name);
      if (!found) throw new Error(`no location ${name}`);
      return found.id;
    },
  };
}

/**
 * What `registerAsset` takes: an in-use Dell laptop with no location, dates, cost or notes, and
 * `overrides` over it.
 */
export function assetInput(overrides: Partial<AssetInput> = {}): AssetInput {
  return {
    tag: 'LAP-0001',
    type: 'laptop',
    make: 'Dell',
    model: 'Latitude 3440',
    serial: '',
    locationId: null,
    supplier: '',
    purchaseDate: null,
    costPence: null,
    warrantyEnd: null,
    status: 'in_use',
    notes: '',
    ...overrides,
  };
}
