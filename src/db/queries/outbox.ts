import { and, eq, getTableColumns, sql } from 'drizzle-orm';
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
 * The channel a row's message is posted to, as far as the row says, in SQL: Slack lets an app post
 * about one message a second to a channel, so the dispatcher paces its sends by this key. A DM is
 * its person's channel; a card, its thread, a reminder and a briefing go to the school's SPOC
 * channel; an announcement names its channel; a provider's channel is not in the row, so its
 * escalation's key stands for it. Null when the send posts nothing new: a card already posted is
 * updated in place, which Slack does not pace by channel, and a photo's copy is fetched, not posted.
 */
const channelKey = sql`case o.message->>'type'
    when 'person.notify' then 'dm:' || (o.message->>'personId')
    when 'diary.announce' then 'channel:' || (o.message->>'channel')
    when 'provider.escalation' then o.order_key
    when 'photos.copy' then null
    when 'incident.card' then case when exists (
        select 1 from incidents i
        where i.school_id = o.school_id and i.card_ts is not null
          and i.id = case when o.message->>'incidentId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            then (o.message->>'incidentId')::uuid end
      ) then null else 'school:' || o.school_id end
    else 'school:' || o.school_id
  end`;

/** A leased row, with the channel its send is paced by (null: not paced). */
export type LeasedRow = OutboxRow & { channelKey: string | null };

/**
 * The rows a lease may consider: pending, due, nobody holding a live lease on them, the first
 * pending row of their order key, and not for one of the `busy` channels. Walks the pending rows
 * in id order (partial index), each earlier-row check an index probe.
 */
const dueHeads = (now: Date, busy: readonly string[]) => sql`
  select id, channel_key from (
    select o.id, ${channelKey} as channel_key from ${outbox} o
    where o.status = 'pending'
      and o.next_attempt_at <= ${now.toISOString()}
      and (o.locked_until is null or o.locked_until <= ${now.toISOString()})
      and not exists (
        select 1 from ${outbox} e
        where e.order_key = o.order_key and e.status = 'pending' and e.id < o.id
      )
      -- A notice about an incident follows the card queued before it while that card is due (or
      -- being sent): the card goes first, as it was queued, and the notice can link to it. A card
      -- waiting (no SPOC channel yet, a retry later) holds nothing back.
      and (o.message->>'type' <> 'person.notify' or not coalesce((
        select c.next_attempt_at <= ${now.toISOString()} from ${outbox} c
        where c.order_key = o.school_id || ':card' || ':' || (o.message->>'incidentId')
          and c.status = 'pending' and c.id < o.id
        order by c.id limit 1
      ), false))
  ) heads
  where channel_key is null
    or channel_key <> all (array(select jsonb_array_elements_text(${JSON.stringify(busy)}::jsonb)))`;

/**
 * Leases up to `limit` due rows, at most one per channel and none for a channel in `busy` (sent to
 * too recently, or being sent to). A row is due when it is pending, its time has come, nobody
 * holds a live lease on it, and no earlier pending row shares its order key: so two rows of one
 * order key are never leased at once, by this process or any other. `skip locked` lets several
 * dispatchers work side by side without taking the same row.
 *
 * A leased row is marked in doubt until its outcome is known, so a crash mid-send leaves it so.
 * The rows returned carry `inDoubt` as it was before this lease: true when an earlier attempt may
 * have reached the platform, and its sender must look there before sending again.
 */
export async function leaseDue(
  db: Db,
  now: Date,
  leaseMs: number,
  limit: number,
  busy: readonly string[] = [],
): Promise<LeasedRow[]> {
  const until = new Date(now.getTime() + leaseMs);
  // One statement leases and returns the rows (a lease per message costs one round trip). The
  // candidates are read without locks, one per channel; the lock then checks each again (a row
  // another dispatcher leased meanwhile is skipped).
  const result = await db.execute(sql`
    with candidates as (
      ${dueHeads(now, busy)}
      order by id
      limit ${limit * 4}
    ), one_a_channel as (
      select distinct on (coalesce(channel_key, 'row:' || id)) id, channel_key from candidates
      order by coalesce(channel_key, 'row:' || id), id
    ), chosen as (
      select id, channel_key from one_a_channel order by id limit ${limit}
    ), picked as (
      select o.id, o.in_doubt, chosen.channel_key from ${outbox} o join chosen on chosen.id = o.id
      where o.status = 'pending'
        and o.next_attempt_at <= ${now.toISOString()}
        and (o.locked_until is null or o.locked_until <= ${now.toISOString()})
      for update of o skip locked
    )
    update ${outbox} set locked_until = ${until.toISOString()}, attempts = ${outbox.attempts} + 1,
      in_doubt = true
    from picked where ${outbox.id} = picked.id
    returning ${outbox}.*, picked.in_doubt as was_in_doubt, picked.channel_key as leased_channel_key`);
  return rowsOf<Record<string, unknown>>(result)
    .map((raw) => ({
      ...fromDriver(raw),
      inDoubt: raw.was_in_doubt === true,
      channelKey: typeof raw.leased_channel_key === 'string' ? raw.leased_channel_key : null,
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Which of the `paced` channels have a row due that only their pace holds back: the dispatcher
 * waits for them rather than ending its pass.
 */
export async function channelsWaiting(db: Db, now: Date, paced: readonly string[]): Promise<string[]> {
  if (paced.length === 0) return [];
  const result = await db.execute(sql`
    select distinct channel_key from (${dueHeads(now, [])}) heads
    where channel_key in (select jsonb_array_elements_text(${JSON.stringify(paced)}::jsonb))`);
  return rowsOf<{ channel_key: string }>(result).map((r) => r.channel_key);
}

const COLUMNS = Object.entries(getTableColumns(outbox));

/** A raw `returning` row (column names, driver values) as Drizzle would have selected it. */
function fromDriver(raw: Record<string, unknown>): OutboxRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of COLUMNS) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as OutboxRow;
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

/** Extends a lease still held to `until`; false when it was lost (it ran out and was taken). */
export async function renewLease(db: Db, lease: Lease, until: Date): Promise<boolean> {
  const renewed = await db
    .update(outbox)
    .set({ lockedUntil: until })
    .where(held(lease))
    .returning({ id: outbox.id });
  return renewed.length > 0;
}

/** False when the lease was lost before the mark could land. */
export async function markSent(db: Db, lease: Lease, now: Date): Promise<boolean> {
  const marked = await db
    .update(outbox)
    .set({ status: 'sent', sentAt: now, lockedUntil: null, lastError: null, inDoubt: false })
    .where(held(lease))
    .returning({ id: outbox.id });
  return marked.length > 0;
}

export interface RescheduleOptions {
  /** False for a wait that is not a failed attempt: the attempt is given back. */
  countAttempt?: boolean;
  /** The attempt may have reached the platform (it timed out, or failed after sending). */
  inDoubt?: boolean;
}

/** Tries again at `at`. */
export async function reschedule(
  db: Db,
  lease: Lease,
  at: Date,
  error: string,
  options: RescheduleOptions = {},
): Promise<void> {
  await db
    .update(outbox)
    .set({
      nextAttemptAt: at,
      lockedUntil: null,
      lastError: error,
      inDoubt: options.inDoubt ?? false,
      ...(options.countAttempt === false ? { attempts: sql`greatest(${outbox.attempts} - 1, 0)` } : {}),
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

/**
 * Whether a notice to `personId` about `incidentId` is still to be sent (it will bring their
 * status message up to date itself). Read through the pending rows of the person's order key.
 */
export async function noticePending(
  db: Db,
  schoolId: string,
  personId: string,
  incidentId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(
          outbox.orderKey,
          `${schoolId}:${orderKeyOf({ type: 'person.notify', personId, incidentId, event: 'reported' })}`,
        ),
        eq(outbox.status, 'pending'),
        sql`${outbox.message}->>'incidentId' = ${incidentId}`,
      ),
    )
    .limit(1);
  return row !== undefined;
}
