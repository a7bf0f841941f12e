/**
 * Dialogs (task modules) opened from a card's button: the button is an `Action.Submit` asking for
 * `task/fetch` with its verb (the neutral action id) and value; Teams shows the form this answers
 * with, and sends the form's `task/submit` with the same verb, the value, the form's id and its
 * inputs. A dialog keeps itself open with the domain's message beside the field when refused, and
 * closes (answers nothing) when done; the outbox then updates the card and tells whoever is told.
 */
import type { Ctx } from '../../../domain/context';
import { findPostedReminder } from '../../../domain/delivery/posted-reminder';
import type { ActionId } from '../../../domain/presenters/presentation';
import type { Identified } from '../../../domain/schools/identify';
import { type AdaptiveCard, cardAttachment } from '../cards/fault-form';
import type { TeamsDeps } from '../commands/deps';
import type { AdaptiveCard as RenderedCard } from '../render/adaptive-card';

/** What a dialog invoke (`task/fetch`, `task/submit`) is answered with. */
export type TaskAnswer =
  | {
      task: {
        type: 'continue';
        value: { title: string; card: ReturnType<typeof cardAttachment> };
      };
    }
  | { task: { type: 'message'; value: string } }
  /** Nothing: Teams closes the dialog (as Slack's modal closes on success). */
  | undefined;

/** A dialog that only says something (a refusal, "out of date"). */
export const taskMessage = (value: string): TaskAnswer => ({ task: { type: 'message', value } });

/** A dialog showing a card, with its title. */
export const taskCard = (title: string, card: AdaptiveCard): TaskAnswer => ({
  task: { type: 'continue', value: { title, card: cardAttachment(card) } },
});

/** A form's id: a uuid, so a repeat of its submission is recorded once (`submitOnce`). */
export const isFormId = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v);

/** A dialog's data: the button's (`verb`, `value`, a form's `formId`) and the form's inputs. */
export type TaskData = Record<string, unknown> & { verb?: unknown; value?: unknown; formId?: unknown };

export type DialogCtx = Ctx & Identified;

/**
 * The turn a form's submit arrives in, for what a dialog shows beyond itself. A dialog opened from
 * a message in a channel arrives in that message's conversation (its thread).
 */
export interface DialogTurn {
  /**
   * Replaces the message `id` of the turn's conversation with `card`, for everyone who sees it.
   * What was done is already recorded and the dialog shows it: a failure is logged, not thrown.
   */
  updateMessage(id: string, card: RenderedCard): Promise<void>;
}

/**
 * A reminder dealt with from its dialog (Renewed, Reassign): the channel's message it was posted
 * as (the outbox row's `postedId`, read within the presser's school) replaced with `card`, the
 * done card the dialog shows, so everyone sees it done and its buttons go. A reminder posted
 * before its id was recorded, or a turn without one, keeps its message as it is.
 */
export async function showReminderDone(
  deps: TeamsDeps,
  ctx: DialogCtx,
  outboxId: string,
  card: RenderedCard,
  turn: DialogTurn | undefined,
): Promise<void> {
  if (!turn) return;
  const posted = await findPostedReminder(deps.db, ctx.school.id, outboxId);
  if (posted?.postedId) await turn.updateMessage(posted.postedId, card);
}

export interface Dialog {
  /** The verb of the button that opens it; the form's submit carries the same verb. */
  verb: ActionId;
  /** The form for `value` (an incident id, a contract id, …), or the refusal that closes it. */
  open(deps: TeamsDeps, ctx: DialogCtx, value: string, formId: string): Promise<TaskAnswer>;
  /**
   * The form sent: done (undefined closes it), or the form again with the domain's messages. The
   * turn, when given, lets a dialog replace the message it was opened from (`DialogTurn`).
   */
  submit(
    deps: TeamsDeps,
    ctx: DialogCtx,
    value: string,
    formId: string,
    data: TaskData,
    turn?: DialogTurn,
  ): Promise<TaskAnswer>;
}
