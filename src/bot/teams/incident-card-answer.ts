/**
 * The incident's card as an answer to a press on it or to Teams refreshing it on view: the card
 * as it now is, as this reader sees it (only the actions their role may take, chosen by the
 * presenters: a teacher sees none), with the domain's refusal on it when the press did nothing
 * ("Already claimed by Sam Tech.", the words Slack shows the presser). It names the same readers
 * for refresh as the posted card, so it keeps catching up when it goes stale.
 */
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { loadCardModel, loadCardReaders } from '../../domain/delivery/read-models';
import { presentationFor } from '../../domain/presenters/for-viewer';
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
  const card = renderCard(presentationFor(presentIncidentCard(incident, live), ctx.actor.role), {
    timezone: ctx.school.timezone,
    refresh: { data: { value: incident.id }, userIds: await loadCardReaders(deps.db, ctx.school.id) },
  });
  if (refusal)
    card.body.unshift({ type: 'TextBlock', text: refusal, wrap: true, color: 'Attention', weight: 'Bolder' });
  return cardAnswer(card);
}
