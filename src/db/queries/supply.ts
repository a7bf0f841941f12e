import { and, asc, eq, gte, lte, ne, sql } from 'drizzle-orm';
import { insertInChunks } from '../chunks';
import type { Db } from '../client';
import { contracts, diaryEntries, payments, providers, schoolHolidays } from '../schema';

export type ProviderRow = typeof providers.$inferSelect;
export type ContractRow = typeof contracts.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type DiaryRow = typeof diaryEntries.$inferSelect;
export type HolidayRow = typeof schoolHolidays.$inferSelect;

export async function listProviders(db: Db, schoolId: string): Promise<ProviderRow[]> {
  return db.select().from(providers).where(eq(providers.schoolId, schoolId)).orderBy(asc(providers.nameKey));
}

export async function getProvider(db: Db, schoolId: string, id: string): Promise<ProviderRow | undefined> {
  const [row] = await db
    .select()
    .from(providers)
    .where(and(eq(providers.schoolId, schoolId), eq(providers.id, id)));
  return row;
}

export async function insertProvider(
  tx: Db,
  values: typeof providers.$inferInsert,
): Promise<ProviderRow | undefined> {
  const [row] = await tx.insert(providers).values(values).onConflictDoNothing().returning();
  return row;
}

/**
 * Many new providers at once (an import). A row that clashes with one already there is skipped, so
 * the caller compares the count returned with the count given.
 */
export async function insertProviders(
  tx: Db,
  values: ReadonlyArray<typeof providers.$inferInsert>,
): Promise<ProviderRow[]> {
  return insertInChunks(providers, values, (chunk) =>
    tx.insert(providers).values(chunk).onConflictDoNothing().returning(),
  );
}

export async function updateProvider(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<typeof providers.$inferInsert>,
) {
  const [row] = await tx
    .update(providers)
    .set(values)
    .where(and(eq(providers.schoolId, schoolId), eq(providers.id, id)))
    .returning();
  return row;
}

export interface ContractDetail extends ContractRow {
  providerName: string;
}

export async function listContracts(db: Db, schoolId: string): Promise<ContractDetail[]> {
  const rows = await db
    .select({ contract: contracts, providerName: providers.name })
    .from(contracts)
    .innerJoin(providers, eq(providers.id, contracts.providerId))
    .where(eq(contracts.schoolId, schoolId))
    .orderBy(sql`${contracts.endDate} asc nulls last`, asc(contracts.contractKey));
  return rows.map((r) => ({ ...r.contract, providerName: r.providerName }));
}

export async function getContract(db: Db, schoolId: string, id: string): Promise<ContractRow | undefined> {
  const [row] = await db
    .select()
    .from(contracts)
    .where(and(eq(contracts.schoolId, schoolId), eq(contracts.id, id)));
  return row;
}

export async function lockContract(tx: Db, schoolId: string, id: string): Promise<ContractRow | undefined> {
  const [row] = await tx
    .select()
    .from(contracts)
    .where(and(eq(contracts.schoolId, schoolId), eq(contracts.id, id)))
    .for('update');
  return row;
}

export async function insertContract(
  tx: Db,
  values: typeof contracts.$inferInsert,
): Promise<ContractRow | undefined> {
  const [row] = await tx.insert(contracts).values(values).onConflictDoNothing().returning();
  return row;
}

/** Many new contracts at once (an import); clashes are skipped, as for insertProviders. */
export async function insertContracts(
  tx: Db,
  values: ReadonlyArray<typeof contracts.$inferInsert>,
): Promise<ContractRow[]> {
  return insertInChunks(contracts, values, (chunk) =>
    tx.insert(contracts).values(chunk).onConflictDoNothing().returning(),
  );
}

export async function updateContract(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<typeof contracts.$inferInsert>,
) {
  const [row] = await tx
    .update(contracts)
    .set(values)
    .where(and(eq(contracts.schoolId, schoolId), eq(contracts.id, id)))
    .returning();
  if (!row) throw new Error(`contract ${id} not found for update`);
  return row;
}

export async function listPayments(
  db: Db,
  schoolId: string,
  opts: { includeDone: boolean },
): Promise<PaymentRow[]> {
  const where = opts.includeDone
    ? eq(payments.schoolId, schoolId)
    : and(eq(payments.schoolId, schoolId), eq(payments.status, 'scheduled'));
  return db.select().from(payments).where(where).orderBy(asc(payments.dueDate), asc(payments.paymentKey));
}

export async function lockPayment(tx: Db, schoolId: string, id: string): Promise<PaymentRow | undefined> {
  const [row] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.schoolId, schoolId), eq(payments.id, id)))
    .for('update');
  return row;
}

export async function getPayment(db: Db, schoolId: string, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.schoolId, schoolId), eq(payments.id, id)));
  return row;
}

export async function insertPayment(
  tx: Db,
  values: typeof payments.$inferInsert,
): Promise<PaymentRow | undefined> {
  const [row] = await tx.insert(payments).values(values).onConflictDoNothing().returning();
  return row;
}

/** Many new payments at once (an import); clashes are skipped, as for insertProviders. */
export async function insertPayments(
  tx: Db,
  values: ReadonlyArray<typeof payments.$inferInsert>,
): Promise<PaymentRow[]> {
  return insertInChunks(payments, values, (chunk) =>
    tx.insert(payments).values(chunk).onConflictDoNothing().returning(),
  );
}

export async function updatePayment(
  tx: Db,
  schoolId: string,
  id: string,
  values: Partial<typeof payments.$inferInsert>,
) {
  const [row] = await tx
    .update(payments)
    .set(values)
    .where(and(eq(payments.schoolId, schoolId), eq(payments.id, id)))
    .returning();
  if (!row) throw new Error(`payment ${id} not found for update`);
  return row;
}

export async function listDiary(db: Db, schoolId: string, from: string, to: string): Promise<DiaryRow[]> {
  return db
    .select()
    .from(diaryEntries)
    .where(and(eq(diaryEntries.schoolId, schoolId), gte(diaryEntries.date, from), lte(diaryEntries.date, to)))
    .orderBy(asc(diaryEntries.date), asc(diaryEntries.createdAt));
}

export async function insertDiaryEntry(tx: Db, values: typeof diaryEntries.$inferInsert): Promise<DiaryRow> {
  const [row] = await tx.insert(diaryEntries).values(values).returning();
  if (!row) throw new Error('diary insert returned nothing');
  return row;
}

export async function listHolidays(db: Db, schoolId: string): Promise<HolidayRow[]> {
  return db
    .select()
    .from(schoolHolidays)
    .where(eq(schoolHolidays.schoolId, schoolId))
    .orderBy(asc(schoolHolidays.startDate));
}

export async function insertHoliday(
  tx: Db,
  values: typeof schoolHolidays.$inferInsert,
): Promise<HolidayRow | undefined> {
  const [row] = await tx.insert(schoolHolidays).values(values).onConflictDoNothing().returning();
  return row;
}

export async function deleteHoliday(tx: Db, schoolId: string, id: string): Promise<boolean> {
  const rows = await tx
    .delete(schoolHolidays)
    .where(and(eq(schoolHolidays.schoolId, schoolId), eq(schoolHolidays.id, id)))
    .returning();
  return rows.length > 0;
}

/** Scheduled payments other than `id` — to refuse a duplicate next instalment. */
export async function scheduledPaymentExists(
  tx: Db,
  schoolId: string,
  key: string,
  exceptId: string,
): Promise<boolean> {
  const [row] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.schoolId, schoolId), eq(payments.paymentKey, key), ne(payments.id, exceptId)));
  return Boolean(row);
}
