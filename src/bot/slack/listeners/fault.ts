/**
 * Reporting a fault: `/fault [text]`, the "Report ICT fault" message shortcut and the App Home
 * button open the same form; submitting it runs `reportFault`.
 */
import type { App, BlockAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Ctx } from '../../../domain/context';
import { findAlreadyReported, followIncident } from '../../../domain/incidents/already-reported';
import type { Impact, Urgency } from '../../../domain/incidents/priority';
import { reportFault } from '../../../domain/incidents/report-fault';
import { deflectionOfForm } from '../../../domain/known-fixes/deflect';
import { fixesForFaultForm } from '../../../domain/known-fixes/suggest';
import { listLocations } from '../../../domain/locations/list-locations';
import {
  type AlreadyReportedWords,
  alreadyReportedWords,
  meTooDoneText,
} from '../../../domain/presenters/already-reported';
import { deviceLabel } from '../../../domain/presenters/format';
import { assetsForFaultForm } from '../../../domain/registers/assets';
import { searchLocationNames } from '../../../domain/registers/locations';
import type {
  ButtonArgs,
  CommandArgs,
  MessageShortcutArgs,
  OptionsArgs,
  SlackDeps,
  SubmitArgs,
} from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, FAULT_BLOCK } from '../ids';
import { type FormReply, replyOnce } from '../submit-once';
import { fieldErrors, readMetadata, readState } from '../view-state';
import { meTooDoneView } from '../views/already-reported.view';
import { type FaultModalMetadata, faultModalView, faultReportedView } from '../views/fault-modal.view';
import { photosFromState } from '../views/fault-photos.view';
import { unescapeSlack } from '../views/format';
import { fixedItView } from '../views/known-fix.view';
import { option } from '../views/registers/inputs.view';

async function openFaultModal(
  deps: SlackDeps,
  client: WebClient,
  body: unknown,
  triggerId: string,
  prefill: { summary?: string; description?: string },
  metadata: FaultModalMetadata,
): Promise<void> {
  const ctx = await contextFor(deps, slackWho(body));
  const locations = await listLocations(ctx);
  const knownFixes = await fixesForFaultForm(ctx, { summary: prefill.summary });
  await client.views.open({
    trigger_id: triggerId,
    view: faultModalView({ locations, prefill, metadata, knownFixes }),
  });
}

/**
 * Refreshes the form after a change. Two quick changes race: Slack refuses the older update with
 * hash_conflict, and the newer one is already on its way, so that refusal is not an error.
 */
export async function refreshForm(
  client: WebClient,
  viewId: string,
  hash: string,
  view: ModalView,
): Promise<void> {
  try {
    await client.views.update({ view_id: viewId, hash, view });
  } catch (error) {
    if ((error as { data?: { error?: string } }).data?.error !== 'hash_conflict') throw error;
  }
}

/**
 * The form as chosen so far: the devices at the chosen place, the chosen device if it is one of
 * them, the open incident it already has ("Already reported") or `notice` in its place, and the
 * known fixes for what it holds (`knownFixes`, when already looked up).
 */
export async function faultFormAsChosen(
  ctx: Ctx,
  privateMetadata: string | undefined,
  chosen: { locationId?: string; assetId?: string; summary?: string },
  notice?: AlreadyReportedWords,
  knownFixes?: Awaited<ReturnType<typeof fixesForFaultForm>>,
): Promise<ModalView> {
  const { locationId } = chosen;
  const assets = locationId ? await assetsForFaultForm(ctx, { locationId }) : [];
  // A device chosen at another place no longer applies.
  const assetId = assets.some((a) => a.id === chosen.assetId) ? chosen.assetId : undefined;
  const found = notice ? undefined : await findAlreadyReported(ctx, { assetId, locationId });
  const hint = found?.ok && found.value ? alreadyReportedWords(found.value, ctx.clock.now()) : null;
  return faultModalView({
    locations: await listLocations(ctx),
    locationId,
    assets: assets.map((a) => ({ id: a.id, label: deviceLabel(a) })),
    assetId,
    alreadyReported: notice ?? hint,
    metadata: readMetadata(Metadata, privateMetadata) ?? { source: 'command' },
    knownFixes:
      knownFixes ?? (await fixesForFaultForm(ctx, { summary: chosen.summary, locationId, assetId })),
  });
}

/** First line of a message as the summary; the whole message as the details. */
export function prefillFromText(text: string): { summary?: string; description?: string } {
  const clean = unescapeSlack(text).trim();
  if (!clean) return {};
  const [firstLine = ''] = clean.split('\n');
  return {
    summary: firstLine.trim(),
    ...(clean.includes('\n') || firstLine.length > 150 ? { description: clean } : {}),
  };
}

export const Metadata = z.object({
  source: z.enum(['command', 'shortcut', 'home', 'details']),
  channelId: z.string().optional(),
  incidentId: z.string().optional(),
});

export function registerFaultListeners(app: App, deps: SlackDeps): void {
  // Choosing a location refreshes the form with the assets kept there; choosing a device looks
  // for an open incident on it ("Already reported"). Whatever is typed stays (same block ids).
  const refreshOnChoice = (chose: 'location' | 'asset') =>
    guard<ButtonArgs>(deps, async ({ ack, body, client }) => {
      await ack();
      const view = body.view;
      const action = body.actions[0];
      if (!view || !action || !('selected_option' in action)) return;
      const ctx = await contextFor(deps, slackWho(body));
      const state = readState(view.state?.values);
      const chosen = action.selected_option?.value;
      const form = await faultFormAsChosen(ctx, view.private_metadata, {
        locationId: chose === 'location' ? chosen : state(FAULT_BLOCK.locationId),
        assetId: chose === 'asset' ? chosen : state(FAULT_BLOCK.assetId),
        summary: state(FAULT_BLOCK.summary),
      });
      await refreshForm(client, view.id, view.hash, form);
    });
  app.action(ACTION.faultLocation, refreshOnChoice('location'));
  // The device select keeps the inputs' own action id, so it is told apart by its block; where
  // the school has known fixes it has its own (known-fix.view.ts), and is answered the same way.
  app.action<BlockAction>(
    { block_id: FAULT_BLOCK.assetId, action_id: ACTION.input },
    refreshOnChoice('asset'),
  );
  app.action(ACTION.faultAsset, refreshOnChoice('asset'));

  // "Me too" beside the warning: follow that incident instead of reporting it again.
  app.action(
    ACTION.faultMeToo,
    guard<ButtonArgs>(deps, async ({ ack, body, client }) => {
      await ack();
      const view = body.view;
      const action = body.actions[0];
      if (!view || !action || !('value' in action)) return;
      const ctx = await contextFor(deps, slackWho(body));
      const result = await followIncident(ctx, { incidentId: String(action.value ?? '') });
      if (result.ok) {
        if (!result.value.already) deps.kick();
        deps.log.info(
          {
            schoolId: ctx.actor.schoolId,
            incidentId: result.value.incident.id,
            already: result.value.already,
          },
          'fault followed (me too)',
        );
        await refreshForm(
          client,
          view.id,
          view.hash,
          meTooDoneView(meTooDoneText(result.value.reference, result.value.already)),
        );
        return;
      }
      // Fixed or closed meanwhile: the form stays, with why in place of the warning.
      const state = readState(view.state?.values);
      const form = await faultFormAsChosen(
        ctx,
        view.private_metadata,
        {
          locationId: state(FAULT_BLOCK.locationId),
          assetId: state(FAULT_BLOCK.assetId),
          summary: state(FAULT_BLOCK.summary),
        },
        {
          incidentId: String(action.value ?? ''),
          line: [result.error.message],
          detail: ['Carry on below to report it.'],
          meToo: null,
        },
      );
      await refreshForm(client, view.id, view.hash, form);
    }),
  );

  // Type-ahead location selects, used once a school has more than 100 locations.
  for (const actionId of [ACTION.locationSearch, ACTION.faultLocation]) {
    app.options(actionId, async ({ ack, body }: OptionsArgs) => {
      const ctx = await contextFor(deps, slackWho(body));
      const found = await searchLocationNames(ctx, { query: body.value ?? '' });
      await ack({ options: found.map((l) => option(l.id, l.name)) });
    });
  }

  app.command(
    '/fault',
    guard<CommandArgs>(deps, async ({ ack, body, client }) => {
      await ack();
      await openFaultModal(deps, client, body, body.trigger_id, prefillFromText(body.text), {
        source: 'command',
        channelId: body.channel_id,
      });
    }),
  );

  app.shortcut(
    { callback_id: CALLBACK.reportFromMessage, type: 'message_action' },
    guard<MessageShortcutArgs>(deps, async ({ ack, body, client }) => {
      await ack();
      await openFaultModal(deps, client, body, body.trigger_id, prefillFromText(body.message.text ?? ''), {
        source: 'shortcut',
        channelId: body.channel.id,
      });
    }),
  );

  app.action(
    ACTION.reportFault,
    guard<ButtonArgs>(deps, async ({ ack, body, client }) => {
      await ack();
      await openFaultModal(deps, client, body, body.trigger_id, {}, { source: 'home' });
    }),
  );

  app.view(
    CALLBACK.faultModal,
    guard<SubmitArgs>(deps, async (args) => {
      const { body, view } = args;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(body));
        const value = readState(view.state.values);
        const { repeat, reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
          // Settled by a known fix ("That fixed it") while open: nothing to report.
          const settled = await deflectionOfForm(tx, view.id);
          if (settled) return { response_action: 'update', view: fixedItView(settled) };
          const result = await reportFault(tx, {
            summary: value(FAULT_BLOCK.summary) ?? '',
            description: value(FAULT_BLOCK.description),
            locationId: value(FAULT_BLOCK.locationId),
            assetId: value(FAULT_BLOCK.assetId),
            impact: value(FAULT_BLOCK.impact) as Impact | undefined,
            urgency: (value(FAULT_BLOCK.urgency) ?? '') as Urgency,
            // One modal, one incident: a retried or doubled submission finds the first.
            submissionKey: z.string().min(1).parse(view.id),
            photos: photosFromState(value.files(FAULT_BLOCK.photos)),
          });
          if (!result.ok) {
            return {
              response_action: 'errors',
              errors: fieldErrors(result.error, FAULT_BLOCK, FAULT_BLOCK.summary),
            };
          }
          deps.log.info(
            {
              schoolId: ctx.actor.schoolId,
              incidentId: result.value.incident.id,
              duplicate: result.value.duplicate,
            },
            'fault reported',
          );
          return {
            response_action: 'update',
            view: faultReportedView(result.value.reference, result.value.incident.summary),
          };
        });
        if (!repeat && reply?.response_action !== 'errors') deps.kick();
        return reply;
      });
    }),
  );
}
