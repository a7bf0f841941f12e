/**
 * `POST /api/messages`: the Teams app SPOC serves beside Slack. A request is read up to 4 MB
 * (413 past it), parsed as JSON (400), its Bot Framework token checked (401, nothing stored or
 * run), then handed to the bot through the `CloudAdapter`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity } from 'botbuilder';
import type { TeamsCredentials } from '../../config';
import type { Database } from '../../db/client';
import { withQueryTimeout } from '../../db/deadline';
import type { Clock } from '../../domain/clock';
import { errorRef, type Logger } from '../../log';
import { createTeamsAdapter, type SpocCloudAdapter } from './adapter';
import { SpocTeamsBot } from './bot';
import type { TeamsCommand } from './commands';
import { createTeamsSender, type TeamsSender } from './proactive';

/** The path Azure Bot's messaging endpoint points at. */
export const TEAMS_MESSAGES_PATH = '/api/messages';
/** The largest activity SPOC reads; Slack's gate has the same limit. */
export const MAX_TEAMS_BODY_BYTES = 4 * 1024 * 1024;
/**
 * Each database call made for a Teams request is bounded, so Teams is answered in time even when
 * the database stalls (Teams gives a bot 15 s, an invoke 5 s).
 */
export const TEAMS_QUERY_TIMEOUT_MS = 1_500;

export interface TeamsAppOptions {
  database: Database;
  clock: Clock;
  log: Logger;
  /** The bot's app registration; unset only in local mode. */
  credentials?: TeamsCredentials;
  /**
   * Local mode (SPOC_TEAMS_LOCAL=1): no Bot Framework authentication, for Microsoft's Agents
   * Playground on this machine. startSpoc allows it only on 127.0.0.1 with no credentials.
   */
  local?: boolean;
  /** Commands said to the bot (`fault`, `spoc setup`, …); anything else gets the help. */
  commands?: TeamsCommand[];
  /** Wakes the outbox after a change, so cards and notices go at once. */
  kick?: () => void;
}

export interface TeamsApp {
  /** The path it answers: TEAMS_MESSAGES_PATH. */
  path: string;
  /** Answers `POST /api/messages` (anything else on that path: 405). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  adapter: SpocCloudAdapter;
  bot: SpocTeamsBot;
  /** Proactive sends: to a stored conversation, or a new post in a channel. */
  sender: TeamsSender;
  /**
   * Draining: the answers of requests under way, and of any that still arrive, ask their client
   * to close the connection. The HTTP server's own close waits for them.
   */
  drain(): void;
}

class TooLarge extends Error {}
/** A turn that failed, already logged under its reference. */
class TurnFailed extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(new TooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function end(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The status a failed token check is answered with: 401, unless the keys could not be fetched. */
function authFailureStatus(error: unknown): number {
  const e = error as { name?: string; statusCode?: number };
  if (e?.name === 'AuthenticationError' && typeof e.statusCode === 'number' && e.statusCode >= 500)
    return 503;
  // AuthenticationError, and jsonwebtoken's own (bad signature, "jwt signature is required" for
  // alg none, not yet valid) which botbuilder lets through unwrapped.
  return 401;
}

export function createTeamsApp(options: TeamsAppOptions): TeamsApp {
  const { log } = options;
  const tlog = log.child({ component: 'teams' });
  const { adapter, authenticate, appId } = createTeamsAdapter(options.credentials, {
    local: options.local,
  });
  const bot = new SpocTeamsBot({ ...options, log: tlog });
  adapter.onTurnError = async (context, error) => {
    const ref = errorRef();
    tlog.error({ err: error, ref, type: context.activity.type }, 'Teams turn failed');
    // A message gets a short apology with the reference (and Teams its 200); anything else
    // (an invoke) is answered 500.
    if (context.activity.type === 'message') {
      await context
        .sendActivity(`Sorry, something went wrong on SPOC's side (reference ${ref}). Please try again.`)
        .catch((sendError: unknown) => tlog.warn({ err: sendError, ref }, 'could not send the apology'));
      return;
    }
    throw new TurnFailed(ref);
  };

  let draining = false;
  const unanswered = new Set<ServerResponse>();

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return end(res, 405);
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_TEAMS_BODY_BYTES);
    } catch (error) {
      if (error instanceof TooLarge) {
        tlog.warn('Teams request refused: body over 4 MB');
        res.setHeader('connection', 'close');
        return end(res, 413);
      }
      throw error;
    }
    let activity: unknown;
    try {
      activity = JSON.parse(raw.toString('utf8'));
    } catch {
      tlog.warn('Teams request refused: not JSON');
      return end(res, 400, { error: 'invalid_json' });
    }
    if (!activity || typeof activity !== 'object' || Array.isArray(activity)) {
      tlog.warn('Teams request refused: not an activity');
      return end(res, 400, { error: 'not_an_activity' });
    }
    const body = activity as Record<string, unknown>;
    if (typeof body.type !== 'string' || !body.type) {
      tlog.warn('Teams request refused: activity with no type');
      return end(res, 400, { error: 'no_activity_type' });
    }
    const header = req.headers.authorization ?? '';
    let authenticated: Awaited<ReturnType<typeof authenticate>>;
    try {
      authenticated = await authenticate(body, header);
    } catch (error) {
      const status = authFailureStatus(error);
      // The reason only (never the token): "The token has expired", "invalid signature", …
      tlog.warn(
        { status, reason: (error as Error)?.message, type: body.type },
        status === 401
          ? 'Teams request refused: no valid Bot Framework token'
          : 'Teams token keys unavailable',
      );
      return end(res, status);
    }
    const response = await withQueryTimeout(TEAMS_QUERY_TIMEOUT_MS, () =>
      adapter.runAuthenticated(authenticated, body as unknown as Activity, (context) => bot.run(context)),
    );
    end(res, response?.status ?? 200, response?.body);
  }

  return {
    path: TEAMS_MESSAGES_PATH,
    adapter,
    bot,
    sender: createTeamsSender(adapter, appId),
    handle(req, res) {
      if (draining) res.setHeader('connection', 'close');
      else {
        unanswered.add(res);
        res.once('close', () => unanswered.delete(res));
      }
      serve(req, res).catch((error: unknown) => {
        // A failed turn was logged with its reference by onTurnError; anything else is logged here.
        if (!(error instanceof TurnFailed))
          tlog.error({ err: error, ref: errorRef() }, 'Teams request failed');
        end(res, 500);
      });
    },
    drain() {
      draining = true;
      for (const res of unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
      unanswered.clear();
    },
  };
}
