/**
 * The person's home in Teams, the equivalent of Slack's App Home tab: `spoc home` (or `home`)
 * answers with the home card for their role, at any time; and when SPOC is installed for someone
 * (personal scope) they are sent it unasked, or, when SPOC cannot yet tell their school, a short
 * welcome saying how to report a fault and how to get set up. The words are the domain's
 * (`src/domain/presenters/home.ts`), the same as Slack's App Home.
 *
 * The card's buttons are the same neutral actions as everywhere: Fixed / Still broken are the
 * reporter's presses and Add a comment their dialog (`../actions.ts`), Claim the incident card's,
 * the registers' Add buttons their dialogs. "Report a fault" (`fault.report`) answers with the fault
 * form in place of the home card; the form is sent as `fault …` sends it.
 */
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { homeAnswer } from '../../../domain/answers/home';
import { submitOnce } from '../../../domain/form-submissions';
import { presentWelcome } from '../../../domain/presenters/home';
import { type TeamsDeps, teamsContext } from '../commands/deps';
import { faultForm } from '../commands/fault';
import type { DialogCtx } from '../dialogs/dialog';
import { type CardPress, cardAnswer } from '../presses';
import { type AdaptiveCard, cardMessage } from '../render/adaptive-card';
import type { ReplyCommand } from '../replies';
import type { TeamsFamily } from './family';

/** The form kind that records a personal chat's welcome, so it is sent once per install. */
export const WELCOME_KIND = 'teams.welcome';

/** The person's home card as it is now. */
export const teamsHome = (ctx: DialogCtx) => homeAnswer(ctx, Boolean(ctx.school.teamsChannelId));

const homeReply = (words: string[], summary: string): ReplyCommand => ({
  words,
  usage: words.join(' '),
  summary,
  present: (_deps, ctx) => teamsHome(ctx),
});

/**
 * "Report a fault" on the home card: the fault form in its place (the fault form's card, typed
 * loosely by its builder, is a whole Adaptive Card 1.5).
 */
const reportFaultPress: CardPress = async (_deps, ctx) =>
  cardAnswer((await faultForm(ctx, randomUUID(), {})) as unknown as AdaptiveCard);

const isPersonal = (context: TurnContext) => context.activity.conversation?.conversationType === 'personal';

/**
 * SPOC installed for the person who sent `context` (an `installationUpdate` adding it, or the bot
 * among a personal chat's `membersAdded`): their home card, or the welcome when SPOC cannot tell
 * their school. Teams sends both activities for one install, so a known person's welcome is
 * recorded once per personal chat (`submitOnce`, kind `teams.welcome`, keyed by the chat's id,
 * for a day): the second finds it sent.
 */
export async function welcomeOnInstall(deps: TeamsDeps, context: TurnContext): Promise<void> {
  if (!isPersonal(context)) return;
  try {
    await welcome(deps, context);
  } catch (error) {
    // A welcome is a courtesy: the install itself is recorded, and `spoc home` answers any time.
    deps.log.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'could not send the welcome card on install',
    );
  }
}

async function welcome(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const who = await teamsContext(deps, context);
  if (!who.ok) {
    await context.sendActivity(cardMessage(presentWelcome()));
    return;
  }
  const { ctx } = who;
  const { repeat } = await submitOnce(
    ctx,
    { kind: WELCOME_KIND, key: context.activity.conversation.id },
    async () => ({ saved: true, answer: null }),
  );
  if (repeat) return;
  deps.log.info({ schoolId: ctx.school.id, personId: ctx.actor.personId }, 'Teams home sent on install');
  await context.sendActivity(cardMessage(await teamsHome(ctx), { timezone: ctx.school.timezone }));
}

export const homeFamily: TeamsFamily = {
  replies: [
    homeReply(['spoc', 'home'], 'your reports and, for your role, what needs doing'),
    homeReply(['home'], 'the same as spoc home'),
  ],
  presses: { 'fault.report': reportFaultPress },
};
