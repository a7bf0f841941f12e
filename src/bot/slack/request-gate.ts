/**
 * What every POST to `/slack/events` passes before Bolt sees it:
 * - a body of at most 4 MB (413);
 * - Slack's signature, with a timestamp within 5 minutes of now in EITHER direction (401; Bolt
 *   alone only refuses old ones, so a request signed for an hour ahead would pass);
 * - a body of a shape SPOC answers (400; Bolt would crash the process on `payload=null`);
 * - a workspace SPOC serves (200 with "not installed" for a command, empty otherwise), checked
 *   before anything is written, so a crafted team id creates no school.
 * The checked bytes are handed on as the request's `rawBody`, which Bolt reads instead of the
 * (already consumed) stream, and verifies again.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from '../../log';
import { errorRef } from './guard';
import { isUrlVerification, parseSlackBody, workspaceOf } from './payload-shapes';
import { NOT_INSTALLED, type ServesWorkspace } from './workspaces';

/** Slack's own limit on a request, and Bolt's. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** How far a request's timestamp may be from now, either way (Slack's recommendation). */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export interface GateOptions {
  signingSecret: string;
  serves: ServesWorkspace;
  log: Logger;
  /** Seconds since the epoch; the real clock unless a test says otherwise. */
  nowSeconds?: () => number;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

class TooLarge extends Error {}

/** Reads the body; past the limit, the rest is drained unread so a 413 can still be answered. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(new TooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** True when the signature is Slack's for this body and the timestamp is within the window. */
export function verifySignature(
  req: IncomingMessage,
  raw: Buffer,
  secret: string,
  nowSeconds: number,
): boolean {
  const timestamp = header(req, 'x-slack-request-timestamp');
  const signature = header(req, 'x-slack-signature');
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return false;
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function end(res: ServerResponse, status: number, json?: object): void {
  if (res.headersSent) return;
  if (json) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  } else {
    res.writeHead(status);
    res.end();
  }
}

/** Wraps Bolt's request listener: `/slack/events` posts go through the gate, everything else straight on. */
export function gateSlackRequests(bolt: Handler, options: GateOptions): Handler {
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const log = options.log;
  const check = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (error instanceof TooLarge) {
        log.warn('Slack request refused: body over 4 MB');
        res.setHeader('connection', 'close');
        return end(res, 413);
      }
      throw error;
    }
    const contentType = header(req, 'content-type');
    // Slack's unsigned SSL check carries nothing else; answer it here, as Bolt would.
    if (contentType === 'application/x-www-form-urlencoded' && parseQuery(raw.toString()).ssl_check === '1')
      return end(res, 200);
    if (!verifySignature(req, raw, options.signingSecret, now())) {
      log.warn('Slack request refused: missing, wrong or stale signature');
      return end(res, 401);
    }
    const parsed = parseSlackBody(raw.toString('utf8'), contentType);
    if (!parsed) {
      log.warn({ contentType }, 'Slack request refused: not a payload SPOC answers');
      return end(res, 400, { ok: false, error: 'unsupported_payload' });
    }
    if (!isUrlVerification(parsed)) {
      const workspace = workspaceOf(parsed);
      if (!workspace.teamId && !workspace.enterpriseId) {
        log.warn('Slack request refused: it names no workspace');
        return end(res, 400, { ok: false, error: 'no_workspace' });
      }
      let served: boolean;
      try {
        served = await options.serves(workspace);
      } catch (error) {
        const ref = errorRef();
        log.error({ err: error, ref, ...workspace }, 'could not tell whether SPOC serves a workspace');
        if (parsed.kind !== 'command') return end(res, 503);
        return end(res, 200, {
          response_type: 'ephemeral',
          text: `Sorry — SPOC could not check your workspace just now, so nothing was done. Please try again in a minute (ref ${ref}).`,
        });
      }
      if (!served) {
        log.info(workspace, 'Slack request from a workspace SPOC does not serve: nothing done');
        const reply =
          parsed.kind === 'command' ? { response_type: 'ephemeral', text: NOT_INSTALLED } : undefined;
        return end(res, 200, reply);
      }
    }
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    bolt(req, res);
  };
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/slack/events') return bolt(req, res);
    check(req, res).catch((error: unknown) => {
      const ref = errorRef();
      log.error({ err: error, ref }, 'Slack request failed before it reached SPOC');
      end(res, 500);
    });
  };
}
