/**
 * "Add details" on the reporter's message about a fault made from their chat message (a ticket
 * by reaction): opens the fault form filled in with what the fault says now, and its submit
 * brings that incident up to date (`addFaultDetails`) rather than reporting a new one.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { addFaultDetails, faultForDetails } from '../../../domain/incidents/add-fault-details';
import type { Impact, Urgency } from '../../../domain/incidents/priority';
import { formatReference } from '../../../domain/incidents/reference';
import { listLocations } from '../../../domain/locations/list-locations';
import { deviceLabel } from '../../../domain/presenters/format';
import { assetsForFaultForm } from '../../../domain/registers/assets';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, FAULT_BLOCK } from '../ids';
import { type FormReply, replyOnce } from '../submit-once';
import { fieldErrors, readMetadata, readState } from '../view-state';
import { faultDetailsSavedView, faultModalView } from '../views/fault-modal.view';
import { actionValue } from './form-kit';

const Metadata = z.object({ source: z.literal('details'), incidentId: z.string() });

export function registerFaultDetails(app: App, deps: SlackDeps): void {
  app.action(
    ACTION.detailsOpen,
    guard<ButtonArgs>(deps, async ({ ack, body, client, respond }) => {
      await ack();
      const ctx = await contextFor(deps, slackWho(body));
      const found = await faultForDetails(ctx, actionValue(body));
      if (!found.ok) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: found.error.message });
        return;
      }
      const incident = found.value;
      const locationId = incident.locationId ?? undefined;
      const assets = locationId ? await assetsForFaultForm(ctx, { locationId }) : [];
      await client.views.open({
        trigger_id: body.trigger_id,
        view: faultModalView({
          locations: await listLocations(ctx),
          locationId,
          assets: assets.map((a) => ({ id: a.id, label: deviceLabel(a) })),
          prefill: { summary: incident.summary, description: incident.description },
          metadata: { source: 'details', incidentId: incident.id },
        }),
      });
    }),
  );

  app.view(
    CALLBACK.faultDetails,
    guard<SubmitArgs>(deps, async (args) => {
      const { body, view } = args;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(body));
        const value = readState(view.state.values);
        const { repeat, reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
          const result = await addFaultDetails(tx, {
            incidentId: readMetadata(Metadata, view.private_metadata)?.incidentId ?? '',
            summary: value(FAULT_BLOCK.summary) ?? '',
            description: value(FAULT_BLOCK.description),
            locationId: value(FAULT_BLOCK.locationId),
            assetId: value(FAULT_BLOCK.assetId),
            impact: value(FAULT_BLOCK.impact) as Impact | undefined,
            urgency: (value(FAULT_BLOCK.urgency) ?? '') as Urgency,
            submissionKey: view.id || undefined,
          });
          if (!result.ok) {
            return {
              response_action: 'errors',
              errors: fieldErrors(result.error, FAULT_BLOCK, FAULT_BLOCK.summary),
            };
          }
          const { incident } = result.value;
          deps.log.info({ schoolId: ctx.actor.schoolId, incidentId: incident.id }, 'fault details added');
          return {
            response_action: 'update',
            view: faultDetailsSavedView(formatReference(incident.number), incident.summary),
          };
        });
        if (!repeat && reply?.response_action !== 'errors') deps.kick();
        return reply;
      });
    }),
  );
}
