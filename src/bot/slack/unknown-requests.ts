/**
 * Requests no listener answers — a button from an old message whose action SPOC no longer has, a
 * form SPOC no longer knows, a slash command pointed at SPOC by mistake — would otherwise wait
 * for Bolt's 3-second timeout and get a 404, and the person would see nothing. The ids every
 * listener was registered with are recorded as they are registered; a global middleware acks
 * anything else at once and tells the person in a sentence.
 */
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import type { Logger } from '../../log';
import { noticeView, STALE_ACTION_TEXT } from './views/replies.view';

type Constraint = string | RegExp | Record<string, unknown>;
type Kind = 'action' | 'view' | 'command' | 'shortcut' | 'options';

/** The ids each kind of listener answers, recorded as listeners are registered. */
export class ListenerIds {
  private readonly seen: Record<Kind, Array<string | RegExp>> = {
    action: [],
    view: [],
    command: [],
    shortcut: [],
    options: [],
  };

  /** Wraps `app.action`, `app.view`, `app.command`, `app.shortcut` and `app.options` to record their ids. */
  static recordOn(app: App): ListenerIds {
    const ids = new ListenerIds();
    const keyOf: Record<Kind, string> = {
      action: 'action_id',
      view: 'callback_id',
      command: 'command',
      shortcut: 'callback_id',
      options: 'action_id',
    };
    for (const kind of Object.keys(keyOf) as Kind[]) {
      const register = (app[kind] as (...args: unknown[]) => void).bind(app);
      (app as unknown as Record<Kind, (...args: unknown[]) => void>)[kind] = (...args: unknown[]) => {
        ids.add(kind, args[0] as Constraint, keyOf[kind]);
        register(...args);
      };
    }
    return ids;
  }

  private add(kind: Kind, constraint: Constraint, key: string): void {
    if (typeof constraint === 'string' || constraint instanceof RegExp) this.seen[kind].push(constraint);
    else {
      const id = constraint[key];
      // A constraint on something other than the id (a block id, a type) answers any id.
      this.seen[kind].push(typeof id === 'string' || id instanceof RegExp ? id : /.*/);
    }
  }

  knows(kind: Kind, id: string): boolean {
    return this.seen[kind].some((known) => (typeof known === 'string' ? known === id : known.test(id)));
  }
}

/** Acks and answers requests no listener is registered for; everything else goes on to the listeners. */
export function answerUnknownRequests(ids: ListenerIds, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Record<string, unknown> & { type?: string };
    const tell = async (text: string) => {
      if ('respond' in args && args.respond) {
        await args.respond({ response_type: 'ephemeral', replace_original: false, text });
        return;
      }
      const user = (body.user as { id?: string } | undefined)?.id;
      if (user) await args.client.chat.postMessage({ channel: user, ...noticeView(text) });
    };
    const ack = 'ack' in args ? (args.ack as (response?: unknown) => Promise<void>) : undefined;

    if (typeof body.command === 'string' && !ids.knows('command', body.command)) {
      log.warn({ command: body.command }, 'slash command SPOC does not answer');
      return ack?.({
        response_type: 'ephemeral',
        text: `SPOC does not answer \`${body.command}\`. Use \`/fault\` to report a fault, or \`/spoc help\`.`,
      });
    }
    if (body.type === 'block_actions') {
      const actions = (body.actions as Array<{ action_id: string }>) ?? [];
      if (actions.some((a) => !ids.knows('action', a.action_id))) {
        log.warn({ actionIds: actions.map((a) => a.action_id) }, 'button SPOC does not answer');
        await ack?.();
        return tell(STALE_ACTION_TEXT);
      }
    }
    if (body.type === 'view_submission' || body.type === 'view_closed') {
      const callbackId = (body.view as { callback_id: string }).callback_id;
      if (!ids.knows('view', callbackId)) {
        log.warn({ callbackId }, 'form SPOC does not answer');
        if (body.type === 'view_closed') return ack?.();
        return ack?.({
          response_action: 'update',
          view: {
            type: 'modal',
            title: { type: 'plain_text', text: 'SPOC' },
            close: { type: 'plain_text', text: 'Close' },
            blocks: noticeView(
              'This form no longer does anything, so nothing was saved. Run `/spoc help` to see what SPOC can do.',
            ).blocks,
          },
        });
      }
    }
    if (
      (body.type === 'message_action' || body.type === 'shortcut') &&
      typeof body.callback_id === 'string'
    ) {
      if (!ids.knows('shortcut', body.callback_id)) {
        log.warn({ callbackId: body.callback_id }, 'shortcut SPOC does not answer');
        await ack?.();
        return tell('That shortcut no longer does anything — run `/spoc help` to see what SPOC can do.');
      }
    }
    if (body.type === 'block_suggestion' && !ids.knows('options', String(body.action_id))) {
      return ack?.({ options: [] });
    }
    await args.next();
  };
}
