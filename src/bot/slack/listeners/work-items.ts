/**
 * Changes and problems in Slack: `/spoc changes|problems|change|problem`, the list's and detail's
 * buttons, their forms, and "Open a problem" on a repeated-faults reminder. The answers, the forms
 * (their fields, their reading, the command each calls and what "saved" says) are the domain's
 * (`answers/work-items.ts`, `forms/work-items.ts`), the same as Teams'; here they are laid out as
 * blocks and modals, and field errors go beside the field.
 */
import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import {
  changesCommandAnswer,
  isUsage,
  type Usage,
  workDetailCommandAnswer,
  workItemAnswer,
  workListAnswer,
} from '../../../domain/answers/work-items';
import {
  editWorkForm,
  linkForm,
  newWorkForm,
  openNewWork,
  progressForm,
  resolveLinkedForm,
  type WorkForm,
} from '../../../domain/forms/work-items';
import { formatReference } from '../../../domain/incidents/reference';
import type { Presentation } from '../../../domain/presenters/presentation';
import { readPageValue } from '../../../domain/presenters/registers/paging';
import { suggestedProblemTitle } from '../../../domain/reminders/problem-suggestions';
import { can, FORBIDDEN } from '../../../domain/roles';
import { WORK_ITEM_KINDS, WORK_LIST_FILTERS, type WorkListFilter } from '../../../domain/work-items/types';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK } from '../ids';
import { replyOnce } from '../submit-once';
import { fieldErrors, readMetadata, readState } from '../view-state';
import { clip } from '../views/format';
import type { SlackMessage } from '../views/incident-card.view';
import { reminderDoneView, reminderOutcomeMrkdwn } from '../views/reminder.view';
import { mrkdwn } from '../views/render';
import { noticeView, usageView } from '../views/replies.view';
import { workDetailView, workFormModal, workListView, workSavedView } from '../views/work-items.view';
import { actionValue, answerStale, opener, reply } from './form-kit';
import { fieldReader } from './office-forms';
import type { Handler, SlackCtx } from './subcommand';

/** `/spoc changes [filter] [page]`: a page of the list. */
export async function changesReply(
  ctx: SlackCtx,
  filter: WorkListFilter,
  page: number,
): Promise<SlackMessage> {
  return workListView(await workListAnswer(ctx, filter, page), ctx.school.timezone);
}

/** One change or problem in full. */
export async function workItemReply(ctx: SlackCtx, ref: string): Promise<SlackMessage> {
  return workDetailView(await workItemAnswer(ctx, ref), ctx.school.timezone);
}

/** An answer to a command: the usage with the help under it, else the answer laid out by `view`. */
const answered =
  (view: (p: Presentation, timezone: string) => SlackMessage) =>
  (ctx: SlackCtx, a: Presentation | Usage): SlackMessage =>
    isUsage(a) ? usageView(mrkdwn(a.usage), ctx.actor.role) : view(a, ctx.school.timezone);

export const WORK_SUBCOMMANDS: Record<string, Handler> = {
  changes: async (ctx, args) => answered(workListView)(ctx, await changesCommandAnswer(ctx, args)),
  problems: async (ctx, args) =>
    answered(workListView)(ctx, await changesCommandAnswer(ctx, args, 'problems')),
  change: async (ctx, args) =>
    answered(workDetailView)(ctx, await workDetailCommandAnswer(ctx, args, 'change')),
  problem: async (ctx, args) =>
    answered(workDetailView)(ctx, await workDetailCommandAnswer(ctx, args, 'problem')),
};

const Metadata = z.object({
  id: z.string().optional(),
  kind: z.enum(WORK_ITEM_KINDS).optional(),
  reminder: z.object({ channel: z.string(), ts: z.string(), original: z.string() }).optional(),
});
type Meta = z.infer<typeof Metadata>;

const SuggestionValue = z.object({
  label: z.string().max(200),
  incidents: z.array(z.number().int()).max(50),
});

type ViewReply =
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: ModalView };

/** The form a submission under `callbackId` is: a new item's by the kind it was opened for. */
type FormOf = (meta: Meta) => WorkForm;

/**
 * Each form's submission, recorded once per view (and its view id handed to the command, which
 * records it too): the domain form's answer becomes field errors, the "Saved" view, or the form it
 * offers next. `after` runs once Slack has its answer (updating the reminder a problem was opened
 * from), and not for a repeat, which changed nothing.
 */
function submission(
  app: App,
  deps: SlackDeps,
  callbackId: string,
  formOf: FormOf,
  after?: (args: SubmitArgs, meta: Meta, reference: string) => () => Promise<unknown>,
): void {
  app.view(
    callbackId,
    guard<SubmitArgs>(deps, async (args) => {
      let then: (() => Promise<unknown>) | undefined;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(args.body));
        const meta = readMetadata(Metadata, args.view.private_metadata) ?? {};
        const form = formOf(meta);
        let done: typeof then;
        const { repeat, reply } = await replyOnce(ctx, args.view, async (tx): Promise<ViewReply> => {
          const r = await form.submit(
            tx,
            meta.id,
            fieldReader(readState(args.view.state.values)),
            args.view.id || undefined,
          );
          if (!r.ok) {
            const ids = Object.keys(args.view.state.values);
            const blocks = Object.fromEntries(ids.map((b) => [b, b]));
            return { response_action: 'errors', errors: fieldErrors(r.error, blocks, ids[0] ?? '') };
          }
          done = after?.(args, meta, r.value.reference);
          const next = r.value.next;
          if (next) {
            return {
              response_action: 'update',
              view: workFormModal(CALLBACK.workResolveModal, next.spec, { id: next.id }, 'Not now'),
            };
          }
          return {
            response_action: 'update',
            view: workSavedView(mrkdwn(r.value.saved, ctx.school.timezone)),
          };
        });
        if (!repeat && reply?.response_action !== 'errors') {
          deps.kick();
          then = done;
        }
        return reply;
      });
      await then?.();
    }),
  );
}

/** A domain form's spec as this callback's modal, or the refusal. */
async function formModal(
  ctx: SlackCtx,
  form: WorkForm,
  callbackId: string,
  id: string | undefined,
): Promise<ModalView | SlackMessage> {
  const spec = await form.open(ctx, id);
  return spec.ok ? workFormModal(callbackId, spec.value, id ? { id } : {}) : noticeView(spec.error.message);
}

export function registerWorkItems(app: App, deps: SlackDeps): void {
  const open = opener(app, deps);
  const newForm = (kind: 'change' | 'problem') => async (ctx: SlackCtx) => {
    const spec = await openNewWork(ctx, kind);
    return spec.ok
      ? workFormModal(CALLBACK.workCreateModal, spec.value, { kind })
      : noticeView(spec.error.message);
  };

  open(ACTION.workNewChange, 'work.manage', newForm('change'));
  open(ACTION.workNewProblem, 'work.manage', newForm('problem'));
  open(ACTION.workView, 'work.view', (ctx, id) => workItemReply(ctx, id));
  open(ACTION.workProgress, progressForm.permission, (ctx, id) =>
    formModal(ctx, progressForm, CALLBACK.workProgressModal, id),
  );
  open(ACTION.workEdit, editWorkForm.permission, (ctx, id) =>
    formModal(ctx, editWorkForm, CALLBACK.workEditModal, id),
  );
  open(ACTION.workLink, linkForm.permission, (ctx, id) =>
    formModal(ctx, linkForm, CALLBACK.workLinkModal, id),
  );
  open(ACTION.workResolveLinked, resolveLinkedForm.permission, (ctx, id) =>
    formModal(ctx, resolveLinkedForm, CALLBACK.workResolveModal, id),
  );

  app.action(
    new RegExp(`^${ACTION.workPage}_(prev|next)$`),
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const value = readPageValue(actionValue(args.body));
      const filter = WORK_LIST_FILTERS.find((f) => f === value?.query);
      if (value?.kind !== 'work' || !filter) return answerStale(args);
      const ctx = await contextFor(deps, slackWho(args.body));
      await reply(args, await changesReply(ctx, filter, value.page), true);
    }),
  );

  // "Open a problem" on a repeated-faults reminder: the form comes filled in from the reminder.
  app.action(
    ACTION.problemSuggested,
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const ctx = await contextFor(deps, slackWho(args.body));
      if (!can(ctx.actor.role, 'work.manage')) return reply(args, noticeView(FORBIDDEN['work.manage']));
      const value = readMetadata(SuggestionValue, actionValue(args.body));
      if (!value) return answerStale(args);
      const channel = args.body.channel?.id;
      const ts = args.body.message?.ts;
      const first = args.body.message?.blocks?.[0] as { text?: { text?: string } } | undefined;
      const original = clip(first?.text?.text ?? args.body.message?.text ?? '', 1500);
      const spec = await openNewWork(ctx, 'problem', {
        title: suggestedProblemTitle(value.label),
        incidents: value.incidents.map(formatReference).join(', '),
      });
      if (!spec.ok) return reply(args, noticeView(spec.error.message));
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: workFormModal(CALLBACK.workCreateModal, spec.value, {
          kind: 'problem',
          ...(channel && ts ? { reminder: { channel, ts, original } } : {}),
        }),
      });
    }),
  );

  submission(
    app,
    deps,
    CALLBACK.workCreateModal,
    (meta) => newWorkForm(meta.kind ?? 'change'),
    (args, meta, reference) => async () => {
      const reminder = meta.reminder;
      if (!reminder) return;
      const done = reminderDoneView(
        reminder.original,
        reminderOutcomeMrkdwn({ kind: 'problemOpened', reference }, { slackUserId: args.body.user.id }),
      );
      await args.client.chat.update({ channel: reminder.channel, ts: reminder.ts, ...done });
    },
  );
  submission(app, deps, CALLBACK.workEditModal, () => editWorkForm);
  submission(app, deps, CALLBACK.workProgressModal, () => progressForm);
  submission(app, deps, CALLBACK.workLinkModal, () => linkForm);
  submission(app, deps, CALLBACK.workResolveModal, () => resolveLinkedForm);
}
