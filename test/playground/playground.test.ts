/**
 * The playground as `npm start` runs it with no credentials: config parsed from an environment,
 * database migrated, the real Bolt app, outbox and deliverer — with the page's server relaying what
 * a person does as signed Slack requests and recording what the app sends to its fake Web API.
 * Driven through the page's own API (/play/state, /play/act), as the page does. PGlite in a data
 * directory, or Postgres when DATABASE_URL is set.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, FAULT_BLOCK } from '../../src/bot/slack/ids';
import { parseConfig } from '../../src/config';
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
  user: string;
  text: string;
  blocks: Array<Record<string, unknown>> | null;
  replies: Message[];
}
interface State {
  version: number;
  me: string;
  school: { name: string; channelId: string | null } | null;
  people: Array<{ id: string; name: string; role: string | null }>;
  channels: Array<{ id: string; kind: string; messages: Message[] }>;
  ephemeral: Array<{ ts: string; channel: string; text: string; blocks: unknown }>;
  modal: { id: string; hash: string; view: Record<string, unknown>; errors: Record<string, string> } | null;
  home: { id: string; view: Record<string, unknown> } | null;
  log: Array<{ level: string; text: string }>;
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
    dataDir = mkdtempSync(join(tmpdir(), 'spoc-playground-'));
    env.SPOC_DATA_DIR = dataDir;
  }
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  expect(parsed.config).toMatchObject({ playground: true, host: '127.0.0.1' });
  spoc = await startSpoc(parsed.config, { log: silentLogger, outboxIntervalMs: 50 });
});

afterAll(async () => {
  await spoc?.stop();
  await pg?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function state(as: string): Promise<State> {
  const res = await fetch(`${spoc.url}/play/state?as=${as}`);
  expect(res.status).toBe(200);
  return (await res.json()) as State;
}

async function act(as: string, kind: string, fields: object = {}) {
  const res = await fetch(`${spoc.url}/play/act`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as, kind, ...fields }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls the person's state until `probe` finds something. */
async function until<T>(as: string, what: string, probe: (s: State) => T | undefined | false): Promise<T> {
  let last: State | undefined;
  for (let i = 0; i < 300; i++) {
    last = await state(as);
    const found = probe(last);
    if (found !== undefined && found !== false) return found;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last).slice(0, 2000)}`);
}

const channel = (s: State, id: string) => s.channels.find((c) => c.id === id);
const cardOf = (s: State, ref: string) => channel(s, ICT_HELP)?.messages.find((m) => m.text.includes(ref));

/** A button in a message, as the page's readAction reads it. */
function button(message: Message, actionId: string) {
  for (const block of message.blocks ?? []) {
    const elements = (block.elements ?? []) as Array<Record<string, unknown>>;
    const found = elements.find((e) => e.action_id === actionId);
    if (found) {
      return {
        type: 'button',
        action_id: actionId,
        block_id: block.block_id,
        value: found.value,
        text: { type: 'plain_text', text: (found.text as { text: string }).text, emoji: true },
      };
    }
  }
  throw new Error(`no ${actionId} button in ${JSON.stringify(message.blocks)}`);
}

describe(`the playground (${onPostgres ? 'Postgres' : 'PGlite'})`, () => {
  it('serves the page and its scripts on loopback', async () => {
    expect(spoc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${spoc.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    for (const id of ['id="composer"', 'id="person"', 'data-testid="seed"', 'data-testid="reminders"'])
      expect(html).toContain(id);
    for (const asset of ['/app.js', '/blockkit.js', '/style.css'])
      expect((await fetch(`${spoc.url}${asset}`)).status).toBe(200);
    expect((await fetch(`${spoc.url}/healthz`)).status).toBe(200);
  });

  it('sets the school up through /spoc as Mr Head, with @names sent as Slack mentions', async () => {
    const setup = await act(HEAD, 'command', { channel: ICT_HELP, text: '/spoc setup' });
    expect(setup.body).toEqual({ ok: true });
    await until(HEAD, 'setup reply', (s) =>
      s.ephemeral.find((e) => e.channel === ICT_HELP && e.text.includes('is now the SPOC channel')),
    );
    await act(HEAD, 'command', { channel: ICT_HELP, text: '/spoc role @Sam Tech technician' });
    const roles = await until(HEAD, 'Sam is a technician', (s) =>
      s.people.find((p) => p.id === SAM && p.role === 'technician') ? s : undefined,
    );
    expect(roles.school?.channelId).toBe(ICT_HELP);
    expect(roles.people.find((p) => p.id === HEAD)?.role).toBe('admin');
    // The reply is Mr Head's alone.
    expect((await state(PATEL)).ephemeral).toEqual([]);
  });

  it('reports a fault as Ms Patel: the form opens for her, bad input is answered beside the field', async () => {
    expect((await act(PATEL, 'command', { channel: ICT_HELP, text: '/fault projector' })).body).toEqual({
      ok: true,
    });
    const modal = await until(PATEL, 'the fault form', (s) => s.modal ?? undefined);
    expect(modal.view.callback_id).toBe('spoc_fault_report');
    expect(textOf(modal.view.blocks)).toContain('projector');
    expect((await state(SAM)).modal).toBeNull();

    // Nothing chosen for urgency, the summary cleared: errors beside the fields, the form stays.
    await act(PATEL, 'submit', {
      viewId: modal.id,
      state: { [FAULT_BLOCK.summary]: { [ACTION.input]: { type: 'plain_text_input', value: '' } } },
    });
    const refused = await until(PATEL, 'field errors', (s) =>
      s.modal && Object.keys(s.modal.errors).length ? s.modal : undefined,
    );
    expect(refused.id).toBe(modal.id);
    expect(Object.keys(refused.errors)).toEqual(expect.arrayContaining([FAULT_BLOCK.urgency]));

    await act(PATEL, 'submit', {
      viewId: modal.id,
      state: {
        [FAULT_BLOCK.summary]: {
          [ACTION.input]: { type: 'plain_text_input', value: 'Projector in Room 5 flickers' },
        },
        [FAULT_BLOCK.urgency]: {
          [ACTION.input]: {
            type: 'radio_buttons',
            selected_option: { text: { type: 'plain_text', text: 'Needed today' }, value: 'today' },
          },
        },
      },
    });
    const done = await until(PATEL, 'the reported view', (s) =>
      s.modal && textOf(s.modal.view).includes('INC-1') ? s.modal : undefined,
    );
    expect(done.errors).toEqual({});

    const card = await until(PATEL, 'the card in #ict-help', (s) => cardOf(s, 'INC-1'));
    expect(card.user).toBe('U0PLAYBOT');
    expect(textOf(card.blocks)).toContain('Projector in Room 5 flickers');
    const dm = await until(PATEL, 'her DM', (s) => channel(s, PATEL_DM)?.messages[0]);
    expect(textOf(dm)).toContain('logged');
    // Her DM is hers: Sam sees his own, empty.
    expect((await state(SAM)).channels.some((c) => c.id === PATEL_DM)).toBe(false);

    await act(PATEL, 'close', { viewId: modal.id });
    expect((await state(PATEL)).modal).toBeNull();
  });

  it('answers a teacher pressing Claim through the response_url, as an ephemeral message', async () => {
    const card = cardOf(await state(PATEL), 'INC-1')!;
    const pressed = await act(PATEL, 'action', {
      container: { type: 'message', channel: ICT_HELP, ts: card.ts },
      action: button(card, ACTION.claim),
    });
    expect(pressed.body).toEqual({ ok: true });
    const told = await until(PATEL, 'an ephemeral refusal', (s) =>
      s.ephemeral.find((e) => e.channel === ICT_HELP),
    );
    expect(told.text.length).toBeGreaterThan(0);
    expect((await state(SAM)).ephemeral).toEqual([]);
    const again = cardOf(await state(PATEL), 'INC-1')!;
    expect(textOf(again.blocks)).not.toContain('In progress');
  });

  it('claims as Sam Tech: the card is updated in place and Ms Patel hears it was picked up', async () => {
    const card = cardOf(await state(SAM), 'INC-1')!;
    await act(SAM, 'action', {
      container: { type: 'message', channel: ICT_HELP, ts: card.ts },
      action: button(card, ACTION.claim),
    });
    const claimed = await until(SAM, 'the claimed card', (s) => {
      const c = cardOf(s, 'INC-1');
      return c && textOf(c.blocks).includes('In progress') ? c : undefined;
    });
    expect(claimed.ts).toBe(card.ts);
    expect(
      channel(await state(SAM), ICT_HELP)!.messages.filter((m) => m.text.includes('INC-1')),
    ).toHaveLength(1);
    const picked = await until(PATEL, 'the picked-up DM', (s) =>
      channel(s, PATEL_DM)?.messages.find((m) => textOf(m).includes('is now working on your fault')),
    );
    expect(textOf(picked)).toContain(`<@${SAM}>`);
    // Her DM is still one message, the fault's status, updated in place; the step is in its thread.
    const dm = channel(await state(PATEL), PATEL_DM)!.messages;
    expect(dm).toHaveLength(1);
    expect(textOf(dm[0]?.blocks)).toContain(`Claimed by <@${SAM}>`);
    expect(dm[0]?.replies.map((r) => textOf(r.blocks))).toEqual([
      expect.stringContaining('is now working on your fault'),
    ]);
    // The claim is told in the card's thread.
    const thread = await until(SAM, 'the thread line', (s) => {
      const replies = cardOf(s, 'INC-1')?.replies ?? [];
      return replies.length ? replies : undefined;
    });
    expect(thread.every((r) => r.user === 'U0PLAYBOT')).toBe(true);
  });

  it('opens the App Home for the person who opened it', async () => {
    await act(SAM, 'home');
    const home = await until(SAM, 'the App Home', (s) => s.home ?? undefined);
    expect(home.view.type).toBe('home');
    expect(textOf(home.view)).toContain('INC-1');
    expect((await state(PATEL)).home).toBeNull();
  });

  it('reports a message with the "Report ICT fault" shortcut, the message as the summary', async () => {
    await act(PATEL, 'message', { channel: 'C0PLAYSTAF', text: 'The hall speakers crackle' });
    const posted = await until(PATEL, 'her message in #staff', (s) => channel(s, 'C0PLAYSTAF')?.messages[0]);
    await act(PATEL, 'shortcut', { channel: 'C0PLAYSTAF', ts: posted.ts });
    const modal = await until(PATEL, 'the fault form', (s) => s.modal ?? undefined);
    expect(textOf(modal.view.blocks)).toContain('The hall speakers crackle');
    await act(PATEL, 'close', { viewId: modal.id, all: true });
  });

  it('makes a ticket of a message reacted to with 🎫: ✅ and the reference in its thread, once', async () => {
    await act(PATEL, 'message', {
      channel: 'C0PLAYSTAF',
      text: 'Library printer jammed\nPaper stuck in tray 2',
    });
    const posted = await until(PATEL, 'her message', (s) =>
      channel(s, 'C0PLAYSTAF')?.messages.find((m) => m.text.startsWith('Library printer jammed')),
    );
    await act(SAM, 'react', { channel: 'C0PLAYSTAF', ts: posted.ts, name: 'ticket' });
    const marked = await until(SAM, 'the message marked', (s) => {
      const m = channel(s, 'C0PLAYSTAF')?.messages.find((x) => x.ts === posted.ts) as
        | (Message & { reactions: Array<{ name: string; count: number }> })
        | undefined;
      return m?.reactions.some((r) => r.name === 'white_check_mark') && m.replies.length > 0 ? m : undefined;
    });
    expect(marked.reactions).toEqual([
      { name: 'ticket', count: 1 },
      { name: 'white_check_mark', count: 1 },
    ]);
    expect(marked.replies).toHaveLength(1);
    expect(textOf(marked.replies[0]?.blocks)).toMatch(/Logged as \*INC-\d+\*/);
    // Its author reports it: her status message offers Add details.
    const dm = await until(PATEL, 'her status message', (s) =>
      channel(s, PATEL_DM)?.messages.find((m) => textOf(m.blocks).includes('Library printer jammed')),
    );
    expect(button(dm, ACTION.detailsOpen).text.text).toBe('Add details');
    // Reacting again, as someone else: nothing more.
    await act(HEAD, 'react', { channel: 'C0PLAYSTAF', ts: posted.ts, name: 'ticket' });
    await new Promise((r) => setTimeout(r, 500));
    const again = channel(await state(HEAD), 'C0PLAYSTAF')?.messages.find((x) => x.ts === posted.ts);
    expect(again?.replies).toHaveLength(1);
  });

  it('refuses what Slack would refuse, visibly', async () => {
    const odd = await act(PATEL, 'command', { channel: ICT_HELP, text: '/weather' });
    expect(odd.body).toMatchObject({ ok: false, error: expect.stringContaining('/weather') });
    expect((await act('U0NOBODY', 'home')).status).toBe(400);
    expect((await act(PATEL, 'submit', { viewId: 'V0GONE' })).body).toMatchObject({ ok: false });
    const expired = await fetch(`${spoc.url}/play/respond/abcdef0123`, { method: 'POST', body: '{}' });
    expect(expired.status).toBe(404);
  });

  it('answers an unknown Web API method with unknown_method and says so on the page', async () => {
    const token = spoc.playground!.slackMode.botToken;
    const call = (method: string, auth = token) =>
      fetch(`${spoc.url}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'channel=C0PLAYSPOC',
      }).then((r) => r.json());
    expect(await call('pins.add')).toEqual({ ok: false, error: 'unknown_method' });
    expect(await call('auth.test', 'xoxb-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await call('chat.update')).toEqual({ ok: false, error: 'message_not_found' });
    const s = await state(PATEL);
    expect(s.log.some((l) => l.level === 'warn' && l.text.includes('pins.add'))).toBe(true);
  });

  it('keeps the workspace beside the embedded database', async () => {
    if (!dataDir) return;
    const saved = await (async () => {
      for (let i = 0; i < 100; i++) {
        try {
          const text = readFileSync(join(dataDir!, 'playground.json'), 'utf8');
          if (text.includes('INC-1')) return text;
        } catch {
          // Not written yet.
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return '';
    })();
    expect(saved).toContain('INC-1');
    expect(saved).not.toContain(spoc.playground!.slackMode.botToken);
    expect(saved).not.toContain(spoc.playground!.slackMode.signingSecret);
  });
});
