/**
 * The supply registers (providers, contracts, payments) as import/export records, and applying
 * an import plan of them inside the caller's transaction.
 */
import type { Db } from '../../db/client';
import { recordRegisterEvents } from '../../db/queries/register-events';
import {
  insertContract,
  insertPayment,
  insertProvider,
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

/** Applies a supply plan; unknown providers are created (as suppliers) only when `createMissing`. */
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
  const created: string[] = [];
  const event = (subject: string, data: Record<string, unknown>) => ({
    schoolId,
    subject,
    actorId: actor.personId,
    kind: 'imported',
    data: { file: fileName, ...data },
    createdAt: now,
  });
  const ensureProvider = async (name: string | null): Promise<string | null> => {
    if (!name) return null;
    const key = supplyKeyOf.provider({ name });
    const known = providerIds.get(key);
    if (known) return known;
    const row = saved(
      await insertProvider(tx, {
        schoolId,
        name: name.trim(),
        nameKey: key,
        level: 'supplier',
        createdAt: now,
        updatedAt: now,
      }),
      `provider ${name}`,
    );
    providerIds.set(key, row.id);
    created.push(name.trim());
    await recordRegisterEvents(tx, [event(`provider:${row.id}`, { created: 'named by the file' })]);
    return row.id;
  };
  const idOf = new Map(existing.map((r) => [keyFor(kind, r), r.id]));
  const rows = [...plan.new.map((r) => ({ ...r, before: null })), ...plan.updated];
  for (const row of rows) {
    const record = row.record;
    const id = row.before ? idOf.get(keyFor(kind, row.before)) : undefined;
    const changes = 'changes' in row ? { changes: row.changes } : {};
    if (kind === 'providers') {
      const r = record as ProviderRecord;
      const values = { ...r, name: r.name.trim(), nameKey: supplyKeyOf.provider(r), updatedAt: now };
      const provider = id
        ? saved(await updateProvider(tx, schoolId, id, values), `provider ${r.name}`)
        : saved(await insertProvider(tx, { schoolId, ...values, createdAt: now }), `provider ${r.name}`);
      providerIds.set(values.nameKey, provider.id);
      await recordRegisterEvents(tx, [event(`provider:${provider.id}`, changes)]);
      continue;
    }
    if (kind === 'contracts') {
      const r = record as ContractRecord;
      const providerId = await ensureProvider(r.provider);
      if (!providerId) throw new Error('a contract needs a provider');
      const { provider: _p, ...rest } = r;
      const values = {
        ...rest,
        title: r.title.trim(),
        providerId,
        contractKey: supplyKeyOf.contract(r),
        updatedAt: now,
      };
      const contract = id
        ? await updateContract(tx, schoolId, id, values)
        : saved(await insertContract(tx, { schoolId, ...values, createdAt: now }), `contract ${r.title}`);
      await recordRegisterEvents(tx, [event(`contract:${contract.id}`, changes)]);
      continue;
    }
    const r = record as PaymentRecord;
    const { provider, ...rest } = r;
    const values = {
      ...rest,
      payee: r.payee.trim(),
      providerId: await ensureProvider(provider),
      paymentKey: supplyKeyOf.payment(r),
      updatedAt: now,
    };
    const payment = id
      ? await updatePayment(tx, schoolId, id, values)
      : saved(await insertPayment(tx, { schoolId, ...values, createdAt: now }), `payment to ${r.payee}`);
    await recordRegisterEvents(tx, [event(`payment:${payment.id}`, changes)]);
  }
  return created;
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
