/**
 * A press on a card's Universal Action (`Action.Execute`): Teams sends it as an `invoke` named
 * `adaptiveCard/action` with the verb (the neutral action id) and the button's data, and shows the
 * answer in place of the card pressed: a card (the message as it now is), or a short message
 * that leaves the card as it was.
 */
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { TeamsDeps } from './commands/deps';
import type { DialogCtx } from './dialogs/dialog';
import type { AdaptiveCard } from './render/adaptive-card';

/** What a press carries back: its value (an incident id, a payment id, …) and any extra data. */
export type PressData = Record<string, unknown> & { value: string };

export type CardPress = (
  deps: TeamsDeps,
  ctx: DialogCtx,
  data: PressData,
) => Promise<AdaptiveCardInvokeResponse>;

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

/** The card pressed, replaced by this one (for the presser now, for everyone once the outbox updates it). */
export const cardAnswer = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: CARD,
  value: card as unknown as AdaptiveCardInvokeResponse['value'],
});

const FOR_EVERYONE = new WeakSet<AdaptiveCardInvokeResponse>();

/**
 * The card pressed, replaced by this one for everyone in the conversation, not only the presser: a
 * card that reads the same for every reader (a reminder once dealt with, with no buttons left).
 * Teams shows an invoke's answer to the presser alone, so the press also updates the message.
 */
export const sharedCardAnswer = (card: AdaptiveCard): AdaptiveCardInvokeResponse => {
  const answer = cardAnswer(card);
  FOR_EVERYONE.add(answer);
  return answer;
};

/** Whether an answer is meant for everyone who sees the message (`sharedCardAnswer`). */
export const isForEveryone = (answer: AdaptiveCardInvokeResponse): boolean => FOR_EVERYONE.has(answer);

/** A short message to the presser; the card stays as it was. */
export const messageAnswer = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: MESSAGE,
  value: text as unknown as AdaptiveCardInvokeResponse['value'],
});
