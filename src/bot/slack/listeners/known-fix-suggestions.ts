/**
 * Known fixes in the fault form (Slack): as the summary is typed (a device chosen: fault.ts), the form is
 * updated in place (`views.update` with the view's hash, so an older update loses to a newer
 * one; Slack keeps what was typed, since the blocks keep their ids) with up to three matching
 * fixes, and only when the fixes to show change. "That fixed it" on one counts the deflection
 * once for the form (its view id) and replaces the form with thanks: nothing is reported.
 */
import type { App } from '@slack/bolt';
import { fixedIt } from '../../../domain/known-fixes/deflect';
import { fixesForFaultForm } from '../../../domain/known-fixes/suggest';
import type { ButtonArgs, SlackDeps } from '../deps';
import { guard } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, FAULT_BLOCK } from '../ids';
import { readState } from '../view-state';
import { md, plain } from '../views/format';
import { fixedItView, suggestedFixIds } from '../views/known-fix.view';
import { faultFormAsChosen, refreshForm } from './fault';
import { answerStale } from './form-kit';

export function registerKnownFixSuggestions(app: App, deps: SlackDeps): void {
  const lookAgain = guard<ButtonArgs>(deps, async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    const ctx = await contextFor(deps, slackWho(body));
    const value = readState(view.state.values);
    const locationId = value(FAULT_BLOCK.locationId);
    const knownFixes = await fixesForFaultForm(ctx, {
      summary: value(FAULT_BLOCK.summary),
      locationId,
      assetId: value(FAULT_BLOCK.assetId),
    });
    const shown = suggestedFixIds(view.blocks);
    const now = (knownFixes ?? []).map((f) => f.id);
    // Typing that changes nothing to suggest costs Slack no update.
    if (shown.length === now.length && shown.every((id, n) => id === now[n])) return;
    // The whole form as chosen (devices, "Already reported"), with the fixes just found.
    const form = await faultFormAsChosen(
      ctx,
      view.private_metadata,
      { locationId, assetId: value(FAULT_BLOCK.assetId), summary: value(FAULT_BLOCK.summary) },
      undefined,
      knownFixes,
    );
    await refreshForm(client, view.id, view.hash, form);
  });
  app.action(ACTION.faultSummary, lookAgain);
  // A device chosen is answered by the fault form's own listener (fault.ts), fixes included.

  app.action(
    ACTION.fixWorked,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const { body, client } = args;
      const action = body.actions[0];
      const fixId = action && 'value' in action && typeof action.value === 'string' ? action.value : '';
      if (!body.view) return answerStale(args);
      const ctx = await contextFor(deps, slackWho(body));
      const done = await fixedIt(ctx, { fixId, formKey: body.view.id });
      if (done.ok && done.value.counted) {
        deps.log.info({ schoolId: ctx.actor.schoolId, fixId }, 'fault settled by a known fix');
      }
      await client.views.update({
        view_id: body.view.id,
        view: done.ok
          ? fixedItView(done.value.title)
          : {
              type: 'modal',
              title: plain('Report an ICT fault'),
              close: plain('Close'),
              blocks: [{ type: 'section', text: md(done.error.message) }],
            },
      });
    }),
  );
}
