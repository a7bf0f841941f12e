/**
 * The satisfaction question in the playground, as `npm start` runs it with no credentials: Fixed
 * pressed on Ms Patel's status DM shows 👍 / 👎 there (the playground renders Slack's own Block
 * Kit), 👍 thanks her in place, and "Add a comment" opens the comment form, answered beside its
 * field when empty. Driven through the page's own API (/play/state, /play/act).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, SATISFACTION_BLOCK } from '../../src/bot/slack/ids';
import { parseConfig } from '../../src/config';
import { incidentRatings, incidents, people } from '../../src/db/schema';
import { systemClock } from '../../src/domain/clock';
import { claimIncident } from '../../src/domain/incidents/claim-incident';
import { reportFault } from '../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../src/domain/incidents/resolve-incident';
import { actorOf } from '../../src/domain/schools/identify';
import { silentLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';
import { textOf } from '../support/slack-app';

const PATEL = 'U0PLAYTEACH';
const SAM = 'U0PLAYTECH';
const HEAD = 'U0PLAYHEAD';
const ICT_HELP = 'C0PLAYSPOC';
const PATEL_DM = 'D0PLAYTEACH';

interface Message {
  ts: string;
  text: string;
  blocks: Array<Record<string, unknown>> | null;
}
interface State {
  channels: Array<{ id: string; messages: Message[] }>;
  ephemeral: Array<{ channel: string; text: string }>;
  people: Array<{ id: string; role: string | null }>;
  modal: { id: string; view: Record<string, unknown>; errors: Record<string, string> } | null;
}

let spoc: RunningSpoc;
let dataDir: string | undefined;
let pg: TestDatabase | undefined;

beforeAll(async () => {
  const env: Record<string, string> = { PORT: '0', SPOC_WORKER: 'off' };
  if (onPostgres) {
    pg = await createTestDatabase();
    env.DATABASE_URL = pg.url!;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'spoc-playground-sat-'));
    env.SPOC_DATA_DIR = dataDir;
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  spoc = await startSpoc(parsed.config, { log: silentLogger, outboxIntervalMs: 50 });
});

afterAll(async () => {
  await spoc?.stop();
  await pg?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function state(as: string): Promise<State> {
  return (await (await fetch(`${spoc.url}/play/state?as=${as}`)).json()) as State;
}
async function act(as: string, kind: string, fields: object = {}) {
  const res = await fetch(`${spoc.url}/play/act`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as, kind, ...fields }),
  });
  expect(res.status).toBe(200);
}
async function until<T>(as: string, what: string, probe: (s: State) => T | undefined | false): Promise<T> {
  let last: State | undefined;
  // By the clock, not a count of tries: the machine may be busy.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    last = await state(as);
    const found = probe(last);
    if (found !== undefined && found !== false) return found;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last).slice(0, 2000)}`);
}

/** A button in a message, as the page reads it to send the press. */
function button(message: Message, actionId: string) {
  for (const block of message.blocks ?? []) {
    const found = ((block.elements ?? []) as Array<Record<string, unknown>>).find(
      (e) => e.action_id === actionId,
    );
    if (found)
      return {
        type: 'button',
        action_id: actionId,
        block_id: block.block_id,
        value: found.value,
        text: { type: 'plain_text', text: (found.text as { text: string }).text, emoji: true },
      };
  }
  throw new Error(`no ${actionId} button in ${JSON.stringify(message.blocks)}`);
}

const statusDm = (s: State) => s.channels.find((c) => c.id === PATEL_DM)?.messages[0];
const press = (message: Message, actionId: string) =>
  act(PATEL, 'action', {
    container: { type: 'message', channel: PATEL_DM, ts: message.ts },
    action: button(message, actionId),
  });

const ctxOf = async (slackUserId: string) => {
  const db = spoc.database.db;
  const [row] = await db.select().from(people).where(eq(people.slackUserId, slackUserId));
  if (!row) throw new Error(`nobody ${slackUserId}`);
  return { db, clock: systemClock, actor: actorOf(row) };
};

describe(`satisfaction in the playground (${onPostgres ? 'Postgres' : 'PGlite'})`, () => {
  it('Fixed in her DM asks 👍 / 👎; 👍 thanks her there; the comment form answers beside its field', async () => {
    await act(HEAD, 'command', { channel: ICT_HELP, text: '/spoc setup' });
    await until(HEAD, 'setup', (s) => s.ephemeral.find((e) => e.text.includes('is now the SPOC channel')));
    await act(HEAD, 'command', { channel: ICT_HELP, text: '/spoc role @Sam Tech technician' });
    await until(HEAD, 'Sam is a technician', (s) =>
      s.people.find((p) => p.id === SAM && p.role === 'technician'),
    );
    // Ms Patel is known once she has used SPOC; her fault is reported, claimed and fixed.
    await act(PATEL, 'home');
    await until(PATEL, 'her home', (s) => s.people.find((p) => p.id === PATEL));
    const patel = await ctxOf(PATEL);
    const sam = await ctxOf(SAM);
    const reported = await reportFault(patel, { summary: 'Visualiser shows nothing', urgency: 'today' });
    if (!reported.ok) throw new Error(reported.error.message);
    const incidentId = reported.value.incident.id;
    if (!(await claimIncident(sam, { incidentId })).ok) throw new Error('not claimed');
    if (!(await resolveIncident(sam, { incidentId, resolution: 'Swapped the USB lead' })).ok)
      throw new Error('not resolved');

    const fixedDm = await until(PATEL, 'Fixed on her status DM', (s) => {
      const m = statusDm(s);
      return m && textOf(m.blocks).includes('Fixed — please check') ? m : undefined;
    });
    await press(fixedDm, ACTION.reporterFixed);
    const asked = await until(PATEL, 'the question', (s) => {
      const m = statusDm(s);
      return m && textOf(m.blocks).includes('One quick question') ? m : undefined;
    });
    expect(textOf(asked.blocks)).toContain('Closed');
    expect(button(asked, ACTION.satisfactionUp).text.text).toBe('👍 Yes');
    expect(button(asked, ACTION.satisfactionDown).text.text).toBe('👎 No');

    await press(asked, ACTION.satisfactionUp);
    const thanked = await until(PATEL, 'the thanks', (s) => {
      const m = statusDm(s);
      return m && textOf(m.blocks).includes('Thank you for your answer (👍)') ? m : undefined;
    });
    expect(textOf(thanked.blocks)).not.toContain('One quick question');
    const db = spoc.database.db;
    const [{ id: techId } = { id: '' }] = await db.select().from(people).where(eq(people.slackUserId, SAM));
    expect(
      await db
        .select({ rating: incidentRatings.rating, assigneeId: incidentRatings.assigneeId })
        .from(incidentRatings)
        .innerJoin(incidents, eq(incidents.id, incidentRatings.incidentId))
        .where(eq(incidentRatings.incidentId, incidentId)),
    ).toEqual([{ rating: 'up', assigneeId: techId }]);

    await press(thanked, ACTION.satisfactionComment);
    const modal = await until(PATEL, 'the comment form', (s) => s.modal ?? undefined);
    expect(modal.view.callback_id).toBe('spoc_satisfaction_comment_save');
    await act(PATEL, 'submit', {
      viewId: modal.id,
      state: { [SATISFACTION_BLOCK.comment]: { [ACTION.input]: { type: 'plain_text_input', value: '' } } },
    });
    const refused = await until(PATEL, 'the error beside the field', (s) =>
      s.modal && Object.keys(s.modal.errors).length ? s.modal : undefined,
    );
    expect(refused.errors).toEqual({
      [SATISFACTION_BLOCK.comment]: 'Write a comment, or press Cancel: the comment is optional.',
    });
    await act(PATEL, 'submit', {
      viewId: modal.id,
      state: {
        [SATISFACTION_BLOCK.comment]: {
          [ACTION.input]: { type: 'plain_text_input', value: 'Quick, thanks!' },
        },
      },
    });
    await until(PATEL, 'the thank-you view', (s) =>
      s.modal && textOf(s.modal.view).includes('is with the school office') ? s.modal : undefined,
    );
    const commented = await until(PATEL, 'the DM without the comment button', (s) => {
      const m = statusDm(s);
      return m && textOf(m.blocks).includes('Your comment is with the school office') ? m : undefined;
    });
    expect(() => button(commented, ACTION.satisfactionComment)).toThrow();
  }, 120_000);
});
