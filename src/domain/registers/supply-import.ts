/**
 * The supply registers (providers, contracts, payments) as import/export records, and applying
 * an import plan of them inside the caller's transaction.
 */
import type { Db } from '../../db/client';
import { recordRegisterEvents } from '../../db/queries/register-events';
import {
  insertContracts,
  insertPayments,
  insertProviders,
  listContracts,
  listPayments,
  listProviders,
  updateContract,
  updatePayment,
  updateProvider,
} from '../../db/queries/supply';
import type { Actor } from '../context';
import type { ImportPlan } from '../imports/plan';
import type { ContractRecord, PaymentRecord, ProviderRecord } from '../imports/supply-records';
import { supplyKeyOf } from './supply-keys';

export type SupplyRecord = ProviderRecord | ContractRecord | PaymentRecord;

export async function supplyRecords(tx: Db, schoolId: string, kind: 'providers' | 'contracts' | 'payments') {
  const list = await listProviders(tx, schoolId);
  const providerName = new Map(list.map((p) => [p.id, p.name]));
  const knownProviders = new Set(list.map((p) => p.nameKey));
  if (kind === 'providers') {
    const records = list.map((p) => ({
      id: p.id,
      name: p.name,
      level: p.level,
      contactName: p.contactName,
      email: p.email,
      phone: p.phone,
      chatChannel: p.chatChannel,
      notes: p.notes,
    }));
    return { records, knownProviders };
  }
  if (kind === 'contracts') {
    const records = (await listContracts(tx, schoolId)).map((c) => ({
      id: c.id,
      provider: c.providerName,
      title: c.title,
      service: c.service,
      startDate: c.startDate,
      endDate: c.endDate,
      noticeDays: c.noticeDays,
      autoRenews: c.autoRenews,
      valuePence: c.valuePence,
      responseTargetHours: c.responseTargetHours,
      status: c.status,
      notes: c.notes,
    }));
    return { records, knownProviders };
  }
  const records = (await listPayments(tx, schoolId, { includeDone: true })).map((p) => ({
    id: p.id,
    payee: p.payee,
    provider: p.providerId ? (providerName.get(p.providerId) ?? null) : null,
    amountPence: p.amountPence,
    dueDate: p.dueDate,
    recurrence: p.recurrence,
    status: p.status,
    paidDate: p.paidDate,
    reference: p.reference,
    notes: p.notes,
  }));
  return { records, knownProviders };
}

/**
 * Applies a supply plan; unknown providers are created (as suppliers) only when `createMissing`.
 * New rows, the providers they name and the history events go in as bulk inserts (chunked to fit
 * a statement, see db/chunks.ts), so a file at the import limit is a few dozen statements;
 * updated rows are written one by one.
 */
export async function applySupplyPlan(
  tx: Db,
  actor: Actor,
  kind: 'providers' | 'contracts' | 'payments',
  plan: ImportPlan<SupplyRecord>,
  existing: ReadonlyArray<SupplyRecord & { id: string }>,
  now: Date,
  fileName: string,
): Promise<string[]> {
  const schoolId = actor.schoolId;
  const providerIds = new Map((await listProviders(tx, schoolId)).map((p) => [p.nameKey, p.id]));
  const event = (subject: string, data: Record<string, unknown>) => ({
    schoolId,
    subject,
    actorId: actor.personId,
    kind: 'imported',
    data: { file: fileName, ...data },
    createdAt: now,
  });
  const events: Array<ReturnType<typeof event>> = [];
  const idOf = new Map(existing.map((r) => [keyFor(kind, r), r.id]));
  const idBefore = (before: SupplyRecord) => {
    const id = idOf.get(keyFor(kind, before));
    if (!id) throw new Error(`${kind} row ${keyFor(kind, before)} vanished`);
    return id;
  };
  const fresh = plan.new.map((r) => r.record);

  if (kind === 'providers') {
    const valuesOf = (r: ProviderRecord) => ({
      ...r,
      name: r.name.trim(),
      nameKey: supplyKeyOf.provider(r),
      updatedAt: now,
    });
    const added = await insertProviders(
      tx,
      (fresh as ProviderRecord[]).map((r) => ({ schoolId, ...valuesOf(r), createdAt: now })),
    );
    allSaved(added, fresh.length, 'providers');
    events.push(...added.map((p) => event(`provider:${p.id}`, {})));
    for (const u of plan.updated) {
      const r = u.record as ProviderRecord;
      const provider = saved(
        await updateProvider(tx, schoolId, idBefore(u.before), valuesOf(r)),
        `provider ${r.name}`,
      );
      events.push(event(`provider:${provider.id}`, { changes: u.changes }));
    }
    await recordRegisterEvents(tx, events);
    return [];
  }

  // Providers the new and updated rows name that the school does not have, as first spelt.
  const missing = new Map<string, string>();
  for (const { record } of [...plan.new, ...plan.updated]) {
    const name = (record as ContractRecord | PaymentRecord).provider?.trim();
    if (!name) continue;
    const key = supplyKeyOf.provider({ name });
    if (!providerIds.has(key) && !missing.has(key)) missing.set(key, name);
  }
  const createdProviders = await insertProviders(
    tx,
    [...missing].map(([nameKey, name]) => ({
      schoolId,
      name,
      nameKey,
      level: 'supplier' as const,
      createdAt: now,
      updatedAt: now,
    })),
  );
  allSaved(createdProviders, missing.size, 'providers');
  for (const p of createdProviders) providerIds.set(p.nameKey, p.id);
  events.push(...createdProviders.map((p) => event(`provider:${p.id}`, { created: 'named by the file' })));
  const providerId = (name: string | null) =>
    name ? (providerIds.get(supplyKeyOf.provider({ name })) ?? null) : null;

  if (kind === 'contracts') {
    const valuesOf = (r: ContractRecord) => {
      const { provider, ...rest } = r;
      const id = providerId(provider);
      if (!id) throw new Error('a contract needs a provider');
      return {
        ...rest,
        title: r.title.trim(),
        providerId: id,
        contractKey: supplyKeyOf.contract(r),
        updatedAt: now,
      };
    };
    const added = await insertContracts(
      tx,
      (fresh as ContractRecord[]).map((r) => ({ schoolId, ...valuesOf(r), createdAt: now })),
    );
    allSaved(added, fresh.length, 'contracts');
    events.push(...added.map((c) => event(`contract:${c.id}`, {})));
    for (const u of plan.updated) {
      const contract = await updateContract(
        tx,
        schoolId,
        idBefore(u.before),
        valuesOf(u.record as ContractRecord),
      );
      events.push(event(`contract:${contract.id}`, { changes: u.changes }));
    }
  } else {
    const valuesOf = (r: PaymentRecord) => {
      const { provider, ...rest } = r;
      return {
        ...rest,
        payee: r.payee.trim(),
        providerId: providerId(provider),
        paymentKey: supplyKeyOf.payment(r),
        updatedAt: now,
      };
    };
    const added = await insertPayments(
      tx,
      (fresh as PaymentRecord[]).map((r) => ({ schoolId, ...valuesOf(r), createdAt: now })),
    );
    allSaved(added, fresh.length, 'payments');
    events.push(...added.map((p) => event(`payment:${p.id}`, {})));
    for (const u of plan.updated) {
      const payment = await updatePayment(
        tx,
        schoolId,
        idBefore(u.before),
        valuesOf(u.record as PaymentRecord),
      );
      events.push(event(`payment:${payment.id}`, { changes: u.changes }));
    }
  }
  await recordRegisterEvents(tx, events);
  return [...missing.values()];
}

/** A bulk insert skips a row that clashes with one already there; an import then stops, all or nothing. */
function allSaved(rows: readonly unknown[], expected: number, what: string): void {
  if (rows.length !== expected)
    throw new Error(`could not save ${expected - rows.length} of ${expected} ${what}`);
}

/** An import is all or nothing: a row that could not be written (a clash) stops it. */
function saved<T>(row: T | undefined, what: string): T {
  if (!row) throw new Error(`could not save ${what}`);
  return row;
}

function keyFor(kind: 'providers' | 'contracts' | 'payments', r: SupplyRecord): string {
  if (kind === 'providers') return supplyKeyOf.provider(r as ProviderRecord);
  if (kind === 'contracts') return supplyKeyOf.contract(r as ContractRecord);
  return supplyKeyOf.payment(r as PaymentRecord);
}
