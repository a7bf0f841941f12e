/**
 * The playground's HTTP routes:
 *   GET  /, /app.js, /style.css, /blockkit.js   the page (no build step, nothing from elsewhere)
 *   POST /api/<method>                          the fake Slack Web API the app calls
 *   POST /play/upload/<file id>                 file bytes for files.uploadV2 (the upload URL)
 *   GET  /play/files/<file id>/<name>           a shared file, to download
 *   POST /play/file?as=U…&name=…                the page uploads a file for a file input
 *   GET  /play/state?as=U…&since=N&wait=ms      the workspace as that person sees it (long-poll)
 *   POST /play/act                              something the person did, relayed to the app
 *   POST /play/respond/<token>                  the app's respond() posts to a response_url
 *   GET  /healthz, /readyz                      as SPOC's own
 *
 * Any website the person visits could send requests here, so: POSTs carrying another origin (or
 * Sec-Fetch-Site other than same-origin) are refused, /play/act takes JSON only and /play/file a
 * custom header (neither can be sent cross-site without a CORS preflight, which is never
 * answered), and on loopback a Host other than 127.0.0.1 / localhost / [::1] is refused (DNS
 * rebinding). The app's own calls (Web API, upload, respond) come from this machine, with no Origin.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type Database, ping } from '../../db/client';
import type { Logger } from '../../log';
import { type Relay, RelayAct, RelayError } from './relay';
import { callWebApi, fileOut, parseApiBody, type WebApiContext } from './web-api';
import type { Workspace } from './workspace';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/blockkit.js': { file: 'blockkit.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
/** The page may talk to this server only, and no other page may frame it. */
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MAX_BODY = 6 * 1024 * 1024;
const TOO_LARGE = 'That is too large for the playground (6 MB at most).';
/** The page sends it with uploads: a header no other site can send without a preflight. */
export const UPLOAD_HEADER = 'x-spoc-playground';

export interface PlaygroundRoutes {
  workspace: Workspace;
  relay: Relay;
  apiContext: WebApiContext;
  database: Database;
  log: Logger;
  stateFor(userId: string): Promise<Record<string, unknown>>;
  seed(): Promise<{ ok: boolean; message: string }>;
  runReminders(at?: string): Promise<{ ok: boolean; message: string }>;
  report(level: 'info' | 'warn' | 'error', text: string): void;
  /** Listening on loopback: only requests addressed to 127.0.0.1, localhost or [::1] are answered. */
  loopbackOnly: boolean;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request's body, up to MAX_BODY. Too large (declared, or found while reading a chunked body):
 * a 413 with a sentence. The rest is read and dropped rather than the socket destroyed, so the
 * answer arrives instead of a reset connection.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY) return Promise.reject(new HttpError(413, TOO_LARGE));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY) {
        over = true;
        chunks.length = 0;
        reject(new HttpError(413, TOO_LARGE));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The media type of a content-type header, without parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type':
      typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

const ActBody = z.object({ as: z.string().min(1), kind: z.string().min(1) }).passthrough();

export function createPlaygroundServer(routes: PlaygroundRoutes): Server {
  const { workspace, relay, apiContext, log } = routes;
  const isPerson = (id: string | null | undefined) =>
    Boolean(id && workspace.people.some((p) => p.id === id));

  /** The names this server is reached by on loopback, with its port. */
  function loopbackHosts(): Set<string> {
    const { port } = server.address() as AddressInfo;
    const names = ['127.0.0.1', 'localhost', '[::1]'];
    return new Set([...names.map((n) => `${n}:${port}`), ...(port === 80 ? names : [])]);
  }

  /** Refuses what a page on another site (or a rebound DNS name) sends; see the module comment. */
  function checkOrigin(req: IncomingMessage, method: string): void {
    const host = (req.headers.host ?? '').toLowerCase();
    if (routes.loopbackOnly && !loopbackHosts().has(host))
      throw new HttpError(421, 'The playground answers at 127.0.0.1 or localhost only.');
    if (method === 'GET' || method === 'HEAD') return;
    const origin = req.headers.origin?.toLowerCase();
    const site = req.headers['sec-fetch-site'];
    if (
      (origin !== undefined && origin !== `http://${host}`) ||
      (site && site !== 'same-origin' && site !== 'none')
    )
      throw new HttpError(403, 'The playground takes requests from its own page only.');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://playground');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    checkOrigin(req, method);

    const asset = STATIC[path];
    if (asset && (method === 'GET' || method === 'HEAD')) {
      const content = await readFile(`${PUBLIC_DIR}${asset.file}`).catch(() => undefined);
      if (!content) throw new HttpError(404, `${asset.file} is missing from the playground.`);
      res.writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'no-store',
        'content-security-policy': CSP,
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
      });
      res.end(method === 'HEAD' ? undefined : content);
      return;
    }

    if (path === '/healthz') return send(res, 200, { ok: true });
    if (path === '/readyz') {
      const ok = await ping(routes.database);
      return send(res, ok ? 200 : 503, { ok, database: ok ? 'reachable' : 'unreachable' });
    }

    if (path.startsWith('/api/') && method === 'POST') {
      const apiMethod = decodeURIComponent(path.slice('/api/'.length));
      const raw = (await readBody(req)).toString('utf8');
      let args: Record<string, unknown>;
      try {
        args = parseApiBody(raw, req.headers['content-type']);
      } catch {
        return send(res, 200, { ok: false, error: 'invalid_json' });
      }
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ')
        ? header.slice('Bearer '.length)
        : (args.token as string | undefined);
      delete args.token;
      const reply = callWebApi(apiContext, apiMethod, args, token);
      if (!reply.ok && reply.error !== 'unknown_method')
        log.debug({ method: apiMethod, error: reply.error }, 'playground: Web API call refused');
      return send(res, 200, reply);
    }

    const upload = /^\/play\/upload\/([A-Z0-9]+)$/.exec(path);
    if (upload && method === 'POST') {
      const bytes = await readBody(req);
      const contentType = req.headers['content-type'] ?? '';
      let data: Uint8Array = bytes;
      if (contentType.startsWith('multipart/form-data')) {
        const form = await new Response(new Uint8Array(bytes), {
          headers: { 'content-type': contentType },
        }).formData();
        const part = [...form.values()].find((v) => typeof v !== 'string');
        if (!part || typeof part === 'string') throw new HttpError(400, 'no file in the upload');
        data = new Uint8Array(await part.arrayBuffer());
      }
      if (!workspace.storeFile(upload[1]!, data)) throw new HttpError(404, 'no such upload');
      return send(res, 200, `OK - ${data.byteLength}`);
    }

    const download = /^\/play\/files\/([A-Z0-9]+)(?:\/[^/]*)?$/.exec(path);
    if (download && method === 'GET') {
      const file = workspace.files.get(download[1]!);
      if (!file?.uploaded) throw new HttpError(404, 'That file is not here.');
      const safeName = file.name.replace(/[^\w.-]+/g, '_');
      res.writeHead(200, {
        'content-type': file.mimetype,
        'content-length': String(Buffer.byteLength(file.content, 'base64')),
        'content-disposition': `${url.searchParams.has('download') ? 'attachment' : 'inline'}; filename="${safeName}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'",
      });
      res.end(Buffer.from(file.content, 'base64'));
      return;
    }

    if (path === '/play/file' && method === 'POST') {
      const as = url.searchParams.get('as');
      const name = (url.searchParams.get('name') ?? '').trim().slice(0, 200);
      if (!isPerson(as)) throw new HttpError(400, 'Choose who you are acting as first.');
      if (!name) throw new HttpError(400, 'The file has no name.');
      if (req.headers[UPLOAD_HEADER] === undefined)
        throw new HttpError(403, 'The playground takes uploads from its own page only.');
      const bytes = await readBody(req);
      const file = workspace.newFile(name, bytes.byteLength, as!);
      workspace.storeFile(file.id, bytes);
      return send(res, 200, { ok: true, file: fileOut(apiContext, file) });
    }

    if (path === '/play/state' && method === 'GET') {
      const as = url.searchParams.get('as');
      if (!isPerson(as)) throw new HttpError(400, 'Unknown person: choose someone from the list.');
      const since = Number(url.searchParams.get('since'));
      const wait = Math.min(Number(url.searchParams.get('wait')) || 0, 25_000);
      if (Number.isFinite(since) && since > 0 && wait > 0) {
        const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
        await Promise.race([workspace.waitForChange(since, wait), closed]);
        if (res.destroyed) return;
      }
      return send(res, 200, { ok: true, ...(await routes.stateFor(as!)) });
    }

    if (path === '/play/act' && method === 'POST') {
      if (mediaType(req.headers['content-type']) !== 'application/json')
        throw new HttpError(415, 'The playground takes JSON here (content-type: application/json).');
      const raw = (await readBody(req)).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw new HttpError(400, 'The request was not JSON.');
      }
      const head = ActBody.safeParse(body);
      if (!head.success || !isPerson(head.data.as))
        throw new HttpError(400, 'Unknown person: choose someone from the list.');
      const { as, kind, ...rest } = head.data;
      if (kind === 'seed') return send(res, 200, await routes.seed());
      if (kind === 'reminders') {
        const at = typeof rest.at === 'string' && rest.at.trim() ? rest.at : undefined;
        return send(res, 200, await routes.runReminders(at));
      }
      const act = RelayAct.safeParse({ kind, ...rest });
      if (!act.success) {
        const problem = act.error.issues[0];
        throw new HttpError(
          400,
          `The page sent something odd (${problem?.path.join('.') || kind}: ${problem?.message}).`,
        );
      }
      try {
        return send(res, 200, await relay.act(as, act.data));
      } catch (error) {
        if (error instanceof RelayError) return send(res, 200, { ok: false, error: error.message });
        throw error;
      }
    }

    const respond = /^\/play\/respond\/([a-f0-9]+)$/.exec(path);
    if (respond && method === 'POST') {
      const raw = (await readBody(req)).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return send(res, 400, 'invalid_payload');
      }
      if (!relay.respondTo(respond[1]!, body)) return send(res, 404, 'expired_url');
      return send(res, 200, 'ok');
    }

    throw new HttpError(404, `Nothing at ${method} ${path}.`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return send(res, error.status, { ok: false, error: error.message });
      log.error({ err: error, path: req.url?.split('?')[0] }, 'playground request failed');
      routes.report('error', `The playground failed: ${(error as Error).message ?? String(error)}`);
      send(res, 500, {
        ok: false,
        error: 'The playground failed to do that (see the terminal for details).',
      });
    });
  });
  return server;
}
