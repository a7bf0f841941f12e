/**
 * Changes and problems in Slack: `/spoc changes|problems|change|problem`, the list's and detail's
 * buttons, their forms, and "Open a problem" on a repeated-faults reminder. Each form calls one
 * domain command; field errors go beside the field.
 */
import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { formatReference } from '../../../domain/incidents/reference';
import { isOpen } from '../../../domain/incidents/state-machine';
import { suggestedProblemTitle } from '../../../domain/reminders/problem-suggestions';
import type { DomainError } from '../../../domain/result';
import { can, FORBIDDEN } from '../../../domain/roles';
import { createWorkItem, editWorkItem, postProgress, workItemFor } from '../../../domain/work-items/commands';
import {
  linkIncidents,
  resolveLinkedIncidents,
  skippedLine,
  unlinkIncidents,
} from '../../../domain/work-items/links';
import { getWorkItemFull, listWorkItems } from '../../../domain/work-items/list';
import {
  WORK_ITEM_KINDS,
  WORK_ITEM_STATUS_LABELS,
  WORK_ITEM_STATUSES,
  WORK_LIST_FILTERS,
  type WorkItemKind,
  type WorkItemStatus,
  type WorkListFilter,
} from '../../../domain/work-items/types';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK, WORK_BLOCK as W } from '../ids';
import { replyOnce } from '../submit-once';
import { fieldErrors, readMetadata, readState, type StateReader } from '../view-state';
import { clip, escClip } from '../views/format';
import type { SlackMessage } from '../views/incident-card.view';
import { reminderDoneView, reminderOutcomeMrkdwn } from '../views/reminder.view';
import { noticeView, usageView } from '../views/replies.view';
import {
  percentBar,
  workCreateModalView,
  workDetailView,
  workEditModalView,
  workLinkModalView,
  workListView,
  workProgressModalView,
  workResolveModalView,
  workSavedView,
} from '../views/work-items.view';
import { actionValue, answerStale, opener, reply } from './form-kit';
import type { Handler, SlackCtx } from './subcommand';

/** `/spoc changes [filter] [page]`: a page of the list. */
export async function changesReply(
  ctx: SlackCtx,
  filter: WorkListFilter,
  page: number,
): Promise<SlackMessage> {
  const result = await listWorkItems(ctx, { filter, timezone: ctx.school.timezone });
  if (!result.ok) return noticeView(result.error.message);
  return workListView(result.value, page, {
    timezone: ctx.school.timezone,
    canManage: can(ctx.actor.role, 'work.manage'),
  });
}

/** One change or problem in full. */
export async function workItemReply(ctx: SlackCtx, ref: string, kind?: WorkItemKind): Promise<SlackMessage> {
  const result = await getWorkItemFull(ctx, { ref, kind, timezone: ctx.school.timezone });
  if (!result.ok) return noticeView(result.error.message);
  return workDetailView(result.value, {
    timezone: ctx.school.timezone,
    canUpdate: can(ctx.actor.role, 'work.update'),
    canManage: can(ctx.actor.role, 'work.manage'),
  });
}

const CHANGES_USAGE =
  'Usage: `/spoc changes [open|changes|problems|all]` — or `/spoc change CHG-3`, `/spoc problem PRB-2`';

function changesCommand(ctx: SlackCtx, args: string[], fixed?: WorkListFilter): Promise<SlackMessage> {
  const words = [...args];
  let filter: WorkListFilter = fixed ?? 'open';
  const first = words[0]?.toLowerCase();
  if (!fixed && first && !/^\d+$/.test(first)) {
    if (!(WORK_LIST_FILTERS as readonly string[]).includes(first)) {
      return Promise.resolve(
        usageView(`I don't know the list \`${clip(first, 30)}\`. ${CHANGES_USAGE}`, ctx.actor.role),
      );
    }
    filter = first as WorkListFilter;
    words.shift();
  }
  const page = words[0] ? Number(words[0]) : 1;
  if (!Number.isInteger(page) || page < 1 || words.length > 1) {
    return Promise.resolve(usageView(CHANGES_USAGE, ctx.actor.role));
  }
  return changesReply(ctx, filter, page);
}

function detailCommand(ctx: SlackCtx, args: string[], kind: WorkItemKind): Promise<SlackMessage> {
  const example = kind === 'change' ? 'CHG-3' : 'PRB-2';
  if (args.length !== 1 || !args[0]) {
    return Promise.resolve(usageView(`Usage: \`/spoc ${kind} ${example}\``, ctx.actor.role));
  }
  return workItemReply(ctx, args[0], kind);
}

export const WORK_SUBCOMMANDS: Record<string, Handler> = {
  changes: (ctx, args) => changesCommand(ctx, args),
  problems: (ctx, args) => changesCommand(ctx, args, 'problems'),
  change: (ctx, args) => detailCommand(ctx, args, 'change'),
  problem: (ctx, args) => detailCommand(ctx, args, 'problem'),
};

const Metadata = z.object({
  id: z.string().optional(),
  kind: z.enum(WORK_ITEM_KINDS).optional(),
  reminder: z.object({ channel: z.string(), ts: z.string(), original: z.string() }).optional(),
});
type Meta = z.infer<typeof Metadata>;

const PageValue = z.object({ filter: z.enum(WORK_LIST_FILTERS), page: z.number().int().min(1) });
const SuggestionValue = z.object({
  label: z.string().max(200),
  incidents: z.array(z.number().int()).max(50),
});

const BLOCKS: Record<string, string> = Object.fromEntries(Object.values(W).map((b) => [b, b]));

type ViewReply =
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: ModalView };

const errorsOf = (error: DomainError, fallback: string): ViewReply => ({
  response_action: 'errors',
  errors: fieldErrors(error, BLOCKS, fallback),
});
const saved = (text: string): ViewReply => ({ response_action: 'update', view: workSavedView(text) });

function statusOf(value: StateReader): WorkItemStatus | undefined {
  const raw = value(W.status);
  return raw && (WORK_ITEM_STATUSES as readonly string[]).includes(raw) ? (raw as WorkItemStatus) : undefined;
}
/** Empty stays undefined; anything else goes to the command, which says what is wrong with it. */
function percentOf(value: StateReader): number | undefined {
  const raw = value(W.percentDone);
  return raw === undefined ? undefined : Number(raw);
}
function ownerOf(value: StateReader) {
  const slackUserId = value(W.owner);
  return slackUserId ? { slackUserId } : null;
}
const refsList = (numbers: number[]) => numbers.map(formatReference).join(', ');

/**
 * Each form's submission, recorded once per view: the command's answer becomes field errors or
 * the next view. `after` runs once Slack has its answer (updating the reminder a problem was
 * opened from), and not for a repeat, which changed nothing.
 */
function submission(
  app: App,
  deps: SlackDeps,
  callbackId: string,
  run: (
    ctx: SlackCtx,
    meta: Meta,
    value: StateReader,
    args: SubmitArgs,
  ) => Promise<{ reply: ViewReply; after?: () => Promise<unknown> }>,
): void {
  app.view(
    callbackId,
    guard<SubmitArgs>(deps, async (args) => {
      let after: (() => Promise<unknown>) | undefined;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(args.body));
        const meta = readMetadata(Metadata, args.view.private_metadata) ?? {};
        let then: typeof after;
        const { repeat, reply } = await replyOnce(ctx, args.view, async (tx) => {
          const out = await run(tx, meta, readState(args.view.state.values), args);
          then = out.after;
          return out.reply;
        });
        if (!repeat && reply?.response_action !== 'errors') {
          deps.kick();
          after = then;
        }
        return reply;
      });
      await after?.();
    }),
  );
}

export function registerWorkItems(app: App, deps: SlackDeps): void {
  const open = opener(app, deps);

  open(ACTION.workNewChange, 'work.manage', async () => workCreateModalView('change'));
  open(ACTION.workNewProblem, 'work.manage', async () => workCreateModalView('problem'));
  open(ACTION.workView, 'work.view', (ctx, id) => workItemReply(ctx, id));
  open(ACTION.workProgress, 'work.update', async (ctx, id) => {
    const r = await workItemFor(ctx, id);
    return r.ok ? workProgressModalView(r.value) : noticeView(r.error.message);
  });
  open(ACTION.workEdit, 'work.manage', async (ctx, id) => {
    const r = await getWorkItemFull(ctx, { ref: id, timezone: ctx.school.timezone });
    return r.ok ? workEditModalView(r.value.item, r.value.item.ownerSlackId) : noticeView(r.error.message);
  });
  open(ACTION.workLink, 'work.manage', async (ctx, id) => {
    const r = await workItemFor(ctx, id);
    return r.ok ? workLinkModalView(r.value) : noticeView(r.error.message);
  });
  open(ACTION.workResolveLinked, 'work.update', async (ctx, id) => {
    const r = await getWorkItemFull(ctx, { ref: id, timezone: ctx.school.timezone });
    if (!r.ok) return noticeView(r.error.message);
    const stillOpen = r.value.incidents.filter((i) => isOpen(i.status));
    if (r.value.item.kind !== 'problem' || stillOpen.length === 0) {
      return noticeView(`*${r.value.item.reference}* has no open incidents to resolve.`);
    }
    return workResolveModalView(r.value.item, stillOpen);
  });

  app.action(
    new RegExp(`^${ACTION.workPage}_(prev|next)$`),
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const value = readMetadata(PageValue, actionValue(args.body));
      if (!value) return answerStale(args);
      const ctx = await contextFor(deps, slackWho(args.body));
      await reply(args, await changesReply(ctx, value.filter, value.page), true);
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
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: workCreateModalView(
          'problem',
          { title: suggestedProblemTitle(value.label), incidents: refsList(value.incidents) },
          channel && ts ? { channel, ts, original } : undefined,
        ),
      });
    }),
  );

  submission(app, deps, CALLBACK.workCreateModal, async (ctx, meta, value, args) => {
    const r = await createWorkItem(ctx, {
      kind: meta.kind ?? 'change',
      title: value(W.title) ?? '',
      description: value(W.description) ?? '',
      owner: ownerOf(value),
      status: statusOf(value),
      percentDone: percentOf(value),
      targetDate: value(W.targetDate) ?? null,
      incidents: [value(W.incidents) ?? ''],
      submissionKey: args.view.id || undefined,
    });
    if (!r.ok) return { reply: errorsOf(r.error, W.title) };
    const { item, reference } = r.value;
    const what = `:white_check_mark: *${reference}* ${escClip(item.title, 200)} is open. \`/spoc ${item.kind} ${reference}\` shows it.`;
    const reminder = meta.reminder;
    const user = args.body.user.id;
    return {
      reply: saved(what),
      after: reminder
        ? async () => {
            const done = reminderDoneView(
              reminder.original,
              reminderOutcomeMrkdwn({ kind: 'problemOpened', reference }, { slackUserId: user }),
            );
            await args.client.chat.update({ channel: reminder.channel, ts: reminder.ts, ...done });
          }
        : undefined,
    };
  });

  submission(app, deps, CALLBACK.workEditModal, async (ctx, meta, value) => {
    const r = await editWorkItem(ctx, {
      workItemId: meta.id ?? '',
      title: value(W.title) ?? '',
      description: value(W.description) ?? '',
      owner: ownerOf(value),
      targetDate: value(W.targetDate) ?? null,
    });
    if (!r.ok) return { reply: errorsOf(r.error, W.title) };
    return {
      reply: saved(
        r.value.changed.length
          ? `:pencil2: *${r.value.reference}* saved.`
          : `Nothing changed on *${r.value.reference}*.`,
      ),
    };
  });

  submission(app, deps, CALLBACK.workProgressModal, async (ctx, meta, value, args) => {
    const r = await postProgress(ctx, {
      workItemId: meta.id ?? '',
      note: value(W.note) ?? '',
      status: statusOf(value),
      percentDone: percentOf(value),
      submissionKey: args.view.id || undefined,
    });
    if (!r.ok) return { reply: errorsOf(r.error, W.note) };
    const { item, reference, openIncidents } = r.value;
    const now = `${WORK_ITEM_STATUS_LABELS[item.status]} · \`${percentBar(item.percentDone)}\``;
    if (openIncidents.length > 0 && can(ctx.actor.role, 'incident.resolve')) {
      const intro = `:white_check_mark: Update posted: *${reference}* is now ${now}.\n${openIncidents.length} linked incident${openIncidents.length === 1 ? ' is' : 's are'} still open. Resolve ${openIncidents.length === 1 ? 'it' : 'them'} now and tell the reporters?`;
      return { reply: { response_action: 'update', view: workResolveModalView(item, openIncidents, intro) } };
    }
    return { reply: saved(`:white_check_mark: Update posted: *${reference}* is now ${now}.`) };
  });

  submission(app, deps, CALLBACK.workLinkModal, async (ctx, meta, value) => {
    const input = { workItemId: meta.id ?? '', incidents: [value(W.incidents) ?? ''] };
    const unlink = value(W.linkMode) === 'unlink';
    const r = unlink ? await unlinkIncidents(ctx, input) : await linkIncidents(ctx, input);
    if (!r.ok) return { reply: errorsOf(r.error, W.incidents) };
    const { reference, changed, unchanged } = r.value;
    const lines = [
      changed.length
        ? `:link: ${unlink ? 'Unlinked' : 'Linked'} ${refsList(changed)} ${unlink ? 'from' : 'to'} *${reference}*.`
        : `Nothing changed on *${reference}*.`,
      unchanged.length ? `${refsList(unchanged)} ${unlink ? 'was not linked' : 'was already linked'}.` : '',
    ];
    return { reply: saved(lines.filter(Boolean).join('\n')) };
  });

  submission(app, deps, CALLBACK.workResolveModal, async (ctx, meta, value) => {
    const r = await resolveLinkedIncidents(ctx, {
      workItemId: meta.id ?? '',
      resolution: value(W.resolution) ?? '',
    });
    if (!r.ok) return { reply: errorsOf(r.error, W.resolution) };
    const { reference, resolved, skipped } = r.value;
    const lines = [
      resolved.length
        ? `:white_check_mark: Resolved ${refsList(resolved.map((i) => i.number))} for *${reference}*; each reporter is being told.`
        : `Nothing left to resolve on *${reference}*.`,
      skipped.length ? `Already done, left as they were: ${skipped.map(skippedLine).join(', ')}.` : '',
    ];
    return { reply: saved(lines.filter(Boolean).join('\n')) };
  });
}
