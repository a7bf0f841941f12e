/**
 * Presses on the incident card's Universal Actions (`Action.Execute`): Teams sends them as an
 * `invoke` named `adaptiveCard/action` with the verb (the neutral action id) and the card's data,
 * and shows the card in the answer in place of the one pressed. Claim runs here; `refresh` (Teams
 * asking for a stale card on view) answers with the card as it is now. The staff forms (triage,
 * resolve, forward, escalate, hold, note) open as dialogs later; until then their press is
 * answered with a short message.
 *
 * Roles: the card shows its actions to everyone in the channel; the command checks the presser's
 * role, and a refusal comes back on the card in the domain's own words.
 */
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { loadCardModel } from '../../domain/delivery/read-models';
import { claimIncident } from '../../domain/incidents/claim-incident';
import { presentIncidentCard } from '../../domain/presenters/incident-card';
import { type TeamsDeps, teamsContext } from './commands/deps';
import { REFRESH_VERB, renderCard, type TeamsActionData } from './render/adaptive-card';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

/** The actions answered here; any other verb is told it is not ready in Teams yet. */
export const CARD_VERBS = ['incident.claim', REFRESH_VERB] as const;

export interface CardActionDeps extends TeamsDeps {
  /** Sends what a command wrote to the outbox soon (the card update for everyone, the notices). */
  kick?: () => void;
}

const message = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: MESSAGE,
  value: text as unknown as AdaptiveCardInvokeResponse['value'],
});

/**
 * Answers an `adaptiveCard/action` invoke: the incident's card as it now is (so the press
 * refreshes it), with the domain's refusal on it when the press did nothing ("Already claimed by
 * Sam Tech.", the same words Slack shows the presser).
 */
export async function handleCardAction(
  deps: CardActionDeps,
  context: TurnContext,
  value: AdaptiveCardInvokeValue,
): Promise<AdaptiveCardInvokeResponse> {
  const verb = value?.action?.verb;
  const data = (value?.action?.data ?? {}) as Partial<TeamsActionData>;
  const incidentId = typeof data.value === 'string' ? data.value : undefined;
  if (!verb || !incidentId) return message('This card is out of date; nothing was changed.');
  if (!(CARD_VERBS as readonly string[]).includes(verb))
    return message('That is not ready in Teams yet: use SPOC in Slack or the command line for now.');

  const who = await teamsContext(deps, context);
  if (!who.ok) return message(who.message);
  const { ctx } = who;
  let refusal: string | undefined;
  if (verb === 'incident.claim') {
    const result = await claimIncident(ctx, { incidentId });
    if (result.ok) {
      deps.kick?.();
      deps.log.info({ schoolId: ctx.school.id, incidentId }, 'incident claimed');
    } else refusal = result.error.message;
  }
  const loaded = await loadCardModel(deps.db, ctx.school.id, incidentId, deps.clock.now());
  if (!loaded.found) return message(refusal ?? 'That incident is no longer there.');
  const { incident, live } = loaded.model;
  const card = renderCard(presentIncidentCard(incident, live), {
    timezone: ctx.school.timezone,
    refresh: { data: { value: incident.id } },
  });
  if (refusal)
    card.body.unshift({ type: 'TextBlock', text: refusal, wrap: true, color: 'Attention', weight: 'Bolder' });
  return { statusCode: 200, type: CARD, value: card as unknown as AdaptiveCardInvokeResponse['value'] };
}
