/**
 * Every import kind at its documented limit (MAX_IMPORT_ROWS new rows): the whole file goes in,
 * with one history event per row. Postgres caps a statement at 65,534 parameters, so an unchunked
 * bulk insert of that many rows (or of their events) is refused there.
 */
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client';
import {
  assetEvents,
  assets,
  contracts,
  licences,
  locations,
  payments,
  providers,
  registerEvents,
} from '../../../src/db/schema';
import { ALL_IMPORT_KINDS, type AnyImportKind } from '../../../src/domain/imports/kinds';
import { MAX_IMPORT_ROWS, readCsv } from '../../../src/domain/imports/read-csv';
import { importFile } from '../../../src/domain/registers/import-register';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';
import { must } from '../../support/wait';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});

const N = MAX_IMPORT_ROWS;
const pad = (i: number) => String(i).padStart(5, '0');

/** A file of `N` new rows of each kind, built in memory. */
const FILES: Record<AnyImportKind, () => string> = {
  // 20 blocks, then rooms inside them (parents named earlier in the same file).
  locations: () =>
    csv('Name,Parent,Default impact', (i) =>
      i <= 20 ? `Block ${i},,Suite / department` : `Room ${pad(i)},Block ${(i % 20) + 1},`,
    ),
  // Across 40 rooms the file creates.
  assets: () =>
    csv(
      'Asset Tag,Type,Make,Model,Serial No.,Room,Purchase Date,Cost (£),Warranty',
      (i) => `LAP-${pad(i)},Laptop,Dell,Latitude,SN${i},Room ${(i % 40) + 1},01/09/2024,£499.00,31/08/2027`,
    ),
  licences: () =>
    csv(
      'Software,Publisher,Seats,Expires,Cost',
      (i) => `App ${pad(i)},Publisher ${i % 50},30,31/08/2027,£120.00`,
    ),
  providers: () =>
    csv('Supplier,Level,Email', (i) => `Supplier ${pad(i)},Supplier,help${i}@supplier.example`),
  // Across 50 providers the file creates.
  contracts: () =>
    csv(
      'Supplier,Contract,Start Date,End Date,Notice (days),Value',
      (i) => `Provider ${i % 50},Contract ${pad(i)},01/09/2026,31/08/2027,90,£1000`,
    ),
  payments: () =>
    csv(
      'Payee,Provider,Amount,Due date,Reference',
      (i) => `Payee ${i % 100},Provider ${i % 50},£25.00,01/09/2027,INV-${pad(i)}`,
    ),
};

function csv(header: string, row: (i: number) => string): string {
  const lines = [header];
  for (let i = 1; i <= N; i++) lines.push(row(i));
  return `${lines.join('\r\n')}\r\n`;
}

/** The rows of the kind's register and its history events, for one school. */
async function counted(db: Db, schoolId: string, kind: AnyImportKind) {
  const count = async (query: Promise<Array<{ n: number }>>) => (await query)[0]?.n ?? 0;
  const n = sql<number>`count(*)::int`;
  const events = (prefix: string) =>
    count(
      db
        .select({ n })
        .from(registerEvents)
        .where(and(eq(registerEvents.schoolId, schoolId), like(registerEvents.subject, `${prefix}:%`))),
    );
  switch (kind) {
    case 'locations':
      return {
        rows: await count(db.select({ n }).from(locations).where(eq(locations.schoolId, schoolId))),
        events: await events('location'),
      };
    case 'assets':
      return {
        rows: await count(db.select({ n }).from(assets).where(eq(assets.schoolId, schoolId))),
        events: await count(db.select({ n }).from(assetEvents).where(eq(assetEvents.schoolId, schoolId))),
      };
    case 'licences':
      return {
        rows: await count(db.select({ n }).from(licences).where(eq(licences.schoolId, schoolId))),
        events: await events('licence'),
      };
    case 'providers':
      return {
        rows: await count(db.select({ n }).from(providers).where(eq(providers.schoolId, schoolId))),
        events: await events('provider'),
      };
    case 'contracts':
      return {
        rows: await count(db.select({ n }).from(contracts).where(eq(contracts.schoolId, schoolId))),
        events: await events('contract'),
      };
    case 'payments':
      return {
        rows: await count(db.select({ n }).from(payments).where(eq(payments.schoolId, schoolId))),
        events: await events('payment'),
      };
  }
}

describe(`imports at the documented limit (${N.toLocaleString('en-GB')} rows)`, { timeout: 120_000 }, () => {
  it('is the limit the file reader enforces', () => {
    expect(N).toBe(20_000);
    const over = readCsv(`Name\n${Array.from({ length: N + 1 }, (_, i) => `Room ${i}`).join('\n')}\n`);
    expect(over).toMatchObject({ ok: false, message: expect.stringContaining('20,000 rows') });
  });

  it.each(ALL_IMPORT_KINDS)('imports %s in full, with an event for each row', async (kind) => {
    const school = await makeSchool(tdb.db);
    const office = await school.person('office');
    // A new school starts with a few preset locations.
    const before = await counted(tdb.db, school.schoolId, kind);
    const content = FILES[kind]();
    const done = must(
      await importFile(office, { kind, fileName: `${kind}.csv`, content, createLocations: true }),
    );
    expect(done.summary).toMatchObject({ new: N, updated: 0, unchanged: 0, rejected: [] });
    // What the import created beside its rows: the rooms assets name, the providers contracts and
    // payments name (a locations import counts its own new locations).
    const created = { locations: N, assets: 40, licences: 0, providers: 0, contracts: 50, payments: 50 }[
      kind
    ];
    expect(done.createdLocations).toHaveLength(created);

    const after = await counted(tdb.db, school.schoolId, kind);
    expect(after).toEqual({ rows: before.rows + N, events: before.events + N });
  });
});
