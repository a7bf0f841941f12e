/**
 * How the Slack app's HTTP server drains when SPOC stops (`SlackApp.stop`), one mechanism at a
 * time, with raw keep-alive connections as Slack's own clients hold them:
 *   - an idle keep-alive connection is closed at once, so it does not hold the stop up;
 *   - a request that arrives on a kept-alive connection while draining is answered with
 *     `Connection: close`, and the connection closes after it;
 *   - a request under way when the stop begins is answered, with `Connection: close`;
 *   - a client that never finishes its request is cut when the grace period ends.
 * A request "under way" is one whose body is still arriving (the request gate is reading it).
 */
import type { Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackApp } from '../../../src/bot/slack/app';
import { fixedClock } from '../../../src/domain/clock';
import { silentLogger } from '../../../src/log';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { pinAuthTest } from '../../support/slack-app';
import { SIGNING_SECRET } from '../../support/slack-payloads';

let tdb: TestDatabase;
let slack: SlackApp | undefined;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.destroy();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await slack?.stop(0);
  slack = undefined;
});

async function startApp(): Promise<void> {
  pinAuthTest();
  slack = createSlackApp({
    mode: {
      kind: 'oauth',
      signingSecret: SIGNING_SECRET,
      clientId: '1111.2222',
      clientSecret: 'test-client-secret',
      stateSecret: 'test-state-secret',
      encryptionKeys: [Buffer.alloc(32, 7)],
    },
    database: tdb,
    clock: fixedClock('2027-03-01T09:00:00Z'),
    log: silentLogger,
    kick: () => {},
  });
  const server = (await slack.start(0, '127.0.0.1')) as Server;
  port = (server.address() as AddressInfo).port;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
}

/** A raw HTTP/1.1 connection: what it has received, and whether the server closed it. */
async function keepAliveConnection() {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  const waiters: Array<() => void> = [];
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
    for (const wake of waiters.splice(0)) wake();
  });
  let closed = false;
  const closing = new Promise<void>((resolve) => {
    socket.on('close', () => {
      closed = true;
      for (const wake of waiters.splice(0)) wake();
      resolve();
    });
  });
  socket.on('error', () => {});
  let answered = 0;
  return {
    socket,
    closing,
    get closed() {
      return closed;
    },
    write: (text: string) => socket.write(text),
    /** The next complete answer on this connection (head only, the body skipped by its length). */
    async answer(timeoutMs = 3000): Promise<Answer> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const parsed = parseAnswers(received);
        if (parsed.length > answered) return parsed[answered++]!;
        if (closed) throw new Error(`connection closed with no answer: ${JSON.stringify(received)}`);
        if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

function parseAnswers(text: string): Answer[] {
  const answers: Answer[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return answers;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let next: number;
    if (headers['transfer-encoding'] === 'chunked') {
      const last = rest.indexOf('0\r\n\r\n', end + 4);
      if (last < 0) return answers;
      next = last + 5;
    } else {
      next = end + 4 + Number(headers['content-length'] ?? 0);
      if (rest.length < next) return answers;
    }
    answers.push({ status: Number(statusLine!.split(' ')[1]), headers });
    rest = rest.slice(next);
  }
}

const GET_HEALTH = 'GET /healthz HTTP/1.1\r\nHost: spoc\r\nConnection: keep-alive\r\n\r\n';
/** The head of a Slack post whose body is still to come (the gate waits for all 40 bytes). */
const POST_HEAD =
  'POST /slack/events HTTP/1.1\r\nHost: spoc\r\nConnection: keep-alive\r\n' +
  'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\n';
const BODY = 'payload=%7B%22type%22%3A%22x%22%7D&x=123';

/** Resolves with how long `promise` took, or rejects if it takes longer than `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
  return Date.now() - started;
}

describe('stopping the Slack app’s HTTP server', () => {
  it('closes an idle keep-alive connection at once', async () => {
    await startApp();
    const idle = await keepAliveConnection();
    idle.write(GET_HEALTH);
    expect(await idle.answer()).toMatchObject({ status: 200, headers: { connection: 'keep-alive' } });

    // The grace period is long: only closing the idle connection lets the stop end sooner.
    const took = await within(slack!.stop(10_000), 2000);
    slack = undefined;
    expect(took).toBeLessThan(1000);
    await within(idle.closing, 1000);
  });

  it('answers a request that arrives on a kept-alive connection while draining with Connection: close', async () => {
    expect(BODY).toHaveLength(40);
    await startApp();
    const busy = await keepAliveConnection();
    busy.write(POST_HEAD);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = slack!.stop(10_000);
    slack = undefined;
    // The request under way is answered (unsigned: 401).
    busy.write(BODY);
    const first = await busy.answer();
    await new Promise((r) => setTimeout(r, 50));
    if (busy.closed) {
      // Closed after its answer, which said so: nothing more can arrive on it.
      expect(first.headers.connection).toBe('close');
      return;
    }
    // The client sends its next request on it: it is answered, told to close, and closed.
    busy.write(GET_HEALTH);
    expect(await busy.answer()).toMatchObject({ status: 200, headers: { connection: 'close' } });
    await within(busy.closing, 1000);
    await within(stopping, 2000);
  });

  it('cuts a client that never finishes its request when the grace period ends', async () => {
    await startApp();
    const stuck = await keepAliveConnection();
    stuck.write(POST_HEAD);
    stuck.write(BODY.slice(0, 10));
    await new Promise((r) => setTimeout(r, 100));
    const took = await within(slack!.stop(300), 3000);
    slack = undefined;
    expect(took).toBeGreaterThanOrEqual(250);
    await within(stuck.closing, 1000);
  });

  // A request already under way when the stop begins is answered with `Connection: close` too, so
  // its connection ends with its answer instead of holding the stop up until the grace period.
  it('answers a request under way with Connection: close and lets the stop end after it', async () => {
    await startApp();
    const busy = await keepAliveConnection();
    busy.write(POST_HEAD);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = slack!.stop(10_000);
    slack = undefined;
    await new Promise((r) => setTimeout(r, 100));
    busy.write(BODY);
    expect((await busy.answer()).headers.connection).toBe('close');
    await within(busy.closing, 1000);
    await within(stopping, 1000);
  });
});
