/**
 * The buttons on an incident card and the staff forms they open. Every press goes through a
 * domain command that checks the role itself; the card is then refreshed through the outbox.
 */
import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { IncidentDetail } from '../../../db/queries/incidents';
import type { Ctx } from '../../../domain/context';
import { claimIncident } from '../../../domain/incidents/claim-incident';
import { closeIncident } from '../../../domain/incidents/close-incident';
import { openIncidentFor } from '../../../domain/incidents/open-incident';
import type { Category, Impact, Urgency } from '../../../domain/incidents/priority';
import { resolveIncident } from '../../../domain/incidents/resolve-incident';
import { triageIncident } from '../../../domain/incidents/triage-incident';
import type { Result } from '../../../domain/result';
import type { Permission } from '../../../domain/roles';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, CLOSE_BLOCK, RESOLVE_BLOCK, TRIAGE_BLOCK } from '../ids';
import { fieldErrors, readMetadata, readState, type StateReader } from '../view-state';
import { closeModalView, resolveModalView, triageModalView } from '../views/incident-modals.view';

const Metadata = z.object({ incidentId: z.string() });

/** The incident id a card button carries. */
function buttonValue(body: ButtonArgs['body']): string {
  const action = body.actions[0];
  return action && 'value' in action && typeof action.value === 'string' ? action.value : '';
}

async function tellPresser(args: ButtonArgs, text: string): Promise<void> {
  await args.respond({ response_type: 'ephemeral', replace_original: false, text });
}

export function registerIncidentActions(app: App, deps: SlackDeps): void {
  app.action(
    ACTION.claim,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const ctx = await contextFor(deps, slackWho(args.body));
      const result = await claimIncident(ctx, { incidentId: buttonValue(args.body) });
      if (!result.ok) return tellPresser(args, result.error.message);
      deps.kick();
      deps.log.info(
        { schoolId: ctx.actor.schoolId, incidentId: result.value.incident.id },
        'incident claimed',
      );
    }),
  );

  const forms: Array<[string, Permission, (i: IncidentDetail) => ModalView]> = [
    [ACTION.triage, 'incident.triage', triageModalView],
    [ACTION.resolve, 'incident.resolve', resolveModalView],
    [ACTION.close, 'incident.close', closeModalView],
  ];
  for (const [actionId, permission, view] of forms) {
    app.action(
      actionId,
      guard<ButtonArgs>(deps, async (args) => {
        await args.ack();
        const ctx = await contextFor(deps, slackWho(args.body));
        const found = await openIncidentFor(ctx, { incidentId: buttonValue(args.body), permission });
        if (!found.ok) return tellPresser(args, found.error.message);
        await args.client.views.open({ trigger_id: args.body.trigger_id, view: view(found.value) });
      }),
    );
  }

  // Each staff form: its blocks, the block that carries errors with no field, and its command.
  const submissions: Array<{
    callbackId: string;
    blocks: Record<string, string>;
    fallbackBlock: string;
    run: (ctx: Ctx, incidentId: string, value: StateReader) => Promise<Result<unknown>>;
  }> = [
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
        }),
    },
    {
      callbackId: CALLBACK.closeModal,
      blocks: CLOSE_BLOCK,
      fallbackBlock: CLOSE_BLOCK.note,
      run: (ctx, incidentId, value) => closeIncident(ctx, { incidentId, note: value(CLOSE_BLOCK.note) }),
    },
  ];
  for (const form of submissions) {
    app.view(
      form.callbackId,
      guard<SubmitArgs>(deps, async (args) => {
        const { body, view } = args;
        await submitWithinBudget(deps, args, async () => {
          const ctx = await contextFor(deps, slackWho(body));
          const incidentId = readMetadata(Metadata, view.private_metadata)?.incidentId ?? '';
          const result = await form.run(ctx, incidentId, readState(view.state.values));
          if (!result.ok) {
            return {
              response_action: 'errors',
              errors: fieldErrors(result.error, form.blocks, form.fallbackBlock),
            };
          }
          deps.kick();
          return undefined;
        });
      }),
    );
  }
}
