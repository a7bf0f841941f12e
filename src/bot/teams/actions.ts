/**
 * Presses on the incident card's Universal Actions (`Action.Execute`): Teams sends them as an
 * `invoke` named `adaptiveCard/action` with the verb (the neutral action id) and the card's data,
 * and shows the card in the answer in place of the one pressed. Claim runs here; `refresh` (Teams
 * asking for a stale card on view) answers with the card as it is now. The reporter's Fixed /
 * Still broken in their personal chat run the domain's reporter response and answer with the
 * notice that replaces the buttons (Slack's words).
 *
 * Resolve opens a dialog (a task module): its button is an `Action.Submit` asking for
 * `task/fetch`, answered with the resolution form; the form's submit (`task/submit`) resolves
 * once per form id (`submitOnce`, kind `teams.resolve`), closes the dialog on success (the outbox
 * then updates the card and tells the reporter), and keeps it open with the domain's message
 * under the field and the typed text kept when refused. The other staff forms (triage, forward,
 * escalate, hold, note) come later; until then their press is answered with a short message.
 *
 * Roles: the card shows its actions to everyone in the channel; the command checks the presser's
 * role, and a refusal comes back on the card in the domain's own words.
 */
import { randomUUID } from 'node:crypto';
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { Ctx } from '../../domain/context';
import { loadCardModel } from '../../domain/delivery/read-models';
import { submitOnce } from '../../domain/form-submissions';
import { claimIncident } from '../../domain/incidents/claim-incident';
import { openIncidentFor } from '../../domain/incidents/open-incident';
import type { Category } from '../../domain/incidents/priority';
import {
  confirmFixed,
  type ReporterResponseInput,
  type ReporterResponseOutput,
  reportStillBroken,
} from '../../domain/incidents/reporter-response';
import { resolveIncident } from '../../domain/incidents/resolve-incident';
import { presentIncidentCard } from '../../domain/presenters/incident-card';
import { presentReporterAnswer, type ReporterButton } from '../../domain/presenters/notices';
import type { DomainError, Result } from '../../domain/result';
import { cardAttachment } from './cards/fault-form';
import {
  RESOLVE_VERB,
  type ResolveValues,
  resolveFormCard,
  resolveTitle,
  resolveValuesOf,
} from './cards/resolve-form';
import { type TeamsDeps, teamsContext } from './commands/deps';
import { REFRESH_VERB, renderCard, type TeamsActionData } from './render/adaptive-card';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

/** The actions answered here; any other verb is told it is not ready in Teams yet. */
export const CARD_VERBS = ['incident.claim', REFRESH_VERB, 'reporter.fixed', 'reporter.stillBroken'] as const;

/** The reporter's answers to "is it fixed?", by verb. */
const REPORTER_ANSWERS: Record<
  string,
  [ReporterButton, (ctx: Ctx, input: ReporterResponseInput) => Promise<Result<ReporterResponseOutput>>]
> = {
  'reporter.fixed': ['fixed', confirmFixed],
  'reporter.stillBroken': ['still_broken', reportStillBroken],
};

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
  const answer = Object.hasOwn(REPORTER_ANSWERS, verb) ? REPORTER_ANSWERS[verb] : undefined;
  if (answer) {
    const [button, run] = answer;
    const result = await run(ctx, { incidentId });
    if (!result.ok) return message(result.error.message);
    const { outcome, incident, changed } = result.value;
    if (changed) {
      deps.kick?.();
      deps.log.info({ schoolId: ctx.school.id, incidentId: incident.id, outcome }, 'reporter answered');
    }
    const card = renderCard(presentReporterAnswer(button, outcome, incident), {
      timezone: ctx.school.timezone,
    });
    return { statusCode: 200, type: CARD, value: card as unknown as AdaptiveCardInvokeResponse['value'] };
  }
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

/** What a dialog invoke (`task/fetch`, `task/submit`) is answered with. */
export type TaskAnswer =
  | { task: { type: 'continue'; value: { title: string; card: ReturnType<typeof cardAttachment> } } }
  | { task: { type: 'message'; value: string } }
  /** Nothing: Teams closes the dialog (as Slack's modal closes on success). */
  | undefined;

const taskMessage = (value: string): TaskAnswer => ({ task: { type: 'message', value } });

export const RESOLVE_FORM_KIND = 'teams.resolve';
const isFormId = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v);

/** A dialog's data: the button's (`verb`, `value`, a form's `formId`) and the form's inputs. */
type TaskData = Record<string, unknown> & { verb?: unknown; value?: unknown; formId?: unknown };

async function resolveDialog(
  ctx: Ctx,
  incidentId: string,
  formId: string,
  values: ResolveValues,
  error?: DomainError,
): Promise<TaskAnswer> {
  const found = await openIncidentFor(ctx, { incidentId, permission: 'incident.resolve' });
  if (!found.ok) return taskMessage(error?.message ?? found.error.message);
  const card = resolveFormCard({
    formId,
    incident: found.value,
    values,
    errors: error?.fields,
    notice: error?.message,
  });
  return {
    task: { type: 'continue', value: { title: resolveTitle(found.value), card: cardAttachment(card) } },
  };
}

/**
 * `task/fetch`: a card button asking for its dialog. Resolve answers with the form once the
 * presser may resolve; otherwise the domain's refusal closes it.
 */
export async function handleTaskFetch(
  deps: CardActionDeps,
  context: TurnContext,
  data: TaskData | undefined,
): Promise<TaskAnswer> {
  const incidentId = typeof data?.value === 'string' ? data.value : undefined;
  if (data?.verb !== RESOLVE_VERB || !incidentId)
    return taskMessage('This card is out of date; nothing was changed.');
  const who = await teamsContext(deps, context);
  if (!who.ok) return taskMessage(who.message);
  return resolveDialog(who.ctx, incidentId, randomUUID(), {});
}

interface ResolveAnswer {
  resolved?: boolean;
  error?: DomainError;
}

/**
 * `task/submit`: the resolution form sent. Resolved once per form id: a repeat (Teams
 * re-delivering, a double click) records nothing more and closes the dialog as the first did.
 */
export async function handleTaskSubmit(
  deps: CardActionDeps,
  context: TurnContext,
  data: TaskData | undefined,
): Promise<TaskAnswer> {
  const incidentId = typeof data?.value === 'string' ? data.value : undefined;
  const formId = isFormId(data?.formId) ? data.formId : undefined;
  if (data?.verb !== RESOLVE_VERB || !incidentId || !formId)
    return taskMessage('That form is out of date; nothing was changed. Press Resolve again.');
  const who = await teamsContext(deps, context);
  if (!who.ok) return taskMessage(who.message);
  const { ctx } = who;
  const values = resolveValuesOf(data);
  const { repeat, answer } = await submitOnce<Ctx, ResolveAnswer>(
    ctx,
    { kind: RESOLVE_FORM_KIND, key: formId },
    async (tx) => {
      const result = await resolveIncident(tx, {
        incidentId,
        resolution: values.resolution ?? '',
        category: values.category as Category | undefined,
      });
      if (!result.ok) return { saved: false, answer: { error: result.error } };
      return { saved: true, answer: { resolved: true } };
    },
  );
  // A copy sent as someone else learns nothing and changes nothing.
  if (!answer) return taskMessage('That form is not yours.');
  if (answer.resolved) {
    if (!repeat) {
      deps.kick?.();
      deps.log.info({ schoolId: ctx.school.id, incidentId }, 'incident resolved');
    }
    return undefined;
  }
  return resolveDialog(ctx, incidentId, formId, values, answer.error);
}
