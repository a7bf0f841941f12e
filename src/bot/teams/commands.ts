/**
 * What a person says to SPOC in Teams, routed by its first words (`fault`, `report`,
 * `spoc setup`, `spoc role`, `help`). Commands plug in as `TeamsCommand`s; anything no command
 * claims is answered with the help for the person's role ("Did you mean `spoc incidents`?" above
 * it for `spoc incidnets`), worded once in the domain for Slack and Teams (`presenters/help.ts`).
 */
import { TurnContext } from 'botbuilder';
import { helpAnswer } from '../../domain/answers/help';
import { presentGenericHelp } from '../../domain/presenters/help';
import { type TeamsDeps, teamsContext } from './commands/deps';
import { cardMessage } from './render/adaptive-card';
import { type ReplyCommand, replyCommand } from './replies';

export interface TeamsCommand {
  /** The words that start it, lower case: `['fault']`, `['spoc', 'setup']`. */
  words: string[];
  /** How it is said, for the help: "fault <what is wrong>". */
  usage: string;
  /** One line for the help. */
  summary: string;
  /** Runs with the text after its words (mentions of the bot already removed). */
  run(context: TurnContext, rest: string): Promise<void>;
}

export interface CommandMatch {
  command: TeamsCommand;
  rest: string;
}

/** The command whose words start the text (the longest such), and the text after them. */
export function matchCommand(commands: readonly TeamsCommand[], text: string): CommandMatch | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let best: CommandMatch | undefined;
  for (const command of commands) {
    const n = command.words.length;
    if (n === 0 || n > words.length) continue;
    if (!command.words.every((w, i) => words[i]?.toLowerCase() === w)) continue;
    if (best && best.command.words.length >= n) continue;
    best = { command, rest: words.slice(n).join(' ') };
  }
  return best;
}

/**
 * `spoc help`: the help for the person's role, as a reply command (in a channel, shown to them
 * alone), with "Did you mean …?" above it when the word after it is a slip for a command (the
 * answer to `spoc incidnets` is `spoc help incidnets`, so a channel's card shows the viewer the
 * same). SPOC must know their school to know their role; until then it says why.
 */
export const HELP_REPLY: ReplyCommand = {
  words: ['spoc', 'help'],
  usage: 'spoc help',
  summary: 'what SPOC can do for you',
  present: async (_deps, ctx, rest) => helpAnswer(ctx, rest.split(/\s+/).filter(Boolean)),
};

/** `help` on its own: answered as any words SPOC does not know are. */
export const helpCommand = (deps: TeamsDeps): TeamsCommand => ({
  words: ['help'],
  usage: 'help',
  summary: 'what SPOC can do for you',
  run: (context) => answerWithHelp(deps, context),
});

/**
 * The word after `spoc` in words no command claims (`incidnets` in `spoc incidnets`), to be
 * matched against the commands; none when the words do not start with `spoc`.
 */
export function wordAfterSpoc(text: string): string | undefined {
  const [first, second] = text.trim().split(/\s+/);
  return first?.toLowerCase() === 'spoc' && second ? second : undefined;
}

/**
 * The answer to words no command claims: the help for the person's role (in a channel, shown to
 * them alone), with "Did you mean …?" above it when they said `spoc` and a slip for a command;
 * or, when SPOC cannot tell who or where they are, the first steps and why.
 */
export async function answerWithHelp(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const who = await teamsContext(deps, context);
  if (!who.ok) {
    await context.sendActivity(cardMessage(presentGenericHelp(who.message)));
    return;
  }
  const { activity } = context;
  const said = (activity.recipient ? TurnContext.removeRecipientMention(activity) : activity.text) ?? '';
  await replyCommand(deps, HELP_REPLY).run(context, wordAfterSpoc(said) ?? '');
}
