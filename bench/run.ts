/**
 * `npm run bench`: how fast SPOC answers, on embedded PGlite or on the Postgres in DATABASE_URL.
 *  - reportFault: one committed incident (number, history, outbox) per call, sequential;
 *  - Slack ack: a signed fault-form submission through the real Bolt app over HTTP, measured from
 *    request to response (Slack allows 3 s);
 *  - outbox: cards and DMs delivered to a fake Slack Web API on loopback.
 * Prints medians, 95th percentiles and peak memory. Loopback only; bounded loops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALLBACK } from '../src/bot/slack/ids';
import { parseConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { reportFault } from '../src/domain/incidents/report-fault';
import { silentLogger } from '../src/log';
import { startSpoc } from '../src/server';
import { createTestDatabase } from '../test/support/db';
import { makeSchool } from '../test/support/factories';
import { startFakeSlack } from '../test/support/fake-slack';
import { BOT_TOKEN, SIGNING_SECRET, viewSubmission } from '../test/support/slack-payloads';

const N = Number(process.env.BENCH_N ?? 300);

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return {
    n: sorted.length,
    p50: at(0.5).toFixed(2),
    p95: at(0.95).toFixed(2),
    max: sorted.at(-1)!.toFixed(2),
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

// On Postgres the bench works in a throwaway database of its own, never in the one named.
const scratch = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
const url = scratch?.url;
const dataDir = url ? undefined : mkdtempSync(join(tmpdir(), 'spoc-bench-'));
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

try {
  // 1. The command alone.
  const database = await openDatabase(url ? { url } : { dataDir: dataDir! });
  await database.migrate();
  const school = await makeSchool(database.db);
  const teacher = await school.person('teacher');
  const commandMs: number[] = [];
  for (let i = 0; i < N; i++) {
    commandMs.push(
      await timed(() => reportFault(teacher, { summary: `Bench fault ${i}`, urgency: 'today' })),
    );
  }
  await database.close();

  // 2. Through Slack: signed submission → ack, then outbox delivery to a fake Web API.
  // The bot token belongs to the bench's workspace: SPOC serves no other.
  const who = { teamId: `TBENCH${Date.now()}`, userId: 'UBENCH0001', userName: 'bench' };
  const fake = await startFakeSlack({ teamId: who.teamId });
  const parsed = parseConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    ...(url ? { DATABASE_URL: url } : { SPOC_DATA_DIR: dataDir }),
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const spoc = await startSpoc(parsed.config, { log: silentLogger, outboxIntervalMs: 20 });
  const ackMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const req = viewSubmission(
      who,
      CALLBACK.faultModal,
      { summary: `Slack bench ${i}`, urgency: { option: 'today' } },
      { viewId: `VB${i}` },
    );
    ackMs.push(
      await timed(async () => {
        const res = await fetch(`${spoc.url}/slack/events`, {
          method: 'POST',
          headers: req.headers,
          body: req.body,
        });
        await res.text();
      }),
    );
  }
  // Each report sends a DM; cards wait for a SPOC channel, which this bench school has none of.
  const deadline = Date.now() + 60_000;
  while (fake.calls.filter((c) => c.method === 'chat.postMessage').length < N && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const deliveredIn = performance.now() - started;
  const delivered = fake.calls.filter((c) => c.method === 'chat.postMessage').length;
  await spoc.stop();
  await fake.close();

  console.log(`SPOC bench — ${url ? 'Postgres' : 'PGlite'}, ${N} operations each (ms)`);
  console.table({
    'reportFault (command)': stats(commandMs),
    'Slack submit → ack (HTTP)': stats(ackMs),
  });
  console.log(
    `outbox: ${delivered}/${N} DMs delivered to the fake Slack within ${(deliveredIn / 1000).toFixed(1)} s of the first submit`,
  );
  console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
} finally {
  clearInterval(sampler);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await scratch?.destroy();
}
