import { and, eq, inArray, sql } from 'drizzle-orm';
import { type OutboxMessage, orderKeyOf } from '../../domain/messages';
import { type Db, rowsOf } from '../client';
import { outbox } from '../schema';

export type OutboxRow = typeof outbox.$inferSelect;

/** Writes messages to deliver; call inside the transaction that made the change. */
export async function enqueue(tx: Db, schoolId: string, messages: OutboxMessage[], now: Date): Promise<void> {
  if (messages.length === 0) return;
  await tx.insert(outbox).values(
    messages.map((message) => ({
      schoolId,
      // Keys are per school: two schools' digests for the same week must not queue behind each other.
      orderKey: `${schoolId}:${orderKeyOf(message)}`,
      message: message as unknown as Record<string, unknown>,
      nextAttemptAt: now,
      createdAt: now,
    })),
  );
}

/**
 * Leases up to `limit` due rows. A row is due when it is pending, its time has come, nobody holds
 * a live lease on it, and no earlier pending row shares its order key. `skip locked` lets several
 * dispatchers work side by side without taking the same row.
 */
export async function leaseDue(db: Db, now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  const until = new Date(now.getTime() + leaseMs);
  const result = await db.execute(sql`
    update ${outbox} set locked_until = ${until.toISOString()}, attempts = ${outbox.attempts} + 1
    where ${outbox.id} in (
      select o.id from ${outbox} o
      where o.status = 'pending'
        and o.next_attempt_at <= ${now.toISOString()}
        and (o.locked_until is null or o.locked_until <= ${now.toISOString()})
        and not exists (
          select 1 from ${outbox} e
          where e.order_key = o.order_key and e.status = 'pending' and e.id < o.id
        )
      order by o.id
      limit ${limit}
      for update skip locked
    )
    returning id`);
  const ids = rowsOf<{ id: number | string }>(result).map((r) => Number(r.id));
  if (ids.length === 0) return [];
  const rows = await db.select().from(outbox).where(inArray(outbox.id, ids));
  return rows.sort((a, b) => a.id - b.id);
}

/** A row as leased: updates apply only while the lease is still the one we took. */
export interface Lease {
  id: number;
  lockedUntil: Date | null;
}

const held = (lease: Lease) =>
  and(
    eq(outbox.id, lease.id),
    lease.lockedUntil ? eq(outbox.lockedUntil, lease.lockedUntil) : sql`${outbox.lockedUntil} is null`,
  );

export async function markSent(db: Db, lease: Lease, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', sentAt: now, lockedUntil: null, lastError: null })
    .where(held(lease));
}

/** Tries again at `at`; a wait that is not a failed attempt (`countAttempt` false) gives the attempt back. */
export async function reschedule(
  db: Db,
  lease: Lease,
  at: Date,
  error: string,
  countAttempt = true,
): Promise<void> {
  await db
    .update(outbox)
    .set({
      nextAttemptAt: at,
      lockedUntil: null,
      lastError: error,
      ...(countAttempt ? {} : { attempts: sql`greatest(${outbox.attempts} - 1, 0)` }),
    })
    .where(held(lease));
}

/** Gives up on a message that can never be delivered (recorded, never silently dropped). */
export async function markDead(db: Db, lease: Lease, error: string): Promise<void> {
  await db.update(outbox).set({ status: 'dead', lockedUntil: null, lastError: error }).where(held(lease));
}

/** Makes a school's waiting messages due now (e.g. once its SPOC channel is set). */
export async function wakeSchool(db: Db, schoolId: string, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ nextAttemptAt: now })
    .where(and(eq(outbox.schoolId, schoolId), eq(outbox.status, 'pending')));
}

export async function countPending(db: Db, schoolId?: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(
      schoolId
        ? and(eq(outbox.status, 'pending'), eq(outbox.schoolId, schoolId))
        : eq(outbox.status, 'pending'),
    );
  return row?.n ?? 0;
}
