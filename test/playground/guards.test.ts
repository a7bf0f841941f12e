/**
 * The playground keeps to itself. It refuses a database holding real schools; if one appears
 * anyway (a shared Postgres), its messages wait for a real Slack and its reminders are left alone.
 * Other websites cannot drive it (JSON only, own origin, loopback Host), an oversized body is
 * answered with a sentence, and a pass "as if" another moment says it is real.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import { outbox, sentReminders } from '../../src/db/schema';
import { systemClock } from '../../src/domain/clock';
import { RealSchoolsError } from '../../src/domain/demo/demo-guard';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { setupSchool } from '../../src/domain/schools/setup-school';
import { silentLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';
import { makeSchool, type TestSchool } from '../support/factories';
import { must, until } from '../support/wait';

const PATEL = 'U0PLAYTEACH';
const HEAD = 'U0PLAYHEAD';
const REAL_TEAM = 'T0REALSCHL';
const REAL_CHANNEL = 'C0REALSPOC';

let spoc: RunningSpoc;
let dataDir: string;
let pg: TestDatabase | undefined;

/** A playground's environment on a database of its own (a data directory, or a Postgres database). */
async function playgroundEnv(extra: Record<string, string> = {}) {
  const env: Record<string, string> = { PORT: '0', SPOC_WORKER: 'off', ...extra };
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  } else {
    env.SPOC_DATA_DIR = mkdtempSync(join(dataDir, 'data-'));
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.config;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'spoc-playground-guards-'));
  spoc = await startSpoc(await playgroundEnv(), { log: silentLogger, outboxIntervalMs: 50 });
}, 60_000);

afterAll(async () => {
  await spoc?.stop();
  await pg?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

async function act(as: string, kind: string, fields: object = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${spoc.url}/play/act`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ as, kind, ...fields }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A GET with a Host header of our choosing (fetch will not send one). */
function getWithHost(path: string, host: string): Promise<number> {
  const { port } = new URL(spoc.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('on a database holding real schools', () => {
  it('refuses to start, saying how many and what to do, and lets the database go', async () => {
    const config = await playgroundEnv();
    const db = pg ?? (await openDatabase(config.database));
    try {
      if (!pg) await db.migrate();
      await makeSchool(db.db);
      await makeSchool(db.db);
    } finally {
      if (!pg) await db.close();
    }
    const start = startSpoc(config, { log: silentLogger });
    await expect(start).rejects.toBeInstanceOf(RealSchoolsError);
    await expect(start).rejects.toThrow(
      /^This database holds 2 real schools, so the playground will not start on it: its pretend Slack would swallow their messages and run their reminders\. To try the playground, (set SPOC_DATA_DIR to another directory for the playground|unset DATABASE_URL and set SPOC_DATA_DIR to a directory of its own for the playground); to serve those schools, set your Slack credentials/,
    );
    // Closed again: the embedded database opens.
    if (!pg) await (await openDatabase(config.database)).close();
  }, 60_000);
});

describe('a running playground', { timeout: 120_000 }, () => {
  let real: TestSchool;
  let realTeacher: string;

  it('seeds the demo school', async () => {
    expect((await act(HEAD, 'seed')).body).toMatchObject({ ok: true });
  });

  it('delivers only to its demo team: a real school that appears meanwhile waits for a real Slack', async () => {
    const db = spoc.database.db;
    // Its messages are due now (the dispatcher runs on the real clock).
    real = await makeSchool(db, { teamId: REAL_TEAM, clock: systemClock });
    must(await setupSchool(await real.person('admin'), { slackChannelId: REAL_CHANNEL }));
    const teacher = await real.person('teacher', 'Mr Real');
    realTeacher = teacher.slackUserId;
    must(await reportFault(teacher, { summary: 'Real projector', urgency: 'today' }));
    spoc.dispatcher.kick();
    // Each order key's first pending message is tried (later ones queue behind it).
    const rows = await until(
      async () => {
        const all = await db.select().from(outbox).where(eq(outbox.schoolId, real.schoolId));
        const heads = new Map<string, (typeof all)[number]>();
        for (const r of [...all].sort((a, b) => a.id - b.id))
          if (r.status === 'pending' && !heads.has(r.orderKey)) heads.set(r.orderKey, r);
        return all.length > 0 && [...heads.values()].every((r) => r.lastError !== null) ? all : undefined;
      },
      'the real school’s messages to be tried',
      20_000,
    );
    expect(rows.filter((r) => r.status !== 'pending')).toEqual([]);
    const tried = rows.filter((r) => r.lastError !== null);
    expect(new Set(tried.map((r) => r.orderKey)).size).toBe(new Set(rows.map((r) => r.orderKey)).size);
    expect(new Set(tried.map((r) => r.lastError))).toEqual(new Set(['no Slack token for this workspace']));
    const workspace = spoc.playground!.workspace;
    expect(workspace.channels.has(REAL_CHANNEL)).toBe(false);
    expect([...workspace.channels.values()].some((c) => c.user === realTeacher)).toBe(false);
  });

  it('will not seed beside the real school', async () => {
    const seeded = await act(HEAD, 'seed');
    expect(seeded.body).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        "This database holds 1 real school, so seed demo will not add the playground's demo school to it.",
      ),
    });
  });

  it('runs the reminder pass for the demo school only, and says a pass "as if" is real', async () => {
    // Monday morning: every school with a channel is due its weekly digest.
    const pass = await act(HEAD, 'reminders', { at: '2027-03-01T09:00' });
    expect(pass.body).toMatchObject({ ok: true, schoolTime: true });
    expect(pass.body.message).toMatch(/^\d+ reminders? posted/);
    // The clock here is the real one; what an "as if" later records is tested in as-if.test.ts.
    expect(pass.body.message).toContain(
      'This was a real pass as if it were Monday, 1 March 2027 at 09:00: the reminders it posted',
    );
    expect(pass.body.message).toContain('are recorded as sent (they will not come again)');
    const db = spoc.database.db;
    expect(await db.select().from(sentReminders).where(eq(sentReminders.schoolId, real.schoolId))).toEqual(
      [],
    );
    const queued = await db.select().from(outbox).where(eq(outbox.schoolId, real.schoolId));
    expect(queued.filter((r) => r.message.type === 'reminder')).toEqual([]);
  });

  it('takes "outside school time" from the pass', async () => {
    const pass = await act(HEAD, 'reminders', { at: '2027-03-06T10:00' });
    expect(pass.body).toMatchObject({ ok: true, schoolTime: false });
    expect(pass.body.message).toContain('It is outside school time');
  });
});

describe('requests from elsewhere', () => {
  it('takes /play/act as JSON only: a no-cors text/plain post does nothing', async () => {
    const res = await fetch(`${spoc.url}/play/act`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ as: PATEL, kind: 'home' }),
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      ok: false,
      error: 'The playground takes JSON here (content-type: application/json).',
    });
    expect(spoc.playground!.workspace.homes.get(PATEL)).toBeUndefined();
  });

  it('refuses a post from another origin or site, and takes its own page’s', async () => {
    const refused = { ok: false, error: 'The playground takes requests from its own page only.' };
    const elsewhere: Array<Record<string, string>> = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      // Another port on localhost is the same site, but not this page.
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of elsewhere)
      expect(await act(PATEL, 'home', {}, headers)).toEqual({ status: 403, body: refused });
    expect(spoc.playground!.workspace.homes.get(PATEL)).toBeUndefined();
    const own = await act(PATEL, 'home', {}, { origin: spoc.url, 'sec-fetch-site': 'same-origin' });
    expect(own).toEqual({ status: 200, body: { ok: true } });
  });

  it('takes a file upload only with the page’s header', async () => {
    const upload = (headers: Record<string, string>) =>
      fetch(`${spoc.url}/play/file?as=${PATEL}&name=note.txt`, { method: 'POST', headers, body: 'hello' });
    const bare = await upload({ 'content-type': 'text/plain' });
    expect(bare.status).toBe(403);
    expect(await bare.json()).toEqual({
      ok: false,
      error: 'The playground takes uploads from its own page only.',
    });
    const page = await upload({ 'x-spoc-playground': 'upload' });
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ ok: true, file: { name: 'note.txt', size: 5 } });
  });

  it('answers only to its loopback names (no DNS rebinding)', async () => {
    const { port } = new URL(spoc.url);
    expect(await getWithHost(`/play/state?as=${PATEL}`, `rebound.example:${port}`)).toBe(421);
    expect(await getWithHost('/', `rebound.example:${port}`)).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
      expect(await getWithHost(`/play/state?as=${PATEL}`, host)).toBe(200);
  });

  it('keeps the app’s response_url working (called from this machine, with no Origin)', async () => {
    const res = await fetch(`${spoc.url}/play/respond/abcdef0123`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('expired_url');
  });

  it('may not be framed by another page', async () => {
    const page = await fetch(`${spoc.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('oversized bodies', () => {
  const tooLarge = { ok: false, error: 'That is too large for the playground (6 MB at most).' };
  const big = () => new Uint8Array(7 * 1024 * 1024).fill(97);

  it('answers an upload declared too large with 413 and a sentence, not a reset', async () => {
    const res = await fetch(`${spoc.url}/play/file?as=${PATEL}&name=big.bin`, {
      method: 'POST',
      headers: { 'x-spoc-playground': 'upload' },
      body: big(),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(tooLarge);
  });

  it('answers a chunked body that grows too large with 413 as well', async () => {
    const chunk = new Uint8Array(512 * 1024).fill(97);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${spoc.url}/play/file?as=${PATEL}&name=big.bin`, {
      method: 'POST',
      headers: { 'x-spoc-playground': 'upload' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(tooLarge);
  });

  it('answers an oversized /play/act the same way, and goes on working', async () => {
    const res = await fetch(`${spoc.url}/play/act`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: PATEL, kind: 'message', text: 'x'.repeat(7 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(tooLarge);
    expect((await fetch(`${spoc.url}/healthz`)).status).toBe(200);
  });
});

describe('with HOST set to a network address', () => {
  it('warns at start that the playground is reachable from the network and has no login', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const open = await startSpoc(await playgroundEnv({ HOST: '0.0.0.0' }), { log });
    try {
      const warned = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(warned).toContainEqual(
        expect.objectContaining({
          level: 40,
          msg: expect.stringContaining(
            'The playground is reachable from the network (HOST=0.0.0.0) and has no login',
          ),
        }),
      );
      // Reached by whatever name the network gives it: the Host is not checked.
      const { port } = new URL(open.url);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/healthz', headers: { host: `school-pc:${port}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
    } finally {
      await open.stop();
    }
  }, 60_000);
});
