/**
 * The real entry point (src/main.ts) in its own process, serving one workspace over HTTP: signed
 * bodies of every malformed shape get a 400 and the process keeps serving. Before the request
 * gate, `payload=null` alone ended the process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { sign } from '../support/slack-payloads';
import { type SpocProcess, startSpocProcess } from '../support/spoc-process';

const FORM = 'application/x-www-form-urlencoded';
const dataDir = mkdtempSync(join(tmpdir(), 'spoc-malformed-'));
let spoc: SpocProcess | undefined;
let fake: FakeSlack;
let url: string;
let exited: number | null | undefined;

beforeAll(async () => {
  fake = await startFakeSlack();
  spoc = await startSpocProcess(['node', '--import', 'tsx', 'src/main.ts'], { apiUrl: fake.apiUrl, dataDir });
  spoc.child.on('exit', (code) => {
    exited = code;
  });
  url = spoc.url;
}, 90_000);

afterAll(async () => {
  spoc?.child.kill('SIGKILL');
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('answers every malformed signed body with 400 and stays up', async () => {
  const payload = (value: string) => sign(`payload=${encodeURIComponent(value)}`, FORM);
  const user = { id: 'U0SOMEONE1', team_id: 'T0FAKE0001' };
  const shapes = [
    sign('payload=null', FORM),
    sign('null', 'application/json'),
    payload('"a string"'),
    payload('42'),
    payload('[]'),
    payload(JSON.stringify({ type: 'no_such_type', user })),
    payload(
      JSON.stringify({ type: 'block_actions', team: { id: 'T0FAKE0001' }, actions: [{ action_id: 'x' }] }),
    ),
    payload(JSON.stringify({ type: 'view_submission', user, team: { id: 'T0FAKE0001' } })),
  ];
  for (const request of shapes) {
    const res = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    expect(res.status).toBe(400);
  }
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect(exited).toBeUndefined();
  expect(spoc?.output()).not.toContain('TypeError');
}, 60_000);
