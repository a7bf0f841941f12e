/**
 * Buttons on reminders: Mark paid, Snooze 7 days, Renewed (asks the new end date), Will cancel.
 * Each changes the record through a domain command, then the reminder message is updated in
 * place to say what was done and by whom.
 */
import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { isUuid } from '../../../domain/ids';
import { assignIncident } from '../../../domain/incidents/assign-incident';
import { openIncidentFor } from '../../../domain/incidents/open-incident';
import { REASSIGN_FORM, RENEW_FORM, type ReminderOutcome } from '../../../domain/presenters/reminder-outcome';
import { markPaymentPaid } from '../../../domain/registers/payments';
import {
  listContractRegister,
  markContractCancelling,
  renewContract,
} from '../../../domain/registers/providers';
import { snoozeReminder } from '../../../domain/reminders/snooze';
import { can, FORBIDDEN } from '../../../domain/roles';
import { schoolToday } from '../../../domain/school-time';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, REGISTER_BLOCK as B, CALLBACK } from '../ids';
import { type FormReply, replyOnce } from '../submit-once';
import { readMetadata, readState } from '../view-state';
import { md, plain } from '../views/format';
import { dateInput } from '../views/registers/inputs.view';
import { reminderDoneView, reminderOutcomeMrkdwn } from '../views/reminder.view';
import { answerStale } from './form-kit';

const RenewMeta = z.object({
  contractId: z.string(),
  channel: z.string(),
  ts: z.string(),
  original: z.string(),
});

function pressed(body: ButtonArgs['body']): {
  value: string;
  original: string;
  channel?: string;
  ts?: string;
} {
  const action = body.actions[0];
  const value = action && 'value' in action && typeof action.value === 'string' ? action.value : '';
  const first = body.message?.blocks?.[0] as { text?: { text?: string } } | undefined;
  return {
    value,
    original: first?.text?.text ?? body.message?.text ?? '',
    channel: body.channel?.id,
    ts: body.message?.ts,
  };
}

function renewModalView(meta: z.infer<typeof RenewMeta>): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.renewModal,
    title: plain(RENEW_FORM.title),
    submit: plain(RENEW_FORM.submit),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(meta),
    blocks: [
      { type: 'section', text: md(meta.original) },
      dateInput(B.expiryDate, RENEW_FORM.field, undefined, { optional: false }),
    ],
  };
}

const ReassignMeta = z.object({
  incidentId: z.string(),
  channel: z.string(),
  ts: z.string(),
  original: z.string(),
});

function reassignModalView(meta: z.infer<typeof ReassignMeta>): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.reassignModal,
    title: plain(REASSIGN_FORM.title),
    submit: plain(REASSIGN_FORM.submit),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(meta),
    blocks: [
      { type: 'section', text: md(meta.original) },
      {
        type: 'input',
        block_id: 'assignee',
        label: plain(REASSIGN_FORM.field),
        hint: plain(REASSIGN_FORM.hint),
        element: { type: 'users_select', action_id: 'value' },
      },
    ],
  };
}

export function registerReminderActions(app: App, deps: SlackDeps): void {
  const act = (
    actionId: string,
    run: (
      args: ButtonArgs,
      ctx: Awaited<ReturnType<typeof contextFor>>,
    ) => Promise<ReminderOutcome | { error: string }>,
  ) =>
    app.action(
      actionId,
      guard<ButtonArgs>(deps, async (args) => {
        await args.ack();
        const ctx = await contextFor(deps, slackWho(args.body));
        const outcome = await run(args, ctx);
        if ('error' in outcome) {
          await args.respond({ response_type: 'ephemeral', replace_original: false, text: outcome.error });
          return;
        }
        const done = reminderDoneView(
          pressed(args.body).original,
          reminderOutcomeMrkdwn(outcome, { slackUserId: args.body.user.id }, ctx.school.timezone),
        );
        await args.respond({ replace_original: true, text: done.text, blocks: done.blocks });
      }),
    );

  act(ACTION.reminderPaid, async (args, ctx) => {
    const today = schoolToday(ctx.clock.now(), ctx.school.timezone);
    const r = await markPaymentPaid(ctx, { paymentId: pressed(args.body).value, paidDate: today });
    if (!r.ok) return { error: r.error.message };
    if (r.value.already) return { kind: 'paid', already: true };
    const next = r.value.next;
    return {
      kind: 'paid',
      already: false,
      paidDate: today,
      next: next ? { amountPence: next.amountPence, dueDate: next.dueDate } : null,
    };
  });

  act(ACTION.reminderSnooze, async (args, ctx) => {
    const r = await snoozeReminder(ctx, { subject: pressed(args.body).value });
    if (!r.ok) return { error: r.error.message };
    return { kind: 'snoozed', until: schoolToday(r.value.until, ctx.school.timezone) };
  });

  act(ACTION.reminderWillCancel, async (args, ctx) => {
    const r = await markContractCancelling(ctx, { contractId: pressed(args.body).value });
    if (!r.ok) return { error: r.error.message };
    return { kind: 'willCancel' };
  });

  /** A private answer to the presser, leaving the reminder as it is. */
  const tell = async (args: ButtonArgs, text: string): Promise<void> => {
    await args.respond({ response_type: 'ephemeral', replace_original: false, text });
  };

  app.action(
    ACTION.reminderRenewed,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const p = pressed(args.body);
      // The form updates the reminder it came from: without one, or without a contract, it cannot help.
      if (!p.channel || !p.ts || !isUuid(p.value)) return answerStale(args);
      const ctx = await contextFor(deps, slackWho(args.body));
      const contracts = await listContractRegister(ctx);
      if (!contracts.ok || !can(ctx.actor.role, 'register.manage'))
        return tell(args, FORBIDDEN['register.manage']);
      if (!contracts.value.some((c) => c.id === p.value)) return tell(args, "I couldn't find that contract.");
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: renewModalView({
          contractId: p.value,
          channel: p.channel,
          ts: p.ts,
          original: p.original.slice(0, 2000),
        }),
      });
    }),
  );

  app.action(
    ACTION.reminderReassign,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const p = pressed(args.body);
      if (!p.channel || !p.ts || !isUuid(p.value)) return answerStale(args);
      const ctx = await contextFor(deps, slackWho(args.body));
      const found = await openIncidentFor(ctx, { incidentId: p.value, permission: 'incident.triage' });
      if (!found.ok) return tell(args, found.error.message);
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: reassignModalView({
          incidentId: p.value,
          channel: p.channel,
          ts: p.ts,
          original: p.original.slice(0, 2000),
        }),
      });
    }),
  );

  app.view(
    CALLBACK.reassignModal,
    guard<SubmitArgs>(deps, async (args) => {
      const { body, view, client } = args;
      const meta = readMetadata(ReassignMeta, view.private_metadata);
      const slackUserId = readState(view.state.values)('assignee') ?? '';
      let done = false;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(body));
        const { repeat, reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
          const r = await assignIncident(tx, {
            incidentId: meta?.incidentId ?? '',
            assignee: { slackUserId },
          });
          if (r.ok) return undefined;
          return {
            response_action: 'errors',
            errors: { assignee: r.error.fields?.assignee ?? r.error.message },
          };
        });
        done = !repeat && reply?.response_action !== 'errors';
        return reply;
      });
      if (!done) return;
      deps.kick();
      if (meta) {
        const outcome: ReminderOutcome = { kind: 'given', to: { name: '', slackUserId } };
        const done = reminderDoneView(
          meta.original,
          reminderOutcomeMrkdwn(outcome, { slackUserId: body.user.id }),
        );
        await client.chat.update({
          channel: meta.channel,
          ts: meta.ts,
          text: done.text,
          blocks: done.blocks,
        });
      }
    }),
  );

  app.view(
    CALLBACK.renewModal,
    guard<SubmitArgs>(deps, async (args) => {
      const { body, view, client } = args;
      const meta = readMetadata(RenewMeta, view.private_metadata);
      const newEndDate = readState(view.state.values)(B.expiryDate) ?? '';
      let done = false;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(body));
        const { repeat, reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
          const r = await renewContract(tx, { contractId: meta?.contractId ?? '', newEndDate });
          if (r.ok) return undefined;
          return {
            response_action: 'errors',
            errors: { [B.expiryDate]: r.error.fields?.newEndDate ?? r.error.message },
          };
        });
        done = !repeat && reply?.response_action !== 'errors';
        return reply;
      });
      if (!done) return;
      if (meta) {
        const done = reminderDoneView(
          meta.original,
          reminderOutcomeMrkdwn({ kind: 'renewed', endDate: newEndDate }, { slackUserId: body.user.id }),
        );
        await client.chat.update({
          channel: meta.channel,
          ts: meta.ts,
          text: done.text,
          blocks: done.blocks,
        });
      }
    }),
  );
}
