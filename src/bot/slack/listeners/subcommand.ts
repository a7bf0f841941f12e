import type { CommandArgs, SlackDeps } from '../deps';
import type { contextFor } from '../identity';
import type { SlackMessage } from '../views/incident-card.view';

export type SlackCtx = Awaited<ReturnType<typeof contextFor>>;

/** One `/spoc` subcommand: parsed words in, a private reply out. */
export type Handler = (
  ctx: SlackCtx,
  args: string[],
  command: CommandArgs['command'],
  deps: SlackDeps,
) => Promise<SlackMessage>;
