/**
 * Liaison on the incident card: Forward (to a technician or a first-level provider), Escalate (to
 * a second-level provider, with the summary posted in their channel or an email to send), the
 * provider's updates and hand-back, on hold / resume, staff notes — and the Chase button on the
 * reminder that an escalation has gone unanswered. Every command checks the role itself.
 */
import type { App } from '@slack/bolt';
import type { Ctx } from '../../../domain/context';
import { chaseEscalation } from '../../../domain/incidents/chase-escalation';
import { commentOnIncident, replyToReporter } from '../../../domain/incidents/comment-incident';
import {
  type EscalateIncidentOutput,
  escalateIncident,
  getEscalationSummary,
} from '../../../domain/incidents/escalate-incident';
import { forwardIncident } from '../../../domain/incidents/forward-incident';
import { type HoldReason, holdIncident, resumeIncident } from '../../../domain/incidents/hold-incident';
import { mergeIncident } from '../../../domain/incidents/merge-incident';
import { handBackIncident, recordProviderUpdate } from '../../../domain/incidents/provider-update';
import { formatReference } from '../../../domain/incidents/reference';
import { listAssignablePeople } from '../../../domain/people';
import { listProviderRegister } from '../../../domain/registers/providers';
import type { ButtonArgs, SlackDeps } from '../deps';
import { guard } from '../guard';
import { contextFor, slackWho } from '../identity';
import {
  ACTION,
  CALLBACK,
  ESCALATE_BLOCK,
  FORWARD_BLOCK,
  HAND_BACK_BLOCK,
  HOLD_BLOCK,
  MERGE_BLOCK,
  NOTE_BLOCK,
  PROVIDER_UPDATE_BLOCK,
  REPLY_BLOCK,
} from '../ids';
import {
  chaseReplyView,
  escalationEmailModalView,
  escalationPostedModalView,
} from '../views/escalation.view';
import {
  escalateModalView,
  forwardModalView,
  handBackModalView,
  holdModalView,
  mergeModalView,
  noteModalView,
  providerUpdateModalView,
  replyModalView,
} from '../views/incident-modals.view';
import { reminderDoneView, reminderOutcomeMrkdwn } from '../views/reminder.view';
import type { CardButton, formOpener as formOpenerType, IncidentForm, SlackCtx } from './incident-actions';

/** What the card's shared listener lends each liaison button. */
export interface CardKit {
  formOpener: typeof formOpenerType;
  tellPresser: (args: ButtonArgs, text: string) => Promise<void>;
}

async function providersOf(ctx: Ctx, levels: ReadonlyArray<string>) {
  const all = await listProviderRegister(ctx);
  return all.ok ? all.value.filter((p) => levels.includes(p.level)) : [];
}

/** The liaison buttons on the card (and in its overflow menu), by action id. */
export function liaisonButtons(deps: SlackDeps, kit: CardKit): Record<string, CardButton> {
  const { formOpener, tellPresser } = kit;
  return {
    [ACTION.forward]: formOpener('incident.triage', async (i, ctx) => {
      // The school's staff by SPOC person id, as Teams lists them: never a teacher or the bot.
      const staff = await listAssignablePeople(ctx);
      return forwardModalView(i, await providersOf(ctx, ['first']), staff.ok ? staff.value : []);
    }),
    [ACTION.escalate]: formOpener('incident.escalate', async (i, ctx) => {
      const providers = await providersOf(ctx, ['second', 'supplier']);
      if (providers.length === 0)
        return 'There are no second-level providers or suppliers in the register yet: add one with `/spoc providers`.';
      return escalateModalView(i, providers);
    }),
    [ACTION.providerUpdate]: formOpener('incident.escalate', providerUpdateModalView),
    [ACTION.handBack]: formOpener('incident.escalate', handBackModalView),
    [ACTION.hold]: formOpener('incident.hold', holdModalView),
    [ACTION.note]: formOpener('incident.note', noteModalView),
    [ACTION.reply]: formOpener('incident.note', replyModalView),
    [ACTION.merge]: formOpener('incident.triage', mergeModalView),
    [ACTION.resume]: async (args, ctx, incidentId) => {
      const result = await resumeIncident(ctx, { incidentId });
      if (!result.ok) return tellPresser(args, result.error.message);
      // A second press (or a double click): someone already took it off hold.
      if (!result.value.event)
        return tellPresser(
          args,
          `${formatReference(result.value.incident.number)} is not on hold any more, so there is nothing to resume.`,
        );
      deps.kick();
    },
  };
}

/** The liaison forms' submissions. */
export function liaisonSubmissions(): IncidentForm[] {
  return [
    {
      callbackId: CALLBACK.forwardModal,
      blocks: FORWARD_BLOCK,
      fallbackBlock: FORWARD_BLOCK.assignee,
      run: (ctx, incidentId, value, submissionKey) => {
        // A person of the actor's school, by id: the command refuses anyone else beside the field.
        const personId = value(FORWARD_BLOCK.assignee);
        return forwardIncident(ctx, {
          incidentId,
          technician: personId ? { personId } : undefined,
          providerId: value(FORWARD_BLOCK.providerId),
          submissionKey,
        });
      },
    },
    {
      callbackId: CALLBACK.escalateModal,
      blocks: ESCALATE_BLOCK,
      fallbackBlock: ESCALATE_BLOCK.providerId,
      run: (ctx, incidentId, value) =>
        escalateIncident(ctx, {
          incidentId,
          providerId: value(ESCALATE_BLOCK.providerId) ?? '',
          providerRef: value(ESCALATE_BLOCK.providerRef),
          note: value(ESCALATE_BLOCK.note) ?? '',
        }),
      // With no chat channel for the provider, the SPOC is handed the email to send.
      after: async (ctx, value) => {
        const out = value as EscalateIncidentOutput;
        const summary = await getEscalationSummary(ctx, out.escalation.id);
        if (!summary.ok) return undefined;
        return out.via === 'channel'
          ? escalationPostedModalView(summary.value)
          : escalationEmailModalView(summary.value);
      },
    },
    {
      callbackId: CALLBACK.providerUpdateModal,
      blocks: PROVIDER_UPDATE_BLOCK,
      fallbackBlock: PROVIDER_UPDATE_BLOCK.note,
      run: (ctx, incidentId, value, submissionKey) =>
        recordProviderUpdate(ctx, {
          incidentId,
          note: value(PROVIDER_UPDATE_BLOCK.note) ?? '',
          providerRef: value(PROVIDER_UPDATE_BLOCK.providerRef),
          submissionKey,
        }),
    },
    {
      callbackId: CALLBACK.handBackModal,
      blocks: HAND_BACK_BLOCK,
      fallbackBlock: HAND_BACK_BLOCK.note,
      run: (ctx, incidentId, value) =>
        handBackIncident(ctx, { incidentId, note: value(HAND_BACK_BLOCK.note) }),
    },
    {
      callbackId: CALLBACK.holdModal,
      blocks: HOLD_BLOCK,
      fallbackBlock: HOLD_BLOCK.reason,
      run: (ctx, incidentId, value) =>
        holdIncident(ctx, {
          incidentId,
          reason: (value(HOLD_BLOCK.reason) ?? '') as HoldReason,
          detail: value(HOLD_BLOCK.detail),
        }),
    },
    {
      callbackId: CALLBACK.noteModal,
      blocks: NOTE_BLOCK,
      fallbackBlock: NOTE_BLOCK.note,
      run: (ctx, incidentId, value, submissionKey) =>
        commentOnIncident(ctx, {
          incidentId,
          note: value(NOTE_BLOCK.note) ?? '',
          link: value(NOTE_BLOCK.link),
          submissionKey,
        }),
    },
    {
      callbackId: CALLBACK.mergeModal,
      blocks: MERGE_BLOCK,
      fallbackBlock: MERGE_BLOCK.into,
      run: (ctx, incidentId, value) =>
        mergeIncident(ctx, { duplicate: incidentId, into: value(MERGE_BLOCK.into) ?? '' }),
    },
    {
      callbackId: CALLBACK.replyModal,
      blocks: REPLY_BLOCK,
      fallbackBlock: REPLY_BLOCK.note,
      run: (ctx, incidentId, value, submissionKey) =>
        replyToReporter(ctx, {
          incidentId,
          note: value(REPLY_BLOCK.note) ?? '',
          link: value(REPLY_BLOCK.link),
          submissionKey,
        }),
    },
  ];
}

/** The reminder's Chase button, and the link buttons the email views carry. */
export function registerLiaisonActions(app: App, deps: SlackDeps): void {
  app.action(
    ACTION.reminderChase,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const action = args.body.actions[0];
      const value = action && 'value' in action && typeof action.value === 'string' ? action.value : '';
      const [escalationId = '', count] = value.split(':');
      const ctx: SlackCtx = await contextFor(deps, slackWho(args.body));
      const chaseCount = count !== undefined && /^\d+$/.test(count) ? Number(count) : undefined;
      const result = await chaseEscalation(ctx, { escalationId, chaseCount });
      if (!result.ok) {
        await args.respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: result.error.message,
        });
        return;
      }
      deps.kick();
      const { escalation, already, via } = result.value;
      const first = args.body.message?.blocks?.[0] as { text?: { text?: string } } | undefined;
      const original = first?.text?.text ?? args.body.message?.text ?? '';
      const outcome = reminderOutcomeMrkdwn(
        {
          kind: 'chased',
          already,
          chaseCount: escalation.chaseCount,
          respondBy: escalation.respondBy?.toISOString() ?? null,
        },
        { slackUserId: args.body.user.id },
        ctx.school.timezone,
      );
      const done = reminderDoneView(original, outcome);
      await args.respond({ replace_original: true, text: done.text, blocks: done.blocks });
      const summary = await getEscalationSummary(ctx, escalation.id);
      if (!summary.ok) return;
      const reply = chaseReplyView(summary.value, via);
      await args.respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: reply.text,
        blocks: reply.blocks,
      });
    }),
  );

  // A mailto: button opens the person's email app; Slack still reports the click, which needs only an ack.
  app.action(
    ACTION.emailLink,
    guard<ButtonArgs>(deps, async ({ ack }) => {
      await ack();
    }),
  );
}
