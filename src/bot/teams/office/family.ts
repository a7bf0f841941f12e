/**
 * What one part of the office's work brings to the Teams bot (the locations, the assets, the
 * contracts, …): the commands answered with a card, any other commands, the presses of its cards'
 * buttons and the dialogs its buttons open. `office/index.ts` gathers them; the bot's command
 * router, `PRESSES` and `DIALOGS` take them from there.
 */
import type { TeamsCommand } from '../commands';
import type { TeamsDeps } from '../commands/deps';
import type { Dialog } from '../dialogs/dialog';
import type { CardPress } from '../presses';
import type { ReplyCommand } from '../replies';

export interface TeamsFamily {
  replies?: ReplyCommand[];
  commands?: (deps: TeamsDeps) => TeamsCommand[];
  presses?: Record<string, CardPress>;
  dialogs?: Dialog[];
}
