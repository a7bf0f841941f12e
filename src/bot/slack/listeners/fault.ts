/**
 * Reporting a fault: `/fault [text]`, the "Report ICT fault" message shortcut and the App Home
 * button open the same form; submitting it runs `reportFault`.
 */
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Impact, Urgency } from '../../../domain/incidents/priority';
import { reportFault } from '../../../domain/incidents/report-fault';
import { listLocations } from '../../../domain/locations/list-locations';
import type { ButtonArgs, CommandArgs, MessageShortcutArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, FAULT_BLOCK } from '../ids';
import { fieldErrors, readState } from '../view-state';
import { type FaultModalMetadata, faultModalView, faultReportedView } from '../views/fault-modal.view';
import { unescapeSlack } from '../views/format';

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
  await client.views.open({ trigger_id: triggerId, view: faultModalView({ locations, prefill, metadata }) });
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

export function registerFaultListeners(app: App, deps: SlackDeps): void {
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
        const result = await reportFault(ctx, {
          summary: value(FAULT_BLOCK.summary) ?? '',
          description: value(FAULT_BLOCK.description),
          locationId: value(FAULT_BLOCK.locationId),
          impact: value(FAULT_BLOCK.impact) as Impact | undefined,
          urgency: (value(FAULT_BLOCK.urgency) ?? '') as Urgency,
          // One modal, one incident: a retried or doubled submission finds the first.
          submissionKey: z.string().min(1).parse(view.id),
        });
        if (!result.ok) {
          return {
            response_action: 'errors',
            errors: fieldErrors(result.error, FAULT_BLOCK, FAULT_BLOCK.summary),
          };
        }
        deps.kick();
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
    }),
  );
}
