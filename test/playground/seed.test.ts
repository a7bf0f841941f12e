/**
 * The playground's demo controls: "Seed demo school" fills the school through the domain commands
 * and the outbox posts its cards into #ict-help; "Run reminder pass now" says when it is outside
 * school time; a CSV export arrives in the person's DMs as a downloadable file (files.uploadV2
 * through the fake Web API and its upload URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';

let spoc: RunningSpoc;
let pg: TestDatabase | undefined;

beforeAll(async () => {
  // No data directory on PGlite: the database and the workspace live in memory.
  const env: Record<string, string> = { PORT: '0', SPOC_WORKER: 'off' };
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const config = onPostgres ? parsed.config : { ...parsed.config, database: { memory: true } as never };
  spoc = await startSpoc(config, { log: silentLogger, outboxIntervalMs: 50 });
});

afterAll(async () => {
  await spoc?.stop();
  await pg?.destroy();
});

async function act(as: string, kind: string, fields: object = {}) {
  const res = await fetch(`${spoc.url}/play/act`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as, kind, ...fields }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

interface State {
  people: Array<{ id: string; role: string | null }>;
  school: { name: string } | null;
  channels: Array<{
    id: string;
    messages: Array<{ text: string; files: Array<{ name: string; url: string }> }>;
  }>;
  ephemeral: Array<{ text: string }>;
}

async function until<T>(as: string, what: string, probe: (s: State) => T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const s = (await (await fetch(`${spoc.url}/play/state?as=${as}`)).json()) as State;
    const found = probe(s);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The next date with this weekday (0 Sunday … 6 Saturday), as YYYY-MM-DD. */
function next(weekday: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((weekday - d.getUTCDay() + 7) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

describe(`the playground's demo controls (${onPostgres ? 'Postgres' : 'PGlite'})`, () => {
  it('says there is no school before seeding', async () => {
    const s = await until('U0PLAYTEACH', 'state', (x) => x);
    expect(s.school).toBeNull();
    expect(await act('U0PLAYTEACH', 'reminders')).toMatchObject({
      ok: false,
      message: expect.stringContaining('seed'),
    });
  });

  it('seeds the demo school: real roles in the switcher, cards in #ict-help', async () => {
    const seeded = await act('U0PLAYTEACH', 'seed');
    expect(seeded).toMatchObject({ ok: true, message: expect.stringContaining('demo data added') });
    const s = await until('U0PLAYTECH', 'cards', (x) =>
      (x.channels.find((c) => c.id === 'C0PLAYSPOC')?.messages.length ?? 0) >= 5 ? x : undefined,
    );
    expect(s.school?.name).toBeTruthy();
    expect(s.people.find((p) => p.id === 'U0PLAYTECH')?.role).toBe('technician');
    expect(s.people.find((p) => p.id === 'U0PLAYOFFC')?.role).toBe('office');
    // Seeding again changes nothing.
    expect(await act('U0PLAYTEACH', 'seed')).toMatchObject({
      ok: true,
      message: expect.stringContaining('already seeded'),
    });
  }, 60_000);

  it('runs the reminder pass as if at a moment, saying when that is outside school time', async () => {
    const weekend = await act('U0PLAYOFFC', 'reminders', { at: `${next(6)}T10:00` });
    expect(weekend).toMatchObject({
      ok: true,
      schoolTime: false,
      message: expect.stringContaining('outside school time'),
    });
    const evening = await act('U0PLAYOFFC', 'reminders', { at: `${next(2)}T19:30` });
    expect(evening).toMatchObject({ ok: true, schoolTime: false });
    const nonsense = await act('U0PLAYOFFC', 'reminders', { at: 'next Tuesday' });
    expect(nonsense).toMatchObject({ ok: false, message: expect.stringContaining('not a date') });
  });

  it('sends an export to the DMs as a file the page can download', async () => {
    await act('U0PLAYOFFC', 'command', { channel: 'C0PLAYSPOC', text: '/spoc export assets' });
    const file = await until(
      'U0PLAYOFFC',
      'the file message',
      (s) => s.channels.find((c) => c.id === 'D0PLAYOFFC')?.messages.find((m) => m.files.length)?.files[0],
    );
    expect(file.name).toMatch(/\.csv$/);
    const download = await fetch(file.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    const csv = await download.text();
    expect(csv).toContain('HPS-D01');
  });
});
