/** `/spoc term add|list|remove`: the school's holidays, answered by the domain (`answers/term.ts`). */
import { termAnswer } from '../../../domain/answers/term';
import { renderMessage } from '../views/render';
import type { Handler } from './subcommand';

export const termCommand: Handler = async (ctx, args) =>
  renderMessage(await termAnswer(ctx, args), ctx.school.timezone);
