/**
 * What every register's buttons and forms share: reading a button's value, opening a form after
 * a role check, replying privately, and handling a form's submission (field errors beside the
 * field, then a "Saved" view). One implementation, used by each register's listener.
 */
import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { Ctx } from '../../../domain/context';
import { parseMoney } from '../../../domain/imports/fields';
import type { Result } from '../../../domain/result';
import { can, FORBIDDEN, type Permission } from '../../../domain/roles';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, REGISTER_BLOCK as B } from '../ids';
import { type FormReply, replyOnce } from '../submit-once';
import { fieldErrors, readMetadata, readState, type StateReader } from '../view-state';
import { md, plain } from '../views/format';
import type { SlackMessage } from '../views/incident-card.view';
import { noticeView, STALE_ACTION_TEXT, staleActionView } from '../views/replies.view';

export type SlackCtx = Awaited<ReturnType<typeof contextFor>>;

/** The value a button or overflow option carries. */
export function actionValue(body: ButtonArgs['body']): string {
  const action = body.actions[0];
  if (!action) return '';
  if ('value' in action && typeof action.value === 'string') return action.value;
  if ('selected_option' in action && action.selected_option) return action.selected_option.value ?? '';
  return '';
}

/** A small view that replaces a form once it is saved. */
export function savedView(text: string): ModalView {
  return {
    type: 'modal',
    title: plain('Saved'),
    close: plain('Done'),
    blocks: [{ type: 'section', text: md(text) }],
  };
}

/** Money typed in a form (`1234.5`, `£1,234.50`); a bad figure is a field error before any command runs. */
export function money(value: StateReader, block: string): { pence: number | null } | { error: string } {
  const parsed = parseMoney(value(block) ?? '');
  return parsed.ok ? { pence: parsed.value } : { error: parsed.reason };
}

/** A number input's value, or null when empty. */
export function count(raw: string | undefined): number | null {
  return raw === undefined ? null : Number(raw);
}

export type Submitted = Result<{ saved: string }>;

export const savedAs = <T>(r: Result<T>, text: (v: T) => string): Submitted =>
  r.ok ? { ok: true, value: { saved: text(r.value) } } : r;

export const fieldError = (field: string, message: string): Submitted => ({
  ok: false,
  error: { code: 'VALIDATION', message, fields: { [field]: message } },
});

/** A private reply to the person who pressed a button (replacing the message, for lists). */
export async function reply(args: ButtonArgs, message: SlackMessage, replace = false): Promise<void> {
  await args.respond({
    response_type: 'ephemeral',
    replace_original: replace,
    text: message.text,
    blocks: message.blocks,
  });
}

/**
 * Tells the presser, privately, that what they pressed carries nothing SPOC can act on: under the
 * message when there is one, otherwise (a button on the App Home or in a modal) by DM.
 */
export async function answerStale(args: ButtonArgs): Promise<void> {
  if (args.body.response_url) return reply(args, staleActionView());
  await args.client.chat.postMessage({ channel: args.body.user.id, text: STALE_ACTION_TEXT });
}

/** What a button does with its value, by action id, for each app: a row's menu runs the same. */
const ROW_ACTIONS = new WeakMap<App, Map<string, (args: ButtonArgs, value: string) => Promise<void>>>();

/**
 * Registers what a button does with its value (after it is acknowledged). The same can be chosen
 * from a list row's menu (`ACTION.rowMenu`, see `registerRowMenu`).
 */
export function onButton(
  app: App,
  deps: SlackDeps,
  actionId: string,
  run: (args: ButtonArgs, value: string) => Promise<void>,
): void {
  const actions = ROW_ACTIONS.get(app) ?? new Map();
  ROW_ACTIONS.set(app, actions);
  actions.set(actionId, run);
  app.action(
    actionId,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      await run(args, actionValue(args.body));
    }),
  );
}

/**
 * A list row's menu (an overflow whose options are `<action id>|<value>`): runs what the button of
 * that action id does, with that value. An option naming no button SPOC has is answered as stale.
 */
export function registerRowMenu(app: App, deps: SlackDeps): void {
  app.action(
    ACTION.rowMenu,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const raw = actionValue(args.body);
      const at = raw.indexOf('|');
      const run = at > 0 ? ROW_ACTIONS.get(app)?.get(raw.slice(0, at)) : undefined;
      if (!run) return answerStale(args);
      await run(args, raw.slice(at + 1));
    }),
  );
}

/** Registers a button that opens a form (or answers) after checking the presser may use it; the command checks again on submit. */
export function opener(app: App, deps: SlackDeps) {
  return (
    actionId: string,
    permission: Permission,
    build: (ctx: SlackCtx, value: string) => Promise<ModalView | SlackMessage>,
  ) =>
    onButton(app, deps, actionId, async (args, value) => {
      const ctx = await contextFor(deps, slackWho(args.body));
      if (!can(ctx.actor.role, permission)) return reply(args, noticeView(FORBIDDEN[permission]));
      const built = await build(ctx, value);
      if ('type' in built && built.type === 'modal') {
        await args.client.views.open({ trigger_id: args.body.trigger_id, view: built });
      } else {
        await reply(args, built as SlackMessage);
      }
    });
}

const Metadata = z.object({ id: z.string().optional() });

export interface Submission {
  callbackId: string;
  /** `id` is the record being edited, from the form's private_metadata (checked by the command). */
  run: (ctx: Ctx, id: string | undefined, value: StateReader) => Promise<Submitted>;
}

/** Registers each form's submission, recorded once per view: errors beside the fields, or a "Saved" view. */
export function registerSubmissions(app: App, deps: SlackDeps, submissions: readonly Submission[]): void {
  const blocks = Object.fromEntries(Object.values(B).map((b) => [b, b]));
  for (const form of submissions) {
    app.view(
      form.callbackId,
      guard<SubmitArgs>(deps, async (args) => {
        const { body, view } = args;
        await submitWithinBudget(deps, args, async () => {
          const ctx = await contextFor(deps, slackWho(body));
          const id = readMetadata(Metadata, view.private_metadata)?.id;
          const { repeat, reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
            const result = await form.run(tx, id, readState(view.state.values));
            if (!result.ok) {
              const first = Object.keys(view.state.values)[0] ?? B.name;
              return { response_action: 'errors', errors: fieldErrors(result.error, blocks, first) };
            }
            return { response_action: 'update', view: savedView(result.value.saved) };
          });
          // A diary entry may announce itself in a channel: the outbox has it.
          if (!repeat && reply?.response_action !== 'errors') deps.kick();
          return reply;
        });
      }),
    );
  }
}
