/**
 * What a person says to SPOC in Teams, routed by its first words (`fault`, `report`,
 * `spoc setup`, `spoc role`, `help`). Commands plug in as `TeamsCommand`s; anything no command
 * claims is answered with the help, which lists only the commands registered.
 */
import type { TurnContext } from 'botbuilder';

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

/** The help, in Teams markdown: the registered commands, then `help` itself. */
export function helpText(commands: readonly TeamsCommand[]): string {
  const lines = commands
    .filter((c) => c.words.join(' ') !== 'help')
    // Teams reads `<…>` in a message as HTML and drops it: the placeholders are written as entities.
    .map((c) => `- **${c.usage.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}**: ${c.summary}`);
  return ["I'm SPOC, your school's ICT helpdesk. You can say:", '', ...lines, '- **help**: this list'].join(
    '\n',
  );
}
