/** Every part of the office's work in Teams, gathered for the bot (see `family.ts`). */
import type { TeamsCommand } from '../commands';
import type { TeamsDeps } from '../commands/deps';
import type { Dialog } from '../dialogs/dialog';
import type { CardPress } from '../presses';
import { replyCommand, replyPresses } from '../replies';
import { csvFamily } from './csv';
import { deskFamily } from './desk';
import type { TeamsFamily } from './family';
import { homeFamily } from './home';
import { knownFixesFamily } from './known-fixes';
import { registersFamily } from './registers';
import { reportsFamily } from './reports';
import { settingsFamily } from './settings';
import { supplyFamily } from './supply';
import { workItemsFamily } from './work-items';

export const FAMILIES: readonly TeamsFamily[] = [
  registersFamily,
  supplyFamily,
  csvFamily,
  homeFamily,
  workItemsFamily,
  deskFamily,
  settingsFamily,
  reportsFamily,
  knownFixesFamily,
];

const replies = FAMILIES.flatMap((f) => f.replies ?? []);

/** The families' commands: those answered with a card, then the rest. */
export const officeCommands = (deps: TeamsDeps): TeamsCommand[] => [
  ...replies.map((r) => replyCommand(deps, r)),
  ...FAMILIES.flatMap((f) => f.commands?.(deps) ?? []),
];

/** The families' presses, and the channel answers' `reply.show`. */
export const officePresses: Readonly<Record<string, CardPress>> = Object.assign(
  {},
  replyPresses(replies),
  ...FAMILIES.map((f) => f.presses ?? {}),
);

export const officeDialogs: readonly Dialog[] = FAMILIES.flatMap((f) => f.dialogs ?? []);
