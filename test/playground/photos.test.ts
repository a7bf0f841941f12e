/**
 * Photos in the playground, as `npm start` runs it with no credentials: the page uploads a photo
 * for the fault form's file input (`/play/file`), the report records it, the card's thread shows
 * it (an image block by file id, which the page serves from the playground itself), and SPOC's
 * copy is fetched from the playground's file host into the database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/bot/playground/public/blockkit';
import { ACTION, FAULT_BLOCK } from '../../src/bot/slack/ids';
import { parseConfig } from '../../src/config';
import { incidentPhotos } from '../../src/db/schema';
import { silentLogger } from '../../src/log';
import { type RunningSpoc, startSpoc } from '../../src/server';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/db';
import { textOf } from '../support/slack-app';

const PATEL = 'U0PLAYTEACH';
const HEAD = 'U0PLAYHEAD';
const ICT_HELP = 'C0PLAYSPOC';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

interface Message {
  ts: string;
  text: string;
  blocks: Array<Record<string, unknown>> | null;
  replies: Message[];
}
interface State {
  channels: Array<{ id: string; messages: Message[] }>;
  ephemeral: Array<{ channel: string; text: string }>;
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
    dataDir = mkdtempSync(join(tmpdir(), 'spoc-playground-photos-'));
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
  for (let i = 0; i < 300; i++) {
    const found = probe(await state(as));
    if (found !== undefined && found !== false) return found;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe(`photos in the playground (${onPostgres ? 'Postgres' : 'PGlite'})`, () => {
  it('takes a photo uploaded on the page, shows it in the thread and keeps a copy in the database', async () => {
    await act(HEAD, 'command', { channel: ICT_HELP, text: '/spoc setup' });
    await until(HEAD, 'setup', (s) => s.ephemeral.find((e) => e.text.includes('is now the SPOC channel')));

    await act(PATEL, 'command', { channel: ICT_HELP, text: '/fault printer' });
    const modal = await until(PATEL, 'the fault form', (s) => s.modal ?? undefined);
    const blocks = modal.view.blocks as Array<Record<string, unknown>>;
    expect(blocks.find((b) => b.block_id === FAULT_BLOCK.photos)).toMatchObject({
      element: { type: 'file_input', max_files: 3 },
    });

    // The page uploads the photo as it is chosen, and sends Slack's file object with the form.
    const upload = await fetch(`${spoc.url}/play/file?as=${PATEL}&name=jam.png`, {
      method: 'POST',
      headers: { 'x-spoc-playground': 'upload', 'content-type': 'application/octet-stream' },
      body: PNG,
    });
    const { file } = (await upload.json()) as { file: { id: string; mimetype: string; size: number } };
    expect(file).toMatchObject({ mimetype: 'image/png', size: PNG.length });

    await act(PATEL, 'submit', {
      viewId: modal.id,
      state: {
        [FAULT_BLOCK.summary]: { [ACTION.input]: { type: 'plain_text_input', value: 'Printer jammed' } },
        [FAULT_BLOCK.urgency]: {
          [ACTION.input]: {
            type: 'radio_buttons',
            selected_option: { text: { type: 'plain_text', text: 'Needed today' }, value: 'today' },
          },
        },
        [FAULT_BLOCK.photos]: { [ACTION.input]: { type: 'file_input', files: [file] } },
      },
    });
    await until(PATEL, 'the reported view', (s) => s.modal && textOf(s.modal.view).includes('INC-1'));

    const card = await until(PATEL, 'the card', (s) =>
      s.channels.find((c) => c.id === ICT_HELP)?.messages.find((m) => m.text.includes('INC-1')),
    );
    expect(textOf(card.blocks)).toContain(':camera: 1 photo');
    const reply = await until(PATEL, 'the photos in the thread', (s) =>
      s.channels
        .find((c) => c.id === ICT_HELP)
        ?.messages.find((m) => m.text.includes('INC-1'))
        ?.replies.find((r) => r.text.includes('photo')),
    );
    expect(reply.blocks?.find((b) => b.type === 'image')).toMatchObject({ slack_file: { id: file.id } });
    // The page shows it from the playground's own file host.
    const html = renderMessage({ text: reply.text, blocks: reply.blocks });
    expect(html).toContain(`<img src="/play/files/${file.id}"`);
    expect((await fetch(`${spoc.url}/play/files/${file.id}`)).headers.get('content-type')).toBe('image/png');

    // The copy, from the playground's file host through files.info, kept in the database.
    let data: Buffer | null = null;
    for (let i = 0; i < 200 && !data; i++) {
      const [row] = await spoc.database.db.select().from(incidentPhotos);
      data = row?.data ? Buffer.from(row.data) : null;
      if (!data) await new Promise((r) => setTimeout(r, 30));
    }
    expect(data?.equals(PNG)).toBe(true);
  });
});
