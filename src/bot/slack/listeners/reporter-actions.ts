/**
 * The reporter's buttons, in their DMs and on their App Home: "Fixed", "Still broken" and "Add a
 * comment or photo link" (a form). The commands check that the presser reported the incident.
 * In a DM the message pressed is updated to the fault's status with what the press did (it stays
 * the reporter's status message); on the App Home the answer is shown on top of the refreshed
 * Home. Either way, the status message SPOC keeps for the fault is updated too.
 */
import type { App } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { settleStatusMessage } from '../../../domain/delivery/status-message';
import { commentOnIncident } from '../../../domain/incidents/comment-incident';
import { getIncident } from '../../../domain/incidents/list-incidents';
import {
  confirmFixed,
  type ReporterResponseInput,
  type ReporterResponseOutput,
  reportStillBroken,
} from '../../../domain/incidents/reporter-response';
import { COMMENT_CLOSED } from '../../../domain/presenters/incident-forms';
import type { Result } from '../../../domain/result';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, COMMENT_BLOCK } from '../ids';
import { type FormReply, replyOnce } from '../submit-once';
import { fieldErrors, readMetadata, readState } from '../view-state';
import { commentModalView, commentSentView } from '../views/comment-modal.view';
import { md } from '../views/format';
import type { SlackMessage } from '../views/incident-card.view';
import { mrkdwn } from '../views/render';
import { type ReporterButton, reporterAnswerView, reporterStatusView } from '../views/reporter-notice.view';
import { actionValue } from './form-kit';
import { publishHome } from './home';
import type { SlackCtx } from './subcommand';

const Metadata = z.object({ incidentId: z.string() });

export const fromHome = (body: ButtonArgs['body']) => body.view?.type === 'home';

/** The satisfaction question's buttons, kept with the answer when it is shown on the Home tab. */
const ON_HOME_TOO = new Set<string>([
  ACTION.satisfactionUp,
  ACTION.satisfactionDown,
  ACTION.satisfactionComment,
]);
const onHome = (b: KnownBlock) =>
  b.type === 'section' ||
  (b.type === 'actions' && b.elements.every((e) => 'action_id' in e && ON_HOME_TOO.has(String(e.action_id))));

/** Answers the presser where they pressed: on their Home tab, or in the message itself. */
export async function answer(args: ButtonArgs, ctx: SlackCtx, message: SlackMessage, replace: boolean) {
  if (fromHome(args.body)) {
    const notice: KnownBlock[] = message.blocks.filter(onHome);
    await publishHome(args.client, ctx, args.body.user.id, notice);
    return;
  }
  await args.respond(
    replace
      ? { replace_original: true, text: message.text, blocks: message.blocks }
      : { response_type: 'ephemeral', replace_original: false, text: message.text },
  );
}

/** The ts of the message whose button was pressed, if it was a message. */
export const pressedTs = (body: ButtonArgs['body']): string | undefined =>
  (body as { container?: { message_ts?: string } }).container?.message_ts ??
  (body as { message?: { ts?: string } }).message?.ts;

/** A short private answer that leaves the message with the buttons as it was. */
export function tell(args: ButtonArgs, ctx: SlackCtx, text: string) {
  return answer(args, ctx, { text, blocks: [{ type: 'section', text: md(text) }] }, false);
}

const CLOSED = mrkdwn(COMMENT_CLOSED);

export function registerReporterActions(app: App, deps: SlackDeps): void {
  const answers: Array<
    [
      string,
      ReporterButton,
      (ctx: SlackCtx, i: ReporterResponseInput) => Promise<Result<ReporterResponseOutput>>,
    ]
  > = [
    [ACTION.reporterFixed, 'fixed', confirmFixed],
    [ACTION.reporterStillBroken, 'still_broken', reportStillBroken],
  ];
  for (const [actionId, button, run] of answers) {
    app.action(
      actionId,
      guard<ButtonArgs>(deps, async (args) => {
        await args.ack();
        const ctx = await contextFor(deps, slackWho(args.body));
        const result = await run(ctx, { incidentId: actionValue(args.body) });
        if (!result.ok) return tell(args, ctx, result.error.message);
        const { outcome, incident, changed, satisfaction } = result.value;
        const timezone = ctx.school.timezone;
        // After Fixed, the satisfaction question goes under the answer (until it is answered).
        const answered = { button, outcome, satisfaction };
        const status = await settleStatusMessage(ctx, incident.id, timezone);
        const place = status.found ? status.model.place : null;
        if (changed) {
          deps.kick();
          deps.log.info(
            { schoolId: ctx.actor.schoolId, incidentId: incident.id, outcome },
            'reporter answered',
          );
        }
        // In a DM the message pressed stays a status message: where the fault now stands, with
        // what the press did. On the Home tab the answer is shown on top of it.
        const shown =
          status.found && !fromHome(args.body)
            ? reporterStatusView(status.model.incident, timezone, answered)
            : reporterAnswerView(button, outcome, incident, timezone, satisfaction);
        await answer(args, ctx, shown, true);
        // Pressed elsewhere (the Home tab, an older DM): the status message follows too.
        if (status.found && place && place.postedId !== pressedTs(args.body)) {
          try {
            await args.client.chat.update({
              channel: place.channel,
              ts: place.postedId,
              ...reporterStatusView(status.model.incident, timezone, answered),
            });
          } catch (error) {
            deps.log.warn(
              { schoolId: ctx.actor.schoolId, incidentId: incident.id, err: String(error) },
              "could not update the reporter's status message; the next step will",
            );
          }
        }
      }),
    );
  }

  app.action(
    ACTION.commentOpen,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const ctx = await contextFor(deps, slackWho(args.body));
      const found = await getIncident(ctx, { ref: actionValue(args.body) });
      if (!found.ok) return tell(args, ctx, found.error.message);
      if (found.value.incident.status === 'closed') return tell(args, ctx, CLOSED);
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: commentModalView(found.value.incident),
      });
    }),
  );

  app.view(
    CALLBACK.commentModal,
    guard<SubmitArgs>(deps, async (args) => {
      const { body, view } = args;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(body));
        const value = readState(view.state.values);
        const { repeat, reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
          const result = await commentOnIncident(tx, {
            incidentId: readMetadata(Metadata, view.private_metadata)?.incidentId ?? '',
            note: value(COMMENT_BLOCK.note) ?? '',
            link: value(COMMENT_BLOCK.link),
            submissionKey: view.id || undefined,
          });
          if (!result.ok) {
            return {
              response_action: 'errors',
              errors: fieldErrors(result.error, COMMENT_BLOCK, COMMENT_BLOCK.note),
            };
          }
          const { incident } = result.value;
          // commentOnIncident tells whoever has the incident when its reporter adds something.
          const told =
            incident.reporterId === ctx.actor.personId &&
            Boolean(incident.assigneeId && incident.assigneeId !== ctx.actor.personId);
          return { response_action: 'update', view: commentSentView(incident, told) };
        });
        if (!repeat && reply?.response_action !== 'errors') deps.kick();
        return reply;
      });
    }),
  );
}
