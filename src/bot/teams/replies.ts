/**
 * Commands answered with a message of their own (`spoc assets`, `spoc contracts`, `spoc help`, …):
 * the domain's presentation rendered as an Adaptive Card. Slack answers these privately
 * (an ephemeral message); Teams has no private message in a channel, so:
 *
 * - in the personal chat with SPOC, the card is the answer;
 * - in a channel, the answer is a user-specific view (a Universal Action `refresh` naming only
 *   the person who asked): everyone sees a line saying who asked and that it is shown to them
 *   alone, and the asker's Teams asks SPOC for their own card on view (verb `reply.show`, with the
 *   command said), which runs the command again as the viewer, with the viewer's role. Anyone else
 *   pressing it is answered as themselves, so no one sees more than their role allows.
 *
 * Buttons on these cards (a page of a list, a row's View) are presses answered with the next card
 * in place, for the presser only.
 */
import type { TurnContext } from 'botbuilder';
import { type Presentation, person } from '../../domain/presenters/presentation';
import type { TeamsCommand } from './commands';
import { type TeamsDeps, teamsContext } from './commands/deps';
import type { DialogCtx } from './dialogs/dialog';
import { type CardPress, cardAnswer, messageAnswer } from './presses';
import { cardMessage, renderCard } from './render/adaptive-card';

/** The verb of a channel answer's refresh: the command said, run again for whoever views it. */
export const REPLY_VERB = 'reply.show';

export interface ReplyCommand {
  /** The words that start it, lower case: `['spoc', 'assets']`. */
  words: string[];
  usage: string;
  summary: string;
  /** The answer for this person to the text after the words. */
  present(deps: TeamsDeps, ctx: DialogCtx, rest: string): Promise<Presentation>;
}

/** What everyone else in a channel sees of an answer shown to one person. */
function shownToOne(name: string): Presentation {
  const asker = [person(name, null)];
  return {
    text: [...asker, ' asked SPOC something; the answer is shown to them alone.'],
    sections: [
      { kind: 'context', text: [...asker, ' asked SPOC something; the answer is shown to them alone.'] },
    ],
    actions: [],
  };
}

const inChannel = (context: TurnContext) => context.activity.conversation?.conversationType !== 'personal';

/**
 * Runs `then` as the person speaking; or, when SPOC cannot tell who they are or which school, tells
 * them why.
 */
export async function asSpeaker(
  deps: TeamsDeps,
  context: TurnContext,
  then: (ctx: DialogCtx) => Promise<void>,
): Promise<void> {
  const who = await teamsContext(deps, context);
  if (!who.ok) {
    await context.sendActivity({ type: 'message', text: who.message });
    return;
  }
  await then(who.ctx);
}

/** A reply command as a Teams command. */
export function replyCommand(deps: TeamsDeps, spec: ReplyCommand): TeamsCommand {
  return {
    words: spec.words,
    usage: spec.usage,
    summary: spec.summary,
    run: (context, rest) => asSpeaker(deps, context, (ctx) => answer(context, ctx, rest)),
  };

  async function answer(context: TurnContext, ctx: DialogCtx, rest: string): Promise<void> {
    const { timezone } = ctx.school;
    if (!inChannel(context)) {
      await context.sendActivity(cardMessage(await spec.present(deps, ctx, rest), { timezone }));
      return;
    }
    const said = [...spec.words, rest].filter(Boolean).join(' ');
    await context.sendActivity(
      cardMessage(shownToOne(context.activity.from?.name ?? ctx.actor.displayName ?? 'Someone'), {
        timezone,
        refresh: { verb: REPLY_VERB, data: { value: said }, userIds: [context.activity.from.id] },
      }),
    );
  }
}

/**
 * The presses of the reply commands: `reply.show`, a channel answer asking for the viewer's own
 * card, answered by running the command said as the viewer.
 */
export function replyPresses(commands: readonly ReplyCommand[]): Record<string, CardPress> {
  return {
    [REPLY_VERB]: async (deps, ctx, { value }) => {
      const words = value.trim().split(/\s+/);
      const command = [...commands]
        .sort((a, b) => b.words.length - a.words.length)
        .find((c) => c.words.every((w, i) => words[i]?.toLowerCase() === w));
      if (!command) return messageAnswer('This card is out of date; nothing was changed.');
      const rest = words.slice(command.words.length).join(' ');
      return cardAnswer(
        renderCard(await command.present(deps, ctx, rest), { timezone: ctx.school.timezone }),
      );
    },
  };
}

/** A press's answer: `p` in place of the card pressed, for the presser. */
export const presentationAnswer = (ctx: DialogCtx, p: Presentation) =>
  cardAnswer(renderCard(p, { timezone: ctx.school.timezone }));
