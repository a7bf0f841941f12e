/**
 * The incident's card as an answer to a press on it: the card as it now is, with the domain's
 * refusal on it when the press did nothing ("Already claimed by Sam Tech.", the words Slack shows
 * the presser). It asks to be refreshed on view, so a stale copy catches up.
 */
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { loadCardModel } from '../../domain/delivery/read-models';
import { presentIncidentCard } from '../../domain/presenters/incident-card';
import type { TeamsDeps } from './commands/deps';
import type { DialogCtx } from './dialogs/dialog';
import { cardAnswer, messageAnswer } from './presses';
import { renderCard } from './render/adaptive-card';

export async function incidentCardAnswer(
  deps: TeamsDeps,
  ctx: DialogCtx,
  incidentId: string,
  refusal?: string,
): Promise<AdaptiveCardInvokeResponse> {
  const loaded = await loadCardModel(deps.db, ctx.school.id, incidentId, deps.clock.now());
  if (!loaded.found) return messageAnswer(refusal ?? 'That incident is no longer there.');
  const { incident, live } = loaded.model;
  const card = renderCard(presentIncidentCard(incident, live), {
    timezone: ctx.school.timezone,
    refresh: { data: { value: incident.id } },
  });
  if (refusal)
    card.body.unshift({ type: 'TextBlock', text: refusal, wrap: true, color: 'Attention', weight: 'Bolder' });
  return cardAnswer(card);
}
