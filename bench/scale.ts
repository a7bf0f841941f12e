/**
 * The reminder pass and the service report at the scale of a local authority, on Postgres:
 * 500 schools, 2.5 million incidents (2% open), 50,000 payments, 25,000 contracts, 200,000 assets,
 * with the people, locations, providers, licences, escalations, diary entries, term dates and sent
 * reminder history the rules read. Everything is generated in SQL with `generate_series`, in a
 * throwaway database of its own (dropped at the end), migrated with the project's migrations.
 *
 * What it measures, as of a fixed school-time moment (Monday 30 Nov 2026, 10:00 London, the
 * week's first school day, so every school's pass also makes the week's digest):
 *  1. 50 schools in the database, all with a SPOC channel: the pass.
 *  2. 500 schools in the database, the same 50 with a SPOC channel: the pass (the tables are ten
 *     times larger, what is due is the same).
 *  3. 500 schools, all with a SPOC channel: the pass over all of them.
 *  4. The service report (`spoc report term`) for one school: in process, and the command line.
 * Each pass is measured as "first" (the first pass of the day: every due reminder is new, so it is
 * recorded, added to the briefing and queued; what it recorded is deleted before the next run) and
 * "repeat" (the passes 15, 30 and 45 minutes later, which find nearly everything already sent).
 *
 * Run: `npx tsx bench/scale.ts [--schools N] [--runs R] [--explain] [--keep]` (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres, names the server; the bench never writes to that
 * database). `--explain` prints each distinct statement's plan (auto_explain, ANALYZE and BUFFERS)
 * of one repeat pass over all schools and of one report; `--keep` leaves the database for a look.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type Db, openDatabase } from '../src/db/client';
import * as schema from '../src/db/schema';
import { fixedClock } from '../src/domain/clock';
import { serviceReport } from '../src/domain/reports/run-service-report';
import { silentLogger } from '../src/log';
import { runReminderPass } from '../src/worker/reminder-pass';

/** Monday 30 November 2026, 10:00 in London (GMT): school time, autumn term. */
export const SCALE_NOW = new Date('2026-11-30T10:00:00Z');
const TODAY = '2026-11-30';

const PER_SCHOOL = {
  incidents: 5000,
  /** The newest 2% of each school's incidents are open. */
  open: 100,
  payments: 100,
  contracts: 50,
  assets: 400,
  people: 40,
  locations: 30,
  providers: 5,
  licences: 20,
  diary: 60,
  sentHistory: 1000,
};

/** Schools whose data is generated in one statement per table (their incidents interleaved by time). */
const CHUNK = 50;

export interface Timing {
  runs: number[];
  /** Reminders posted (first) or posted in all (repeat) by the runs, for the record. */
  posted: number[];
}

export interface PassPhase {
  schoolsInDatabase: number;
  schoolsWithChannel: number;
  /** The Friday pass before (run once per phase: for schools new to it, everything due is new). */
  friday: { ms: number; posted: number };
  first: Timing;
  repeat: Timing;
}

export interface ScaleResult {
  schools: number;
  now: string;
  rows: Record<string, number>;
  generateSeconds: number;
  databaseBytes: number;
  passes: PassPhase[];
  /** Time of the pass over 50 schools with 500 in the database over the pass with 50 in it (medians, first passes). */
  ratioTables: number;
  /** The full pass over all schools over the pass over 50 (medians, first passes): ten times what is due. */
  ratioSchools: number;
  report: {
    school: string;
    incidents: number;
    inProcessMs: number[];
    /** `npm run spoc -- report term --school S`, the whole process. */
    cliMs: number[];
    /** `npm run spoc -- migrate`: the process starting, opening the database and checking migrations. */
    cliFloorMs: number[];
  };
  /** One repeat pass with 50 of the schools having a channel, one over all of them, one report. */
  plans?: { passFew: string[]; pass: string[]; report: string[] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const school = (s: string) => `md5('school:' || ${s})::uuid`;
const ref = (kind: string, s: string, k: string) => `md5('${kind}:' || ${s} || ':' || ${k})::uuid`;

/** The term breaks and half-terms of 2025–27, the same for every school. */
const HOLIDAYS = [
  ['2025-07-23', '2025-09-02', 'Summer holiday'],
  ['2025-10-25', '2025-11-02', 'October half-term'],
  ['2025-12-20', '2026-01-04', 'Christmas holiday'],
  ['2026-02-14', '2026-02-22', 'February half-term'],
  ['2026-03-28', '2026-04-12', 'Easter holiday'],
  ['2026-05-23', '2026-05-31', 'May half-term'],
  ['2026-07-22', '2026-09-01', 'Summer holiday'],
  ['2026-10-24', '2026-11-01', 'October half-term'],
  ['2026-12-19', '2027-01-04', 'Christmas holiday'],
];

/** The statements that make schools a..b (inclusive), each with a name for the progress line. */
export function generation(a: number, b: number, withChannel: boolean): Array<[string, string]> {
  const now = `timestamptz '${SCALE_NOW.toISOString()}'`;
  const today = `date '${TODAY}'`;
  const schools = `generate_series(${a}, ${b}) s`;
  const P = PER_SCHOOL;
  const h = `((s * 7919 + n * 104729) % 100)`;
  return [
    [
      'schools, term dates, people, locations, providers',
      `insert into schools (id, name, slack_team_id, slack_channel_id, created_at)
         select ${school('s')}, 'Bench School ' || s, 'TB' || s, ${withChannel ? `'CB' || s` : 'null'}, ${now} - interval '6 years'
         from ${schools};
       insert into school_holidays (school_id, start_date, end_date, name, created_at)
         select ${school('s')}, h.f::date, h.t::date, h.name, ${now} - interval '2 years'
         from ${schools}, (values ${HOLIDAYS.map(([f, t, n]) => `('${f}', '${t}', '${n}')`).join(', ')}) h(f, t, name);
       insert into people (id, school_id, slack_user_id, display_name, role, created_at, updated_at)
         select ${ref('person', 's', 'k')}, ${school('s')}, 'UB' || s || 'X' || k, 'Person ' || k || ' of ' || s,
           (case when k = 1 then 'admin' when k = 2 then 'office' when k <= 4 then 'technician' else 'teacher' end)::role,
           ${now} - interval '5 years', ${now} - interval '5 years'
         from ${schools}, generate_series(1, ${P.people}) k;
       insert into locations (id, school_id, name, name_key, created_at)
         select ${ref('location', 's', 'k')}, ${school('s')}, 'Room ' || k, 'room ' || k, ${now} - interval '5 years'
         from ${schools}, generate_series(1, ${P.locations}) k;
       insert into providers (id, school_id, name, name_key, level, email, created_at, updated_at)
         select ${ref('provider', 's', 'k')}, ${school('s')}, 'Provider ' || k, 'provider ' || k,
           (array['first', 'second', 'supplier', 'second', 'supplier'])[k]::provider_level,
           'help' || k || '@provider.example', ${now} - interval '5 years', ${now} - interval '5 years'
         from ${schools}, generate_series(1, ${P.providers}) k`,
    ],
    [
      'contracts, payments, licences, diary, sent reminder history',
      // Contracts end from two years ago to three years ahead, with 0–90 days' notice; most past
      // ones are ended. Payments fall due from nine months ago to three months ahead: the past ones
      // paid but a few, the future ones scheduled.
      `insert into contracts (id, school_id, provider_id, title, contract_key, service, start_date, end_date,
           notice_days, auto_renews, value_pence, response_target_hours, status, created_at, updated_at)
         select ${ref('contract', 's', 'k')}, ${school('s')}, ${ref('provider', 's', '(1 + (k - 1) % 5)')},
           'Contract ' || k, 'provider ' || (1 + (k - 1) % 5) || '|contract ' || k, 'Support',
           e - 1095, e, (array[0, 30, 60, 90])[1 + k % 4], k % 3 = 0, 100000 + k * 1000,
           case when (k - 1) % 5 in (1, 3) then 8 end,
           (case when e < ${today} then case when k % 10 = 0 then 'active' else 'ended' end
                 when k % 15 = 0 then 'cancelling' else 'active' end)::contract_status,
           ${now} - interval '3 years', ${now} - interval '3 years'
         from ${schools}, generate_series(1, ${P.contracts}) k,
           lateral (select ${today} - 730 + ((k - 1) * 1826 / ${P.contracts}) + ((s * 7 + k * 13) % 37) as e) d;
       insert into payments (id, school_id, payee, provider_id, amount_pence, due_date, status, paid_date, reference,
           payment_key, created_at, updated_at)
         select ${ref('payment', 's', 'k')}, ${school('s')}, 'Provider ' || (1 + (k - 1) % 5),
           ${ref('provider', 's', '(1 + (k - 1) % 5)')}, 10000 + k * 731, due,
           (case when due < ${today} and k % 40 <> 0 then 'paid' else 'scheduled' end)::payment_status,
           case when due < ${today} and k % 40 <> 0 then due end, 'INV-' || s || '-' || k,
           lower('provider ' || (1 + (k - 1) % 5) || '|' || due || '|inv-' || s || '-' || k),
           ${now} - interval '1 year', ${now} - interval '1 year'
         from ${schools}, generate_series(1, ${P.payments}) k,
           lateral (select ${today} - 270 + ((k - 1) * 365 / ${P.payments}) + (s % 7) as due) d;
       insert into licences (id, school_id, title, publisher, licence_key, type, quantity, seats_in_use, expiry_date,
           created_at, updated_at)
         select ${ref('licence', 's', 'k')}, ${school('s')}, 'Licence ' || k, 'Publisher',
           'licence ' || k || '|publisher', t::licence_type, case when t = 'site' then null else 100 end,
           case when k % 7 = 0 then 110 else 80 end, ${today} - 60 + k * 25 + (s % 11),
           ${now} - interval '2 years', ${now} - interval '2 years'
         from ${schools}, generate_series(1, ${P.licences}) k,
           lateral (select (array['per_device', 'per_user', 'site', 'concurrent', 'subscription'])[1 + k % 5] as t) d;
       insert into diary_entries (school_id, date, title, kind, created_at, updated_at)
         select ${school('s')}, ${today} - 180 + (k - 1) * 4, 'Visit ' || k,
           (array['implementation', 'delivery', 'visit', 'maintenance', 'other'])[1 + k % 5]::diary_kind,
           ${now} - interval '1 year', ${now} - interval '1 year'
         from ${schools}, generate_series(1, ${P.diary}) k;
       insert into sent_reminders (school_id, key, created_at)
         select ${school('s')}, 'history:' || k, ${now} - (${P.sentHistory} - k) * interval '4 hours'
         from ${schools}, generate_series(1, ${P.sentHistory}) k`,
    ],
    [
      'assets',
      // Warranties end from three years ago to two years ahead; 4% disposed.
      `insert into assets (id, school_id, tag, tag_key, type, make, model, serial, location_id, purchase_date,
           warranty_end, status, created_at, updated_at)
         select ${ref('asset', 's', 'k')}, ${school('s')}, 'S' || s || '-' || k, 's' || s || '-' || k,
           (array['desktop', 'laptop', 'tablet', 'interactive_display', 'projector', 'printer', 'network',
                  'server', 'phone', 'other'])[1 + k % 10]::asset_type,
           'Make', 'Model ' || (k % 12), 'SN' || s || 'X' || k, ${ref('location', 's', '(1 + k % 30)')},
           w - 1095, w,
           (case when k % 25 = 0 then 'disposed' when k % 30 = 0 then 'spare' else 'in_use' end)::asset_status,
           ${now} - interval '4 years', ${now} - interval '4 years'
         from ${schools}, generate_series(1, ${P.assets}) k,
           lateral (select ${today} - 1095 + ((k - 1) * 1826 / ${P.assets}) + (s % 30) as w) d`,
    ],
    [
      'incidents, their history and escalations',
      // One incident every 8¾ hours a school for five years, interleaved across the chunk's schools
      // in time order. The newest 100 are open: the last few days' in every state, older ones
      // mostly on hold or escalated. The rest are closed, the newest few resolved.
      `with g as (
         select s, n, ${h} as h, ${P.incidents} - n as age,
           ${now} - (${P.incidents} - n) * interval '8 hours 45 minutes' - ((s * 37 + n * 11) % 120) * interval '1 minute' as t0,
           (case when ${h} < 3 then 'P1' when ${h} < 20 then 'P2' when ${h} < 70 then 'P3' else 'P4' end) as p
         from ${schools}, generate_series(1, ${P.incidents}) n
       ), st as (
         select g.*,
           case when n <= ${P.incidents - P.open - 30} then 'closed'
                when n <= ${P.incidents - P.open} then 'resolved'
                when age < 15 then (array['new', 'triaged', 'assigned', 'in_progress', 'in_progress'])[1 + h % 5]
                when h % 10 < 6 then 'on_hold'
                when h % 10 < 8 then 'escalated'
                else 'in_progress' end as status
         from g
       ), ins as (
         insert into incidents (id, school_id, number, reporter_id, summary, location_id, asset_id, category, impact,
             urgency, priority, status, assignee_id, support_level, provider_id, sla_respond_minutes,
             sla_resolve_minutes, on_hold_since, hold_reason, created_at, first_response_at, last_activity_at,
             resolved_at, closed_at)
         select ${ref('incident', 's', 'n')}, ${school('s')}, n, ${ref('person', 's', '(5 + (n * 31 + s) % 36)')},
           'Fault ' || n || ': ' || (array['projector', 'printer', 'laptop', 'wifi', 'login', 'display', 'sound'])[1 + h % 7],
           ${ref('location', 's', '(1 + (n * 7 + s) % 30)')},
           case when h % 10 < 6 then ${ref('asset', 's', '(1 + (n * 13 + s) % 400)')} end,
           (array['hardware', 'software', 'network', 'account', 'printing', 'av', 'other'])[1 + h % 7]::category,
           (case p when 'P1' then 'whole_school' when 'P2' then 'department' when 'P3' then 'room' else 'person' end)::impact,
           (case p when 'P1' then 'lesson_stopped' when 'P2' then 'today' when 'P3' then 'this_week' else 'no_deadline' end)::urgency,
           p::priority, status::incident_status,
           case when status <> 'new' then ${ref('person', 's', '(3 + n % 2)')} end,
           (case when status = 'escalated' then 'second' when status <> 'new' then 'first' end)::support_level,
           case when status = 'escalated' then ${ref('provider', 's', '2')} end,
           case p when 'P1' then 30 when 'P2' then 120 when 'P3' then 480 else 1440 end,
           case p when 'P1' then 240 when 'P2' then 480 when 'P3' then 1440 else 4800 end,
           case when status = 'on_hold' then t0 + interval '1 day' end,
           case when status = 'on_hold' then 'Waiting for parts' end,
           t0,
           case when status <> 'new' then t0 + (10 + h) * interval '1 minute' end,
           case when status in ('closed', 'resolved') then t0 + (28 + h) * interval '1 hour'
                when status = 'new' then t0
                else t0 + (10 + h) * interval '1 minute' + age * interval '3 hours' end,
           case when status in ('closed', 'resolved') then t0 + (4 + h) * interval '1 hour' end,
           case when status = 'closed' then t0 + (4 + h) * interval '1 hour' + interval '7 days' end
         from st order by t0
         returning id, school_id, number, reporter_id, assignee_id, status, created_at
       ), history as (
         insert into incident_events (school_id, incident_id, actor_id, kind, from_status, to_status, created_at)
         select school_id, id, reporter_id, 'reported', null, 'new'::incident_status, created_at from ins
         union all
         select school_id, id, reporter_id, 'reopened', 'resolved'::incident_status, 'reopened'::incident_status,
           created_at + interval '2 days'
         from ins where number % 50 = 25 and status in ('closed', 'resolved')
       )
       insert into escalations (school_id, incident_id, provider_id, contract_id, provider_ref, note, escalated_by,
           escalated_at, respond_by, responded_at, returned_at)
       select ins.school_id, ins.id, p.id, c.id, 'REF-' || ins.number, 'Please look', ins.assignee_id,
         ins.created_at + interval '2 hours', ins.created_at + interval '26 hours',
         case when ins.status in ('closed', 'resolved') or ins.number % 2 = 0 then ins.created_at + interval '5 hours' end,
         case when ins.status in ('closed', 'resolved') then ins.created_at + interval '2 days' end
       from ins
         join providers p on p.school_id = ins.school_id and p.name_key = 'provider 2'
         join contracts c on c.school_id = ins.school_id and c.contract_key = 'provider 2|contract 2'
       where ins.number % 100 = 50 or ins.status = 'escalated'`,
    ],
  ];
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

/** The Friday before: the pass that ran then left these records (what was due then, posted). */
const FRIDAY = new Date('2026-11-27T14:00:00Z');

/**
 * What a pass at SCALE_NOW or later recorded, deleted, so the next run is Monday's first pass again
 * (the records of Friday's pass stay: what was due then is not new).
 */
async function forgetPasses(sql: postgres.Sql): Promise<void> {
  const since = new Date(SCALE_NOW.getTime() - 60 * 60_000);
  await sql`delete from sent_reminders where created_at >= ${since}`;
  await sql`delete from outbox where created_at >= ${since}`;
  await sql`delete from briefings where day = ${TODAY}`;
  await sql`vacuum analyze sent_reminders, outbox, briefings`;
}

async function measurePasses(
  db: Db,
  sql: postgres.Sql,
  phase: { schoolsInDatabase: number; schoolsWithChannel: number },
  log: (line: string) => void,
  runs = 3,
): Promise<PassPhase> {
  const first: Timing = { runs: [], posted: [] };
  const repeat: Timing = { runs: [], posted: [] };
  const pass = (now: Date) => runReminderPass({ db, log: silentLogger, now });
  const count = (results: Awaited<ReturnType<typeof pass>>) =>
    results.reduce((n, r) => n + r.posted.length, 0);
  // The schools' state on Monday morning: Friday's pass ran (its messages were sent).
  const [warmMs, warm] = await timed(() => pass(FRIDAY));
  await sql`update outbox set status = 'sent', sent_at = ${FRIDAY} where status = 'pending'`;
  for (let i = 0; i < runs; i++) {
    await forgetPasses(sql);
    const [ms, results] = await timed(() => pass(SCALE_NOW));
    first.runs.push(ms);
    first.posted.push(count(results));
  }
  for (let i = 1; i <= runs; i++) {
    const [ms, results] = await timed(() => pass(new Date(SCALE_NOW.getTime() + i * 15 * 60_000)));
    repeat.runs.push(ms);
    repeat.posted.push(count(results));
  }
  const fmt = (t: Timing) => t.runs.map((ms) => ms.toFixed(0)).join(' / ');
  log(
    `pass, ${phase.schoolsWithChannel} of ${phase.schoolsInDatabase} schools with a channel: Friday's ${warmMs.toFixed(0)} ms (${count(warm)} posted); Monday's first ${fmt(first)} ms (${first.posted[0]} posted); repeat ${fmt(repeat)} ms (${repeat.posted.join(', ')} posted)`,
  );
  return { ...phase, friday: { ms: warmMs, posted: count(warm) }, first, repeat };
}

/** The wall time of `npm run spoc -- <args>` (node, tsx, the migrations check, the command). */
function cliReport(url: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli.ts',
        ...args,
        ...(args[0] === 'report' ? ['--now', SCALE_NOW.toISOString()] : []),
      ],
      { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, maxBuffer: 16 * 1024 * 1024 },
      (error) => (error ? reject(error) : resolve(performance.now() - t)),
    );
  });
}

/** Every distinct statement's plan (auto_explain) while `fn` runs on a one-connection database. */
async function plansOf(url: string, fn: (db: Db) => Promise<unknown>): Promise<string[]> {
  const plans = new Map<string, string>();
  const client = postgres(url, {
    max: 1,
    onnotice: (notice) => {
      const text = String(notice.message ?? '');
      const match = /Query Text: ([\s\S]*?)\n(?=\S)/.exec(text);
      const key = (match?.[1] ?? text).replace(/\s+/g, ' ').slice(0, 400);
      if (!text.includes('duration:') || /^(begin|commit|rollback|savepoint|release)/i.test(key)) return;
      if (!plans.has(key)) plans.set(key, text);
    },
  });
  try {
    await client.unsafe(`load 'auto_explain'`);
    await client.unsafe(
      `set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on;
       set auto_explain.log_buffers = on; set auto_explain.log_timing = on; set client_min_messages = log`,
    );
    await fn(drizzle({ client, schema }) as unknown as Db);
  } finally {
    await client.end({ timeout: 5 });
  }
  return [...plans.values()];
}

export async function runScaleBench(opts: {
  url: string;
  schools?: number;
  log?: (line: string) => void;
  /** Also capture the plans of one repeat pass and one report. */
  explain?: boolean;
  /** Leave the database in place (its URL is logged). */
  keep?: boolean;
  /** Runs of each measurement (3). */
  runs?: number;
}): Promise<ScaleResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const total = opts.schools ?? 500;
  const small = Math.min(50, total);
  const name = `spoc_scale_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(opts.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(opts.url);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {}, connection: { statement_timeout: 0 } });
  const database = await openDatabase({ url: dbUrl });
  try {
    await database.migrate();
    log(`database ${name}: generating ${total} schools (progress per ${CHUNK} schools)`);
    // A throwaway database: no fsync wait per statement, and foreign keys (consistent by
    // construction) not checked row by row.
    await sql.unsafe(
      `set synchronous_commit = off; set session_replication_role = replica; set work_mem = '64MB'`,
    );
    const started = performance.now();
    const generate = async (a: number, b: number, withChannel: boolean) => {
      for (let from = a; from <= b; from += CHUNK) {
        const to = Math.min(b, from + CHUNK - 1);
        for (const [what, statement] of generation(from, to, withChannel)) {
          const [ms] = await timed(() => sql.unsafe(statement));
          log(`  schools ${from}–${to}: ${what} ${(ms / 1000).toFixed(1)} s`);
        }
      }
      const [ms] = await timed(() => sql.unsafe('vacuum analyze'));
      log(`  vacuum analyze ${(ms / 1000).toFixed(1)} s`);
    };

    await generate(1, small, true);
    const passes: PassPhase[] = [];
    let plansFew: string[] = [];
    passes.push(
      await measurePasses(
        database.db,
        sql,
        { schoolsInDatabase: small, schoolsWithChannel: small },
        log,
        opts.runs,
      ),
    );
    if (total > small) {
      await generate(small + 1, total, false);
      passes.push(
        await measurePasses(
          database.db,
          sql,
          { schoolsInDatabase: total, schoolsWithChannel: small },
          log,
          opts.runs,
        ),
      );
      if (opts.explain) {
        const at = new Date(SCALE_NOW.getTime() + 60 * 60_000);
        plansFew = await plansOf(dbUrl, (db) => runReminderPass({ db, log: silentLogger, now: at }));
      }
      await sql`update schools set slack_channel_id = 'CB' || substr(slack_team_id, 3) where slack_channel_id is null`;
      passes.push(
        await measurePasses(
          database.db,
          sql,
          { schoolsInDatabase: total, schoolsWithChannel: total },
          log,
          opts.runs,
        ),
      );
    }
    const generateSeconds = (performance.now() - started) / 1000;

    const rows: Record<string, number> = {};
    for (const table of [
      'schools',
      'people',
      'incidents',
      'incident_events',
      'escalations',
      'payments',
      'contracts',
      'assets',
      'licences',
      'diary_entries',
      'sent_reminders',
    ]) {
      const [row] = await sql.unsafe(`select count(*)::int as n from ${table}`);
      rows[table] = row?.n as number;
    }
    const [size] = await sql`select pg_database_size(current_database())::bigint as bytes`;
    log(
      `rows: ${Object.entries(rows)
        .map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`)
        .join(', ')}; database ${(Number(size?.bytes) / 2 ** 30).toFixed(2)} GiB`,
    );

    // The service report: school 1's office, the autumn term to date.
    const [office] = await sql`select id, school_id, display_name from people
      where school_id = md5('school:1')::uuid and role = 'office'`;
    if (!office) throw new Error('no office person in school 1');
    const ctx = {
      db: database.db,
      clock: fixedClock(SCALE_NOW),
      actor: {
        schoolId: office.school_id as string,
        personId: office.id as string,
        role: 'office' as const,
        displayName: office.display_name as string,
      },
    };
    const inProcessMs: number[] = [];
    let reported = 0;
    for (let i = 0; i < 4; i++) {
      const [ms, report] = await timed(() => serviceReport(ctx, { period: 'term' }));
      if (!report.ok) throw new Error(report.error.message);
      reported = report.value.reported;
      inProcessMs.push(ms);
    }
    const cliMs: number[] = [];
    const cliFloorMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      cliMs.push(await cliReport(dbUrl, ['report', 'term', '--school', ctx.actor.schoolId]));
      cliFloorMs.push(await cliReport(dbUrl, ['migrate']));
    }
    log(
      `report term, one school (${reported} incidents): in process ${inProcessMs.map((ms) => ms.toFixed(0)).join(' / ')} ms (the first cold); command line ${cliMs.map((ms) => ms.toFixed(0)).join(' / ')} ms, of which starting (spoc migrate) ${cliFloorMs.map((ms) => ms.toFixed(0)).join(' / ')} ms`,
    );

    let plans: ScaleResult['plans'];
    if (opts.explain) {
      const at = new Date(SCALE_NOW.getTime() + 60 * 60_000);
      plans = {
        passFew: plansFew,
        pass: await plansOf(dbUrl, (db) => runReminderPass({ db, log: silentLogger, now: at })),
        report: await plansOf(dbUrl, (db) => serviceReport({ ...ctx, db }, { period: 'term' })),
      };
    }

    const firstMedian = (p: PassPhase | undefined) => median(p?.first.runs ?? []);
    return {
      schools: total,
      now: SCALE_NOW.toISOString(),
      rows,
      generateSeconds,
      databaseBytes: Number(size?.bytes),
      passes,
      ratioTables: firstMedian(passes[1]) / firstMedian(passes[0]),
      ratioSchools: firstMedian(passes[2]) / firstMedian(passes[0]),
      report: { school: ctx.actor.schoolId, incidents: reported, inProcessMs, cliMs, cliFloorMs },
      ...(plans ? { plans } : {}),
    };
  } finally {
    await database.close();
    await sql.end({ timeout: 5 });
    if (opts.keep) log(`kept ${dbUrl}`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const schools = args.includes('--schools') ? Number(args[args.indexOf('--schools') + 1]) : undefined;
  const result = await runScaleBench({
    url: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    ...(schools ? { schools } : {}),
    explain: args.includes('--explain'),
    keep: args.includes('--keep'),
    ...(args.includes('--runs') ? { runs: Number(args[args.indexOf('--runs') + 1]) } : {}),
  });
  const { plans, ...figures } = result;
  console.log(JSON.stringify(figures, null, 2));
  if (plans) {
    console.log('\n## Plans of one repeat pass over 50 schools of 500\n');
    for (const plan of plans.passFew) console.log(`${plan}\n`);
    console.log('\n## Plans of one repeat pass over all schools\n');
    for (const plan of plans.pass) console.log(`${plan}\n`);
    console.log('\n## Plans of one service report\n');
    for (const plan of plans.report) console.log(`${plan}\n`);
  }
}
