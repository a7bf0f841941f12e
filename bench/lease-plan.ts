/**
 * `tsx bench/lease-plan.ts [pending]`: the outbox lease's plan and time with a backlog of `pending`
 * rows (ten a school, half of them waiting on a retry) on the Postgres in DATABASE_URL, in a
 * throwaway database. Shows how the lease's cost follows the backlog.
 */
import { sql } from 'drizzle-orm';
import { leaseDue } from '../src/db/queries/outbox';
import { createTestDatabase } from '../test/support/db';

const pending = Number(process.argv[2] ?? 5_000);
const database = await createTestDatabase();
try {
  const schools = Math.max(Math.ceil(pending / 10), 1);
  await database.rows(sql`
    insert into schools (name, slack_team_id, slack_channel_id, created_at)
    select 'School ' || n, 'TPLAN' || n, 'CPLAN' || n, now() from generate_series(1, ${schools}) n`);
  // A history of sent rows (ten times the backlog), then the backlog: cards of incidents not yet
  // posted, ten a school, every other one waiting on a retry a minute away.
  await database.rows(sql`
    insert into outbox (school_id, order_key, message, status, next_attempt_at, created_at, sent_at)
    select s.id, s.id || ':card:' || gen_random_uuid(), jsonb_build_object('type', 'incident.card', 'incidentId', gen_random_uuid()),
      'sent', now(), now(), now()
    from schools s, generate_series(1, ${Math.round((pending * 10) / schools)}::int)`);
  await database.rows(sql`
    insert into outbox (school_id, order_key, message, next_attempt_at, created_at)
    select s.id, s.id || ':card:' || i.id, jsonb_build_object('type', 'incident.card', 'incidentId', i.id),
      case when n % 2 = 0 then now() + interval '1 minute' else now() end, now()
    from schools s, generate_series(1, 10) n, lateral (select gen_random_uuid() as id) i`);
  await database.rows(sql`analyze outbox`);
  const times: number[] = [];
  const busy: string[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const rows = await leaseDue(database.db, new Date(), 15_000, 10, busy);
    times.push(performance.now() - t);
    for (const r of rows) if (r.channelKey) busy.push(r.channelKey);
  }
  times.sort((a, b) => a - b);
  console.log(
    `backlog ${pending}: lease of 10, median ${times[10]?.toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms (${busy.length} channels busy at the end)`,
  );
} finally {
  await database.destroy();
}
