/**
 * The person's home in Teams, the equivalent of Slack's App Home tab: `spoc home` (or `home`)
 * answers with the home card for their role, at any time; and when SPOC is installed for someone
 * (personal scope) they are sent it unasked, or, when SPOC cannot yet tell their school, a short
 * welcome saying how to report a fault and how to get set up. The words are the domain's
 * (`src/domain/presenters/home.ts`), the same as Slack's App Home.
 *
 * Keeping it current: the home card carries an Adaptive Card `refresh` naming its owner alone
 * (`refresh.userIds`, verb `home.show`), so whenever they look at it Teams asks SPOC for their
 * home again and shows it as it is now, with the viewer's own role (the answer carries the same
 * refresh, so it keeps doing so). In a channel everyone else sees one line saying it is shown to
 * its owner alone. This is Teams' own equivalent of Slack republishing the App Home.
 *
 * The card's buttons are the same neutral actions as everywhere: Fixed / Still broken are the
 * reporter's presses and Add a comment their dialog (`../actions.ts`), Claim and Resume the
 * incident card's (answered with the incident's card as it now is; the home comes back with
 * `home`), Resolve and Hold its dialogs, Open a dialog showing the incident with its history, the
 * registers' Add buttons and Edit settings their dialogs. "Report a fault" (`fault.report`)
 * answers with the fault form in place of the home card; the form is sent as `fault …` sends it.
 */
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { homeAnswer } from '../../../domain/answers/home';
import { incidentAnswer } from '../../../domain/answers/incidents';
import { submitOnce } from '../../../domain/form-submissions';
import { presentHomeShownToOwner, presentWelcome } from '../../../domain/presenters/home';
import type { Presentation } from '../../../domain/presenters/presentation';
import type { TeamsCommand } from '../commands';
import { type TeamsDeps, teamsContext } from '../commands/deps';
import { faultForm } from '../commands/fault';
import { type Dialog, type DialogCtx, taskCard } from '../dialogs/dialog';
import { type CardPress, cardAnswer } from '../presses';
import {
  type AdaptiveCard,
  cardMessage,
  plainText,
  type RenderOptions,
  renderCard,
} from '../render/adaptive-card';
import { asSpeaker } from '../replies';
import type { TeamsFamily } from './family';

/** The form kind that records a personal chat's welcome, so it is sent once per install. */
export const WELCOME_KIND = 'teams.welcome';

/** The person's home card as it is now. */
export const teamsHome = (ctx: DialogCtx) => homeAnswer(ctx, Boolean(ctx.school.teamsChannelId));

/** The verb of the home card's refresh: Teams asks for the viewer's home again when they look at it. */
export const HOME_VERB = 'home.show';

/** The home card's refresh, naming its owner (their `29:…` id) alone. */
const homeRefresh = (owner: string | undefined): RenderOptions['refresh'] =>
  owner ? { verb: HOME_VERB, data: { value: '', owner }, userIds: [owner] } : undefined;

/** The home as a message, refreshed on view for its owner. */
const homeMessage = (ctx: DialogCtx, home: Presentation, owner: string | undefined) =>
  cardMessage(home, { timezone: ctx.school.timezone, refresh: homeRefresh(owner) });

/**
 * `spoc home` / `home`: the home card. In the personal chat it is the answer; in a channel,
 * everyone sees one line and the owner's Teams asks for their home on view (`home.show`).
 */
const homeCommand =
  (words: string[], summary: string) =>
  (deps: TeamsDeps): TeamsCommand => ({
    words,
    usage: words.join(' '),
    summary,
    run: (context, _rest) =>
      asSpeaker(deps, context, async (ctx) => {
        const owner = context.activity.from?.id;
        if (isPersonal(context)) {
          await context.sendActivity(homeMessage(ctx, await teamsHome(ctx), owner));
          return;
        }
        const name = context.activity.from?.name ?? ctx.actor.displayName ?? 'Someone';
        await context.sendActivity(homeMessage(ctx, presentHomeShownToOwner(name), owner));
      }),
  });

/**
 * `home.show`: Teams asking for the home card again as its owner looks at it; answered with the
 * viewer's own home as it is now (their role, their school), carrying the same refresh.
 */
const showHomePress: CardPress = async (_deps, ctx, data) => {
  const owner = typeof data.owner === 'string' && data.owner ? data.owner : undefined;
  return cardAnswer(
    renderCard(await teamsHome(ctx), { timezone: ctx.school.timezone, refresh: homeRefresh(owner) }),
  );
};

/**
 * Open (the staff's home): the incident as the presser may see it, in a dialog, as `spoc incident`
 * shows it (a teacher is told only the public status of a fault not theirs; another school's is
 * not found). It only shows: there is nothing to submit.
 */
const openIncidentDialog: Dialog = {
  verb: 'incident.open',
  async open(_deps, ctx, value) {
    const shown = await incidentAnswer(ctx, [value]);
    const title = plainText(shown.text, ctx.school.timezone);
    return taskCard(title.length > 60 ? `${title.slice(0, 59)}…` : title, {
      ...renderCard(shown, { timezone: ctx.school.timezone }),
    });
  },
  submit: async () => undefined,
};

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
  await context.sendActivity(homeMessage(ctx, await teamsHome(ctx), context.activity.from?.id));
}

export const homeFamily: TeamsFamily = {
  commands: (deps) => [
    homeCommand(['spoc', 'home'], 'your reports and, for your role, what needs doing')(deps),
    homeCommand(['home'], 'the same as spoc home')(deps),
  ],
  presses: { 'fault.report': reportFaultPress, [HOME_VERB]: showHomePress },
  dialogs: [openIncidentDialog],
};
