/** SPOC's Teams commands, each in its own file, and the card submissions they answer. */
import type { TeamsCommand } from '../commands';
import { officeCommands } from '../office/index';
import type { TeamsDeps } from './deps';
import { faultCommands, type TeamsSubmit } from './fault';
import { roleCommand } from './role';
import { setupCommand } from './setup';

export type { TeamsDeps } from './deps';
export type { TeamsSubmit } from './fault';

export function teamsCommands(deps: TeamsDeps): { commands: TeamsCommand[]; submits: TeamsSubmit[] } {
  const fault = faultCommands(deps);
  return {
    commands: [...fault.commands, setupCommand(deps), roleCommand(deps), ...officeCommands(deps)],
    submits: fault.submits,
  };
}
