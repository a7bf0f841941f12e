/**
 * The one place listener faults are handled: the error is logged with a reference
 * and the person sees a short apology carrying that reference, wherever they were. When the
 * database did not answer, the answer says so instead: a form stays open, asking for Submit again.
 */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { withQueryTimeout } from '../../db/deadline';
import { isDatabaseUnavailable, unavailableReason } from '../../db/unavailable';
import { errorRef } from '../../log';
import type { SlackDeps } from './deps';
import {
  apologyModalView,
  apologyText,
  DATABASE_UNAVAILABLE_TEXT,
  SUBMIT_AGAIN_TEXT,
} from './views/replies.view';

/**
 * How long one database call may take while a person waits. Slack wants its answer within 3 s;
 * a call that has not come back by now is taken as a stall, and the person told so in time.
 */
export const REQUEST_QUERY_TIMEOUT_MS = 1_500;

export { errorRef } from '../../log';

interface GuardArgs {
  // Each listener kind has its own ack signature; `never` accepts them all.
  ack: (response?: never) => Promise<void>;
  body: unknown;
  client: WebClient;
  respond?: RespondFn;
}

type AnyAck = (response?: unknown) => Promise<void>;

export function guard<A extends GuardArgs>(deps: SlackDeps, listener: (args: A) => Promise<void>) {
  return async (args: A): Promise<void> => {
    let acked = false;
    const ack: AnyAck = async (response) => {
      acked = true;
      await (args.ack as AnyAck)(response);
    };
    try {
      await withQueryTimeout(REQUEST_QUERY_TIMEOUT_MS, () => listener({ ...args, ack: ack as A['ack'] }));
    } catch (error) {
      const ref = errorRef();
      const body = (args.body ?? {}) as Body;
      const payloadType = body.type ?? 'slash_command';
      const unavailable = isDatabaseUnavailable(error);
      if (unavailable) {
        // Expected while Postgres restarts or the network stalls: one line, no stack trace.
        deps.log.warn(
          { ref, payloadType, reason: unavailableReason(error) },
          'the database did not answer: the person was asked to try again',
        );
      } else deps.log.error({ err: error, ref, payloadType }, 'slack listener failed');
      try {
        await (unavailable
          ? answerUnavailable(args, ack, acked, body)
          : apologise(args, ack, acked, ref, body));
      } catch (apologyError) {
        deps.log.warn({ err: apologyError, ref }, 'could not deliver the apology');
      }
    }
  };
}

interface Body {
  type?: string;
  user_id?: string;
  user?: { id?: string };
  view?: { blocks?: { type?: string; block_id?: string }[]; state?: { values?: Record<string, unknown> } };
}

/** The block beside which a form's error is shown: its first input. */
export function firstInputBlock(view: Body['view']): string | undefined {
  const input = view?.blocks?.find((b) => b.type === 'input' && b.block_id);
  return input?.block_id ?? Object.keys(view?.state?.values ?? {})[0];
}

/**
 * The database did not answer. A form not yet answered stays open with everything typed in it
 * (Slack keeps the values when a submission is answered with errors) and nothing was recorded —
 * its transaction rolled back — so pressing Submit again saves it. Anything else gets a sentence.
 */
async function answerUnavailable(args: GuardArgs, ack: AnyAck, acked: boolean, body: Body): Promise<void> {
  if (!acked && body.type === 'view_submission') {
    const block = firstInputBlock(body.view);
    if (block) return ack({ response_action: 'errors', errors: { [block]: SUBMIT_AGAIN_TEXT } });
  }
  return sayTo(args, ack, acked, body, DATABASE_UNAVAILABLE_TEXT, {
    type: 'modal',
    title: { type: 'plain_text', text: 'Not saved' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: DATABASE_UNAVAILABLE_TEXT } }],
  });
}

async function apologise(
  args: GuardArgs,
  ack: AnyAck,
  acked: boolean,
  ref: string,
  body: Body,
): Promise<void> {
  return sayTo(args, ack, acked, body, apologyText(ref), apologyModalView(ref));
}

/** Says `text` to the person privately wherever they were: in the ack, by response_url, or by DM. */
async function sayTo(
  args: GuardArgs,
  ack: AnyAck,
  acked: boolean,
  body: Body,
  text: string,
  modal: object,
): Promise<void> {
  if (!acked) {
    if (body.type === 'view_submission') return ack({ response_action: 'update', view: modal });
    if (body.type === undefined) return ack({ response_type: 'ephemeral', text });
    await ack();
  }
  if (args.respond && (body.type === undefined || hasResponseUrl(body))) {
    await args.respond({ response_type: 'ephemeral', replace_original: false, text });
    return;
  }
  const userId = body.user_id ?? body.user?.id;
  if (userId) await args.client.chat.postMessage({ channel: userId, text });
}

function hasResponseUrl(body: object): boolean {
  return (
    'response_url' in body ||
    ('response_urls' in body && Array.isArray(body.response_urls) && body.response_urls.length > 0)
  );
}

/**
 * Runs `work`; if it finishes within the ack budget its reply goes in the ack itself (the fastest
 * answer Slack offers), otherwise the request is acked empty at once and the reply follows by
 * `respond` (response_url). Slack's 3-second limit is never at risk.
 */
export async function replyWithinBudget<R>(
  deps: SlackDeps,
  ack: (reply?: R) => Promise<void>,
  later: (reply: R) => Promise<unknown>,
  work: () => Promise<R>,
): Promise<void> {
  const TIMEOUT = Symbol('timeout');
  let timer: NodeJS.Timeout | undefined;
  const pending = work();
  const first = await Promise.race([
    pending,
    new Promise<typeof TIMEOUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMEOUT), deps.ackBudgetMs ?? 2000);
    }),
  ]).finally(() => clearTimeout(timer));
  if (first !== TIMEOUT) return ack(first as R);
  await ack();
  await later(await pending);
}

/** A message sent by DM (text is the notification, blocks what it shows). */
export interface LateMessage {
  text: string;
  blocks: unknown[];
}

type ViewReply =
  | { response_action: 'errors'; errors: Record<string, string> }
  | {
      response_action: 'update';
      view: unknown;
      /**
       * What the next view says that the person must not miss (e.g. an email they are to send):
       * sent by DM instead when the modal has already closed. Never sent to Slack in the ack.
       */
      late?: LateMessage;
    };

/**
 * A modal submission answered within the ack budget: field errors beside the fields or the next
 * view. If the database is slow the modal closes at once and, should the work then fail
 * validation, the person is told by DM; a next view carrying a `late` message is sent by DM too
 * (a success is otherwise confirmed by the outbox as usual).
 */
export async function submitWithinBudget(
  deps: SlackDeps,
  args: { ack: (reply?: never) => Promise<void>; client: WebClient; body: { user: { id: string } } },
  work: () => Promise<ViewReply | undefined>,
): Promise<void> {
  const ack = args.ack as (reply?: ViewReply) => Promise<void>;
  await replyWithinBudget<ViewReply | undefined>(
    deps,
    (...reply) => {
      const [first] = reply;
      if (first?.response_action !== 'update' || !first.late) return ack(...reply);
      const { late: _late, ...shown } = first;
      return ack(shown);
    },
    async (reply) => {
      if (reply?.response_action === 'update') {
        if (reply.late) await args.client.chat.postMessage({ channel: args.body.user.id, ...reply.late });
        return;
      }
      if (reply?.response_action !== 'errors') return;
      const problems = Object.values(reply.errors).join(' ');
      await args.client.chat.postMessage({
        channel: args.body.user.id,
        text: `Your form could not be saved, so nothing was recorded: ${problems} Please try again.`,
      });
    },
    work,
  );
}
