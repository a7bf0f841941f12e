/**
 * `npm run bench`: how fast SPOC is, next to the framework's own floor, on one machine.
 *
 *   npm run bench                         Postgres (DATABASE_URL; the bench makes and drops a
 *                                         throwaway database of its own, never touching the one named)
 *   npm run bench -- --embedded           PGlite in a temporary directory
 *   npm run bench -- --quick              a fifth of the requests (a smoke run)
 *   npm run bench -- --only=interactive   or --only=outbox
 *   npm run bench -- --paths=claim,help   only these interactive paths (help, submit, claim, incidents)
 *   npm run bench -- --cpu-prof=DIR       SPOC's process writes a CPU profile (node --cpu-prof) to DIR
 *   npm run bench -- --scale              also the authority-scale bench (bench/scale.ts), when present
 *
 * Phases (all on loopback; Slack's Web API answered by test/support/fake-slack.ts):
 *  1. Start: `npm start`'s own command (node --import tsx src/main.ts) to the first 200 from
 *     /healthz, three times; the third start stays up for the next phase.
 *  2. Interactive: SPOC's process and a bare Bolt process whose listeners only ack, side by side,
 *     each sent the same signed requests at 1, 10 and 50 at a time: `/spoc help`, the fault form's
 *     submission, Claim on distinct incidents and `/spoc incidents`. Claim counts as done once the
 *     fake Web API has the card's chat.update. Then SPOC's resident memory.
 *  3. Outbox: see bench/outbox.ts.
 * Prints a table and saves everything as JSON under bench/results/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { ACTION, CALLBACK } from '../src/bot/slack/ids';
import { type Database, openDatabase } from '../src/db/client';
import { systemClock } from '../src/domain/clock';
import { reportFault } from '../src/domain/incidents/report-fault';
import { createTestDatabase, type TestDatabase } from '../test/support/db';
import { makeSchool } from '../test/support/factories';
import { startFakeSlack } from '../test/support/fake-slack';
import {
  BOT_TOKEN,
  blockAction,
  SIGNING_SECRET,
  slashCommand,
  viewSubmission,
  type Who,
} from '../test/support/slack-payloads';
import { type Child, freePort, load, memoryOf, percentile, type RunFigures, startChild } from './load';
import { type OutboxFigures, outboxBench } from './outbox';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const embedded = flag('embedded');
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const pathsWanted = option('paths')?.split(',');
const cpuProf = option('cpu-prof');
const scale = flag('quick') ? 0.2 : 1;
/** Requests per path at each concurrency. */
const RUNS = [
  { c: 1, n: Math.round(100 * scale) },
  { c: 10, n: Math.round(300 * scale) },
  { c: 50, n: Math.round(600 * scale) },
];
const TEAM = 'TBENCHSPOC1';
const teacher: Who = { teamId: TEAM, userId: 'UBENCHTEACH', userName: 'ms.bench' };
const tech: Who = { teamId: TEAM, userId: 'UBENCHTECH1', userName: 'mr.tech' };
const CARDS = 'CBENCHCARDS';

if (!embedded && !process.env.DATABASE_URL) {
  console.error(
    'npm run bench needs DATABASE_URL (a Postgres it may make a throwaway database on), or --embedded',
  );
  process.exit(1);
}

/** A database for one phase: a throwaway Postgres database, or PGlite in a temporary directory. */
async function scratchDatabase(): Promise<{
  open(): Promise<Database>;
  env: Record<string, string>;
  destroy(): Promise<void>;
}> {
  if (embedded) {
    const dir = mkdtempSync(join(tmpdir(), 'spoc-bench-'));
    return {
      async open() {
        const database = await openDatabase({ dataDir: dir });
        await database.migrate();
        return database;
      },
      env: { SPOC_DATA_DIR: dir },
      destroy: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const scratch: TestDatabase = await createTestDatabase();
  const url = scratch.url ?? '';
  return {
    async open() {
      const database = await openDatabase({ url });
      await database.migrate();
      return database;
    },
    env: { DATABASE_URL: url },
    destroy: () => scratch.destroy(),
  };
}

interface PathFigures {
  path: string;
  c: number;
  spoc: RunFigures;
  bolt: RunFigures;
  /** Claim only: completions (claimed and card refreshed) a second, and each one's time to its card. */
  done?: { perSecond: number; p50: number; p99: number; missing: number };
  ratio: number;
}

/** The incidents the Claim runs press, each with its card posted (as the outbox would have). */
async function seedInteractive(
  database: Database,
  claims: number,
): Promise<Array<{ id: string; ts: string }>> {
  const school = await makeSchool(database.db, { clock: systemClock, teamId: TEAM });
  await school.person('teacher', 'Ms Bench', teacher.userId);
  const technician = await school.person('technician', 'Mr Tech', tech.userId);
  const reporter = await school.person('teacher', 'Mrs Reporter');
  const made: Array<{ id: string; ts: string }> = [];
  for (let i = 0; i < claims; i++) {
    const r = await reportFault(
      { ...reporter, clock: systemClock },
      { summary: `Bench fault to claim ${i}`, urgency: 'today' },
    );
    if (!r.ok) throw new Error(r.error.message);
    made.push({ id: r.value.incident.id, ts: `1764494100.${String(i).padStart(6, '0')}` });
  }
  void technician;
  // Their cards as if posted: in the fake's channel, and noted on each incident.
  for (const { id, ts } of made)
    await database.rows(sql`update incidents set card_channel = ${CARDS}, card_ts = ${ts} where id = ${id}`);
  await database.rows(sql`update outbox set status = 'sent' where status = 'pending'`);
  return made;
}

async function interactive(): Promise<{
  start: number[];
  paths: PathFigures[];
  memory: { rssMiB: number; peakMiB: number };
  boltMemory: { rssMiB: number; peakMiB: number };
}> {
  const claimsNeeded = RUNS.reduce((sum, r) => sum + r.n, 0);
  const db = await scratchDatabase();
  const fake = await startFakeSlack({ teamId: TEAM });
  const updatedAt = new Map<string, number>();
  const push = fake.calls.push.bind(fake.calls);
  fake.calls.push = (...calls) => {
    for (const call of calls)
      if (
        call.method === 'chat.update' &&
        call.args.channel === CARDS &&
        !updatedAt.has(String(call.args.ts))
      )
        updatedAt.set(String(call.args.ts), performance.now());
    return push(...calls);
  };
  let spoc: Child | undefined;
  let bolt: Child | undefined;
  try {
    const seeding = await db.open();
    const incidents = await seedInteractive(seeding, claimsNeeded);
    await seeding.close();
    fake.messages.set(
      CARDS,
      incidents.map(({ ts }) => ({ ts, text: 'card' })),
    );

    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SPOC_WORKER: 'off',
      LOG_LEVEL: 'info',
      ...db.env,
    };
    // `npm start` is `exec node --import tsx src/main.ts`: the same command, timed to /healthz.
    const start: number[] = [];
    for (let i = 0; i < 3; i++) {
      const prof = cpuProf && i === 2 ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [];
      spoc = await startChild([...prof, '--import', 'tsx', join(root, 'src/main.ts')], env, port, '/healthz');
      start.push(spoc.startMs);
      if (i < 2) {
        await spoc.stop();
        spoc = undefined;
      }
    }
    const boltPort = await freePort();
    bolt = await startChild(
      ['--import', 'tsx', join(here, 'bare-bolt.ts')],
      { ...env, PORT: String(boltPort) },
      boltPort,
      // Bolt answers any other path with 404: listening.
      '/nothing-here',
      404,
    );
    const paths: PathFigures[] = [];
    const spocUrl = `http://127.0.0.1:${port}/slack/events`;
    const boltUrl = `http://127.0.0.1:${boltPort}/slack/events`;
    let claimed = 0;
    let submitted = 0;
    const kinds = [
      { key: 'help', path: '/spoc help', make: (_i: number) => slashCommand(teacher, '/spoc', 'help') },
      {
        key: 'submit',
        path: 'fault form submission',
        make: (_i: number) =>
          viewSubmission(
            teacher,
            CALLBACK.faultModal,
            { summary: `Bench submission ${submitted}`, urgency: { option: 'today' } },
            { viewId: `VBENCH${submitted++}` },
          ),
      },
      { key: 'claim', path: 'Claim', make: undefined },
      {
        key: 'incidents',
        path: '/spoc incidents',
        make: (_i: number) => slashCommand(tech, '/spoc', 'incidents'),
      },
    ];
    // Warm both (first requests compile and connect).
    for (const url of [spocUrl, boltUrl])
      await load(url, 20, 5, () => slashCommand(teacher, '/spoc', 'help'));
    for (const kind of kinds) {
      if (pathsWanted && !pathsWanted.includes(kind.key)) continue;
      for (const { c, n } of RUNS) {
        if (kind.make) {
          const s = await load(spocUrl, n, c, kind.make);
          const b = await load(boltUrl, n, c, kind.make);
          paths.push({ path: kind.path, c, spoc: s, bolt: b, ratio: round2(s.perSecond / b.perSecond) });
          process.stdout.write(
            `  ${kind.path} c=${c}: ${s.perSecond}/s p99 ${s.p99} ms (floor ${b.perSecond}/s)\n`,
          );
          continue;
        }
        const batch = incidents.slice(claimed, claimed + n);
        claimed += n;
        const pressedAt = new Map<string, number>();
        const make = (i: number) => {
          const incident = batch[i]!;
          pressedAt.set(incident.ts, performance.now());
          return blockAction(tech, ACTION.claim, incident.id, { channelId: CARDS, messageTs: incident.ts });
        };
        const s = await load(spocUrl, n, c, make);
        // Done when each card has been refreshed (or after a minute: the rest are reported missing).
        const deadline = performance.now() + 60_000;
        while (batch.some((b) => !updatedAt.has(b.ts)) && performance.now() < deadline)
          await new Promise((r) => setTimeout(r, 5));
        const finished = batch.map((b) => updatedAt.get(b.ts)).filter((t): t is number => t !== undefined);
        const last = Math.max(...finished);
        const toCard = batch
          .filter((b) => updatedAt.has(b.ts))
          .map((b) => (updatedAt.get(b.ts) ?? 0) - (pressedAt.get(b.ts) ?? 0));
        const done = {
          perSecond: Math.round((finished.length / (last - s.started)) * 1000 * 10) / 10,
          p50: Math.round(percentile(toCard, 0.5)),
          p99: Math.round(percentile(toCard, 0.99)),
          missing: n - finished.length,
        };
        const b = await load(boltUrl, n, c, make);
        paths.push({ path: 'Claim', c, spoc: s, bolt: b, done, ratio: round2(done.perSecond / b.perSecond) });
        process.stdout.write(
          `  Claim c=${c}: acked ${s.perSecond}/s p99 ${s.p99} ms, done ${done.perSecond}/s (floor ${b.perSecond}/s)\n`,
        );
      }
    }
    const memory = memoryOf(spoc!.process.pid!);
    const boltMemory = memoryOf(bolt.process.pid!);
    return { start, paths, memory, boltMemory };
  } finally {
    await spoc?.stop();
    await bolt?.stop();
    await fake.close();
    await db.destroy();
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

async function outbox(): Promise<OutboxFigures[]> {
  const db = await scratchDatabase();
  const database = await db.open();
  try {
    return await outboxBench(database, { schools: 500, perSchool: 10, timeoutMs: 180_000 });
  } finally {
    await database.close();
    await db.destroy();
  }
}

const started = new Date();
const results: Record<string, unknown> = {
  at: started.toISOString(),
  database: embedded ? 'PGlite' : 'Postgres',
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadBefore: loadavg() },
  node: process.version,
  requests: RUNS,
};
console.log(
  `SPOC bench on ${results.database}, ${cpus().length} cores, load ${(loadavg()[0] ?? 0).toFixed(2)}`,
);
let peakSelf = 0;
const sampler = setInterval(() => {
  peakSelf = Math.max(peakSelf, process.memoryUsage().rss);
}, 50);
sampler.unref();

if (!only || only === 'interactive') {
  const figures = await interactive();
  results.start = figures.start;
  results.interactive = figures.paths;
  results.memory = { spoc: figures.memory, bareBolt: figures.boltMemory };
  console.log(`\nStart (npm start → /healthz, ms): ${figures.start.join(', ')}`);
  console.table(
    figures.paths.map((p) => ({
      path: p.path,
      c: p.c,
      'SPOC /s': p.done ? `${p.done.perSecond} done (${p.spoc.perSecond} acked)` : p.spoc.perSecond,
      'floor /s': p.bolt.perSecond,
      '× floor': p.ratio,
      'p50 ms': p.spoc.p50,
      'p99 ms': p.spoc.p99,
      'floor p99': p.bolt.p99,
      'to card p50/p99': p.done
        ? `${p.done.p50}/${p.done.p99}${p.done.missing ? ` (${p.done.missing} missing)` : ''}`
        : '',
      failed: p.spoc.failed + p.bolt.failed,
    })),
  );
  console.log(
    `SPOC memory after the run: ${figures.memory.rssMiB} MiB resident (peak ${figures.memory.peakMiB}); bare Bolt ${figures.boltMemory.rssMiB} MiB`,
  );
}
if (!only || only === 'outbox') {
  const figures = await outbox();
  results.outbox = figures;
  console.log('\nOutbox (delivered to the fake Web API):');
  console.table(figures);
}
// The authority-scale bench is its own file (bench/scale.ts, exporting `runScaleBench`), run only
// when asked for and present; it makes its own throwaway database on the Postgres named.
if (flag('scale')) {
  const file = join(here, 'scale.ts');
  if (!existsSync(file)) console.log('\n--scale: bench/scale.ts is not here; skipped');
  else if (embedded || !process.env.DATABASE_URL) console.log('\n--scale runs on Postgres only; skipped');
  else {
    const { runScaleBench } = (await import(file)) as {
      runScaleBench: (o: { url: string }) => Promise<unknown>;
    };
    results.scale = await runScaleBench({ url: process.env.DATABASE_URL });
  }
}
clearInterval(sampler);
results.benchProcessPeakMiB = Math.round(peakSelf / 1048576);
results.loadAfter = loadavg();
const out = join(
  here,
  'results',
  `${started.toISOString().replace(/[:.]/g, '-')}-${embedded ? 'pglite' : 'postgres'}.json`,
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nSaved ${out}`);
