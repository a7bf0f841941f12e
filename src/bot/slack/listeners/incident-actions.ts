/**
 * The buttons on an incident card and the staff forms they open. Every press goes through a
 * domain command that checks the role itself; the card is then refreshed through the outbox.
 * The card's overflow menu carries `<action id>|<incident id>` and opens the same forms.
 *
 * The staff's App Home offers the same buttons (Open, Claim, Resolve, Hold, Resume) with the same
 * action ids, so a press there does what it does on the card. A home has no message to answer
 * under: a refusal goes on top of the home, published again; a press that changed something
 * (Claim, Resume) publishes the presser's home again at once; a form opened from the home
 * remembers it (`home` in its private_metadata) and publishes the presser's home once saved.
 */
import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { incidentAnswer } from '../../../domain/answers/incidents';
import type { Ctx } from '../../../domain/context';
import { isUuid } from '../../../domain/ids';
import { claimIncident } from '../../../domain/incidents/claim-incident';
import { closeIncident } from '../../../domain/incidents/close-incident';
import { openIncidentFor } from '../../../domain/incidents/open-incident';
import type { Category, Impact, Urgency } from '../../../domain/incidents/priority';
import { resolveIncident } from '../../../domain/incidents/resolve-incident';
import { triageIncident } from '../../../domain/incidents/triage-incident';
import type { Result } from '../../../domain/result';
import type { Permission } from '../../../domain/roles';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, type LateMessage, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, CLOSE_BLOCK, RESOLVE_BLOCK, TRIAGE_BLOCK } from '../ids';
import { type FormReply, replyOnce } from '../submit-once';
import { fieldErrors, readMetadata, readState, type StateReader } from '../view-state';
import { presentationModal } from '../views/home.view';
import { closeModalView, resolveModalView, triageModalView } from '../views/incident-modals.view';
import { answerStale } from './form-kit';
import {
  FromHome,
  homeNotice,
  openedFromHome,
  pressedOnHome,
  publishHome,
  republishPresserHome,
} from './home';
import { savedFixOf } from './known-fixes';
import { liaisonButtons, liaisonSubmissions, registerLiaisonActions } from './liaison-actions';

const Metadata = z.object({ incidentId: z.string() });
/** Presses on the App Home already answered there (a refusal on top of the home). */
const ANSWERED_ON_HOME = new WeakSet<object>();

/** The actions that change the incident at once (no form): the presser's home follows at once. */
const ACTS_AT_ONCE: ReadonlySet<string> = new Set([ACTION.claim, ACTION.resume]);

export type SlackCtx = Awaited<ReturnType<typeof contextFor>>;

/** What a card button does once pressed, given who pressed it and for which incident. */
export type CardButton = (args: ButtonArgs, ctx: SlackCtx, incidentId: string) => Promise<void>;

/** What a submitted staff form does: its command, its blocks (for errors) and, optionally, the view shown after. */
export interface IncidentForm {
  callbackId: string;
  blocks: Record<string, string>;
  /** The block that carries an error with no field of its own. */
  fallbackBlock: string;
  /**
   * Runs inside the transaction that records the form once per view (replyOnce). `submissionKey`
   * is the Slack view id, which some commands also keep on the history event.
   */
  run: (
    ctx: Ctx,
    incidentId: string,
    value: StateReader,
    submissionKey: string | undefined,
  ) => Promise<Result<unknown>>;
  /** The view that replaces the form once it succeeds (otherwise it closes). */
  after?: (ctx: SlackCtx, value: unknown) => Promise<ModalView | undefined>;
}

/**
 * The incident id a card button carries, or the overflow option chosen (`<action id>|<incident
 * id>`); nothing when the value is not one the card could have carried.
 */
function pressedOn(body: ButtonArgs['body']): { actionId: string; incidentId: string } | undefined {
  const action = body.actions[0];
  if (!action) return undefined;
  if ('selected_option' in action && action.selected_option) {
    const parts = (action.selected_option.value ?? '').split('|');
    const [actionId = '', incidentId = ''] = parts;
    return parts.length === 2 && isUuid(incidentId) ? { actionId, incidentId } : undefined;
  }
  const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
  return isUuid(value) ? { actionId: action.action_id, incidentId: value } : undefined;
}

/**
 * Tells the presser `text` privately: under the card, or, pressed on their App Home, on top of it
 * (published again; with no `ctx` to publish it, by DM).
 */
export async function tellPresser(args: ButtonArgs, text: string, ctx?: SlackCtx): Promise<void> {
  if (pressedOnHome(args.body)) {
    ANSWERED_ON_HOME.add(args.body);
    if (ctx) return publishHome(args.client, ctx, args.body.user.id, homeNotice(text));
    await args.client.chat.postMessage({ channel: args.body.user.id, text });
    return;
  }
  await args.respond({ response_type: 'ephemeral', replace_original: false, text });
}

/** A button that opens a form about the incident, once the presser is allowed to use it. */
export function formOpener(
  permission: Permission,
  view: (i: IncidentDetail, ctx: SlackCtx) => Promise<ModalView | string> | ModalView | string,
): CardButton {
  return async (args, ctx, incidentId) => {
    const found = await openIncidentFor(ctx, { incidentId, permission });
    if (!found.ok) return tellPresser(args, found.error.message, ctx);
    const built = await view(found.value, ctx);
    // A string is a reason the form cannot help (e.g. no providers yet).
    if (typeof built === 'string') return tellPresser(args, built, ctx);
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: pressedOnHome(args.body) ? openedFromHome(built) : built,
    });
  };
}

/**
 * The view shown after a form, as a DM: when the database was slow the form has already closed,
 * and what it would have shown (e.g. the escalation email to send) must not be lost.
 */
function lateMessageOf(view: ModalView): LateMessage {
  const first = view.blocks.find((b) => b.type === 'section') as { text?: { text?: string } } | undefined;
  return { text: (first?.text?.text ?? view.title.text).slice(0, 300), blocks: view.blocks };
}

export function registerIncidentActions(app: App, deps: SlackDeps): void {
  const buttons: Record<string, CardButton> = {
    [ACTION.claim]: async (args, ctx, incidentId) => {
      const result = await claimIncident(ctx, { incidentId });
      if (!result.ok) return tellPresser(args, result.error.message, ctx);
      deps.kick();
      deps.log.info(
        { schoolId: ctx.actor.schoolId, incidentId: result.value.incident.id },
        'incident claimed',
      );
    },
    [ACTION.triage]: formOpener('incident.triage', triageModalView),
    [ACTION.resolve]: formOpener('incident.resolve', resolveModalView),
    [ACTION.close]: formOpener('incident.close', closeModalView),
    // Open (the staff's App Home): the incident as the presser may see it, as `/spoc incident` shows it.
    [ACTION.incidentOpen]: async (args, ctx, incidentId) => {
      const shown = await incidentAnswer(ctx, [incidentId]);
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: presentationModal(shown, ctx.school.timezone),
      });
    },
    ...liaisonButtons(deps, {
      formOpener,
      tellPresser: async (args, text) =>
        tellPresser(
          args,
          text,
          pressedOnHome(args.body) ? await contextFor(deps, slackWho(args.body)) : undefined,
        ),
    }),
  };
  const press = guard<ButtonArgs>(deps, async (args) => {
    await args.ack();
    const pressed = pressedOn(args.body);
    const handler =
      pressed && Object.hasOwn(buttons, pressed.actionId) ? buttons[pressed.actionId] : undefined;
    if (!pressed || !handler) return answerStale(args);
    const ctx = await contextFor(deps, slackWho(args.body));
    await handler(args, ctx, pressed.incidentId);
    if (pressedOnHome(args.body) && ACTS_AT_ONCE.has(pressed.actionId) && !ANSWERED_ON_HOME.has(args.body)) {
      await republishPresserHome(deps, args);
    }
  });
  for (const actionId of Object.keys(buttons)) app.action(actionId, press);
  app.action(ACTION.cardMore, press);

  // Each staff form: its blocks, the block that carries errors with no field, and its command.
  const forms: IncidentForm[] = [
    {
      callbackId: CALLBACK.triageModal,
      blocks: TRIAGE_BLOCK,
      fallbackBlock: TRIAGE_BLOCK.impact,
      run: (ctx, incidentId, value) =>
        triageIncident(ctx, {
          incidentId,
          impact: value(TRIAGE_BLOCK.impact) as Impact,
          urgency: value(TRIAGE_BLOCK.urgency) as Urgency,
          category: value(TRIAGE_BLOCK.category) as Category,
        }),
    },
    {
      callbackId: CALLBACK.resolveModal,
      blocks: RESOLVE_BLOCK,
      fallbackBlock: RESOLVE_BLOCK.resolution,
      run: (ctx, incidentId, value) =>
        resolveIncident(ctx, {
          incidentId,
          resolution: value(RESOLVE_BLOCK.resolution) ?? '',
          category: value(RESOLVE_BLOCK.category) as Category | undefined,
          knownFix: savedFixOf(value),
        }),
    },
    {
      callbackId: CALLBACK.closeModal,
      blocks: CLOSE_BLOCK,
      fallbackBlock: CLOSE_BLOCK.note,
      run: (ctx, incidentId, value) => closeIncident(ctx, { incidentId, note: value(CLOSE_BLOCK.note) }),
    },
    ...liaisonSubmissions(),
  ];
  registerLiaisonActions(app, deps);
  for (const form of forms) {
    app.view(
      form.callbackId,
      guard<SubmitArgs>(deps, async (args) => {
        const { body, view } = args;
        let saved = false;
        await submitWithinBudget(deps, args, async () => {
          const ctx = await contextFor(deps, slackWho(body));
          const incidentId = readMetadata(Metadata, view.private_metadata)?.incidentId ?? '';
          const { repeat, reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
            const result = await form.run(tx, incidentId, readState(view.state.values), view.id || undefined);
            if (!result.ok) {
              return {
                response_action: 'errors',
                errors: fieldErrors(result.error, form.blocks, form.fallbackBlock),
              };
            }
            const next = await form.after?.(tx, result.value);
            return next ? { response_action: 'update', view: next, late: lateMessageOf(next) } : undefined;
          });
          if (!repeat && reply?.response_action !== 'errors') {
            deps.kick();
            saved = true;
          }
          return reply;
        });
        // Opened from the App Home: the presser's home shows what the form changed, at once.
        if (saved && readMetadata(FromHome, view.private_metadata)) await republishPresserHome(deps, args);
      }),
    );
  }
}
