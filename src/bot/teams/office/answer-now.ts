/**
 * A command that changes something and says what it did (`spoc term add …`, `spoc settings sla …`):
 * answered once, where it was said. Unlike a reply command, its answer is not run again for each
 * viewer (that would make the change again), so in a channel everyone sees what was done, as they
 * would see the change itself.
 */
import type { Presentation } from '../../../domain/presenters/presentation';
import type { TeamsCommand } from '../commands';
import type { TeamsDeps } from '../commands/deps';
import type { DialogCtx } from '../dialogs/dialog';
import { cardMessage } from '../render/adaptive-card';
import { asSpeaker } from '../replies';

export interface ChangeCommand {
  words: string[];
  usage: string;
  summary: string;
  run(ctx: DialogCtx, rest: string): Promise<Presentation>;
}

/** The words after a command, one by one. */
export const wordsOf = (rest: string): string[] => rest.trim().split(/\s+/).filter(Boolean);

export function changeCommand(deps: TeamsDeps, spec: ChangeCommand): TeamsCommand {
  return {
    words: spec.words,
    usage: spec.usage,
    summary: spec.summary,
    run: (context, rest) =>
      asSpeaker(deps, context, async (ctx) => {
        const answer = await spec.run(ctx, rest);
        await context.sendActivity(cardMessage(answer, { timezone: ctx.school.timezone }));
      }),
  };
}
