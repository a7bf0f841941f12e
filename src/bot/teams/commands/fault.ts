/**
 * Reporting a fault in the bot's personal chat: `fault …` (or `report …`) answers with the form
 * card; its Report button (`Action.Submit`, verb `fault.submit`) runs `reportFault` and replaces
 * the card with the reference. The server's refusals replace it with the same form, the message
 * under the field and everything typed kept. Its "Show devices at this place" button
 * (`fault.devices`) lists the devices at the chosen place, as Slack refreshes its form; a school
 * with more than 100 devices gets a device type-ahead instead (`../search.ts`).
 *
 * Each form carries its own id (made when the card is sent). Its submission is recorded once
 * under that id (`submitOnce`, kind `teams.fault`, in the same transaction as the incident): Teams
 * re-delivering the same submit, or a double click on Report, finds it and only shows the first
 * answer again. A refused submission records nothing, so the corrected form can be sent again.
 */
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Ctx } from '../../../domain/context';
import { submitOnce } from '../../../domain/form-submissions';
import {
  type AlreadyReported,
  findAlreadyReported,
  followIncident,
} from '../../../domain/incidents/already-reported';
import type { Impact, Urgency } from '../../../domain/incidents/priority';
import { reportFault } from '../../../domain/incidents/report-fault';
import { deflectionOfForm, fixedIt } from '../../../domain/known-fixes/deflect';
import { fixesForFaultForm } from '../../../domain/known-fixes/suggest';
import { hasMoreDevicesThan } from '../../../domain/locations/devices';
import { listLocations } from '../../../domain/locations/list-locations';
import { alreadyReportedWords, meTooDoneText } from '../../../domain/presenters/already-reported';
import type { Rich } from '../../../domain/presenters/presentation';
import { assetsForFaultForm } from '../../../domain/registers/assets';
import type { DomainError } from '../../../domain/result';
import { meTooCard } from '../cards/already-reported';
import {
  type AdaptiveCard,
  CHOICES_MAX,
  cardAttachment,
  deviceLabel,
  FAULT_VERB,
  type FaultValues,
  faultFormCard,
  faultReportedCard,
  faultValuesOf,
} from '../cards/fault-form';
import { FIX_VERB, fixedItCard, withKnownFixes } from '../cards/known-fixes';
import type { TeamsCommand } from '../commands';
import { say, type TeamsDeps, teamsContext } from './deps';

/** A card's submission handled by its `data.verb`. */
export interface TeamsSubmit {
  verb: string;
  run(context: TurnContext, value: Record<string, unknown>): Promise<void>;
}

export const FAULT_FORM_KIND = 'teams.fault';
const PERSONAL_ONLY =
  'Tell me about a fault in a personal chat with me: open SPOC under Apps and say **fault** and what is wrong.';

/** The first words as the summary; a long message is kept whole as the details too. */
export function prefillFromText(text: string): FaultValues {
  const clean = text.trim();
  if (!clean) return {};
  const [firstLine = ''] = clean.split('\n');
  return {
    summary: firstLine.trim().slice(0, 150),
    ...(clean.includes('\n') || firstLine.length > 150 ? { description: clean } : {}),
  };
}

function isPersonal(context: TurnContext): boolean {
  return context.activity.conversation?.conversationType === 'personal';
}

/**
 * The form for a school, with the devices at the chosen place when there is one. A school with
 * more devices than a list holds gets the device type-ahead (only the chosen one on the card).
 */
export async function faultForm(
  ctx: Ctx,
  formId: string,
  values: FaultValues,
  extra: {
    errors?: DomainError['fields'];
    notice?: string;
    withAssets?: boolean;
    alreadyReported?: AlreadyReported;
  } = {},
): Promise<AdaptiveCard> {
  const locations = await listLocations(ctx);
  const deviceSearch = locations.length > 0 && (await hasMoreDevicesThan(ctx, CHOICES_MAX));
  const atPlace =
    values.locationId && (extra.withAssets || values.assetId)
      ? (await assetsForFaultForm(ctx, { locationId: values.locationId })).map((a) => ({
          id: a.id,
          label: deviceLabel(a),
        }))
      : undefined;
  const assets =
    deviceSearch && !extra.withAssets ? atPlace?.filter((a) => a.id === values.assetId) : atPlace;
  const card = faultFormCard({
    formId,
    locations,
    assets,
    deviceSearch,
    values,
    errors: extra.errors,
    notice: extra.notice,
    alreadyReported: extra.alreadyReported && alreadyReportedWords(extra.alreadyReported, ctx.clock.now()),
  });
  const knownFixes = await fixesForFaultForm(ctx, values);
  return knownFixes ? withKnownFixes(card, formId, knownFixes) : card;
}

/** The key a Teams fault form's incident and deflection are recorded under. */
export const faultFormKey = (formId: string) => `teams:${formId}`;

/** Replaces the card the button was pressed on (or, with none to replace, sends it). */
async function showCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  const activity = { type: 'message', attachments: [cardAttachment(card)] };
  const id = context.activity.replyToId;
  if (id) await context.updateActivity({ ...activity, id });
  else await context.sendActivity(activity);
}

export interface FaultAnswer {
  reference?: string;
  summary?: string;
  /** The known fix this form was settled with ("That fixed it"): nothing was reported. */
  settled?: string;
  error?: DomainError;
  /** Not reported yet: the chosen device already has this open incident (shown first, once). */
  alreadyReported?: AlreadyReported;
}

/**
 * Reports the form's fault once per form id; the answer of the first copy for any repeat. A card
 * cannot change while it is filled in, so "Already reported" comes at the first submit: when the
 * chosen device has an open incident the person has not yet been shown (`seen`), nothing is
 * recorded and the form comes back with it; submitting again reports it anyway.
 */
export async function reportOnce(
  deps: TeamsDeps,
  ctx: Ctx,
  formId: string,
  values: FaultValues,
  seen?: string,
): Promise<{ repeat: boolean; answer: FaultAnswer | undefined }> {
  const out = await submitOnce<Ctx, FaultAnswer>(ctx, { kind: FAULT_FORM_KIND, key: formId }, async (tx) => {
    const settled = await deflectionOfForm(tx, faultFormKey(formId));
    if (settled) return { saved: true, answer: { settled } };
    const open = await findAlreadyReported(tx, { assetId: values.assetId, locationId: values.locationId });
    if (open.ok && open.value && open.value.incidentId !== seen)
      return { saved: false, answer: { alreadyReported: open.value } };
    const result = await reportFault(tx, {
      summary: values.summary ?? '',
      description: values.description,
      locationId: values.locationId,
      assetId: values.assetId,
      impact: values.impact as Impact | undefined,
      urgency: (values.urgency ?? '') as Urgency,
      submissionKey: faultFormKey(formId),
    });
    if (!result.ok) return { saved: false, answer: { error: result.error } };
    deps.log.info(
      {
        schoolId: ctx.actor.schoolId,
        incidentId: result.value.incident.id,
        duplicate: result.value.duplicate,
      },
      'fault reported',
    );
    return {
      saved: true,
      answer: { reference: result.value.reference, summary: result.value.incident.summary },
    };
  });
  // Committed: the card and the reporter's confirmation go at once.
  if (out.answer?.reference) deps.kick?.();
  return out;
}

const formIdOf = (value: Record<string, unknown>) =>
  typeof value.formId === 'string' && /^[0-9a-f-]{36}$/i.test(value.formId) ? value.formId : undefined;

/** The open incident the person was shown and chose to report anyway. */
export const seenOf = (value: Record<string, unknown>) =>
  typeof value.seen === 'string' ? value.seen : undefined;

/** "Me too": follow the incident; what replaces the form says so, or why not. */
export async function meToo(deps: TeamsDeps, ctx: Ctx, value: Record<string, unknown>): Promise<Rich> {
  const result = await followIncident(ctx, {
    incidentId: typeof value.incidentId === 'string' ? value.incidentId : '',
  });
  if (!result.ok) return [result.error.message];
  if (!result.value.already) deps.kick?.();
  deps.log.info(
    { schoolId: ctx.actor.schoolId, incidentId: result.value.incident.id, already: result.value.already },
    'fault followed (me too)',
  );
  return meTooDoneText(result.value.reference, result.value.already);
}

export function faultCommands(deps: TeamsDeps): { commands: TeamsCommand[]; submits: TeamsSubmit[] } {
  const open = async (context: TurnContext, rest: string) => {
    if (!isPersonal(context)) return say(context, PERSONAL_ONLY);
    const who = await teamsContext(deps, context);
    if (!who.ok) return say(context, who.message);
    const card = await faultForm(who.ctx, randomUUID(), prefillFromText(rest));
    await context.sendActivity({ type: 'message', attachments: [cardAttachment(card)] });
  };
  const command = (word: string, summary: string): TeamsCommand => ({
    words: [word],
    usage: `${word} <what is wrong>`,
    summary,
    run: open,
  });

  const submit: TeamsSubmit = {
    verb: FAULT_VERB.submit,
    async run(context, value) {
      const formId = formIdOf(value);
      if (!isPersonal(context) || !formId) return say(context, PERSONAL_ONLY);
      const who = await teamsContext(deps, context);
      if (!who.ok) return say(context, who.message);
      const values = faultValuesOf(value);
      const { answer } = await reportOnce(deps, who.ctx, formId, values, seenOf(value));
      // A copy sent as someone else learns nothing and changes nothing.
      if (!answer) return;
      if (answer.settled) return showCard(context, fixedItCard(answer.settled));
      if (answer.reference)
        return showCard(context, faultReportedCard(answer.reference, answer.summary ?? ''));
      const error = answer.error;
      const card = await faultForm(who.ctx, formId, values, {
        errors: error?.fields,
        notice: error?.message,
        alreadyReported: answer.alreadyReported,
        withAssets: Boolean(answer.alreadyReported),
      });
      return showCard(context, card);
    },
  };

  // The form again as typed, with the devices at the place chosen and the known fixes matching it.
  const formAgain = (verb: string): TeamsSubmit => ({
    verb,
    async run(context, value) {
      const formId = formIdOf(value);
      if (!isPersonal(context) || !formId) return say(context, PERSONAL_ONLY);
      const who = await teamsContext(deps, context);
      if (!who.ok) return say(context, who.message);
      return showCard(context, await faultForm(who.ctx, formId, faultValuesOf(value), { withAssets: true }));
    },
  });
  const devices = formAgain(FAULT_VERB.devices);
  // Check for known fixes: the same, asked for by its own button.
  const checkFixes = formAgain(FIX_VERB.check);

  const fixed: TeamsSubmit = {
    verb: FIX_VERB.fixed,
    async run(context, value) {
      const formId = formIdOf(value);
      if (!isPersonal(context) || !formId) return say(context, PERSONAL_ONLY);
      const who = await teamsContext(deps, context);
      if (!who.ok) return say(context, who.message);
      const done = await settleWithFix(deps, who.ctx, formId, value.fixId);
      if (!done.ok) return say(context, done.message);
      return showCard(context, fixedItCard(done.title));
    },
  };

  const follow: TeamsSubmit = {
    verb: FAULT_VERB.meToo,
    async run(context, value) {
      if (!isPersonal(context)) return say(context, PERSONAL_ONLY);
      const who = await teamsContext(deps, context);
      if (!who.ok) return say(context, who.message);
      return showCard(context, meTooCard(await meToo(deps, who.ctx, value)));
    },
  };

  return {
    commands: [
      command('fault', 'report an ICT fault (in a personal chat with me)'),
      command('report', 'the same as fault'),
    ],
    submits: [submit, devices, checkFixes, fixed, follow],
  };
}

/** "That fixed it" on a form's suggested fix: the deflection counted once for the form. */
export async function settleWithFix(
  deps: TeamsDeps,
  ctx: Ctx,
  formId: string,
  fixId: unknown,
): Promise<{ ok: true; title: string } | { ok: false; message: string }> {
  const done = await fixedIt(ctx, {
    fixId: typeof fixId === 'string' ? fixId : '',
    formKey: faultFormKey(formId),
  });
  if (!done.ok) return { ok: false, message: done.error.message };
  if (done.value.counted) deps.log.info({ schoolId: ctx.actor.schoolId }, 'fault settled by a known fix');
  return { ok: true, title: done.value.title };
}
