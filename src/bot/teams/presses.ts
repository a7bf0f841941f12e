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

/** Each shared answer's card for everyone in the conversation, by the answer given to the presser. */
const FOR_EVERYONE = new WeakMap<AdaptiveCardInvokeResponse, AdaptiveCard>();

/**
 * The card pressed, replaced for everyone in the conversation, not only the presser: a card that
 * reads the same for every reader (a reminder once dealt with, with no buttons left). Teams shows
 * an invoke's answer to the presser alone, so the press also updates the message. The presser may
 * be given more than everyone else sees (`forPresser`: the reminder done and the chase email they
 * are to send); everyone else gets `forEveryone`, the same card unless given.
 */
export const sharedCardAnswer = (
  forPresser: AdaptiveCard,
  forEveryone: AdaptiveCard = forPresser,
): AdaptiveCardInvokeResponse => {
  const answer = cardAnswer(forPresser);
  FOR_EVERYONE.set(answer, forEveryone);
  return answer;
};

/** The card everyone who sees the message is to see in its place (`sharedCardAnswer`), if any. */
export const cardForEveryone = (answer: AdaptiveCardInvokeResponse): AdaptiveCard | undefined =>
  FOR_EVERYONE.get(answer);

/** A short message to the presser; the card stays as it was. */
export const messageAnswer = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: MESSAGE,
  value: text as unknown as AdaptiveCardInvokeResponse['value'],
});
