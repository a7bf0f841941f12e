/**
 * The "Report an ICT fault" form as an Adaptive Card (1.5), for the bot's personal chat and the
 * message action's dialog. Required fields are checked on the card (`isRequired`); the server's
 * own refusals come back as the same card with the message right under the field and everything
 * typed still filled in (Adaptive Cards have no server-side field errors). A school with more
 * than 100 locations gets them as a type-ahead, answered by `../search.ts`.
 */
import { IMPACT_LABELS, IMPACTS, URGENCIES, URGENCY_LABELS } from '../../../domain/incidents/priority';
import { DESCRIPTION_MAX, SUMMARY_MAX } from '../../../domain/incidents/report-fault';
import type { AlreadyReportedWords } from '../../../domain/presenters/already-reported';
import { deviceLabel } from '../../../domain/presenters/format';
import { alreadyReportedItems, ME_TOO_VERB } from './already-reported';

/** What `Action.Submit` sends back: the form's inputs by id, and which form and verb. */
export const FAULT_FIELDS = ['summary', 'description', 'locationId', 'assetId', 'impact', 'urgency'] as const;
export type FaultField = (typeof FAULT_FIELDS)[number];
export type FaultValues = Partial<Record<FaultField, string>>;

export const FAULT_VERB = { submit: 'fault.submit', devices: 'fault.devices', meToo: ME_TOO_VERB } as const;

/** A static choice list holds this many; past it the locations come through a type-ahead. */
export const CHOICES_MAX = 100;

/** The locations a type-ahead lists before anything is typed (Teams shows 15 at a time). */
export const TYPE_AHEAD_FIRST = 15;

/** The dataset the location type-ahead asks the bot for (`application/search`). */
export const LOCATIONS_DATASET = 'spoc.locations';

/** The dataset the device type-ahead asks for, with the card's inputs (the chosen place). */
export const DEVICES_DATASET = 'spoc.devices';

/** How a device reads in the form (the presenter's words, as in Slack's form). */
export { deviceLabel };

export interface FaultFormInput {
  /** This form's id: a repeat of its submission is recorded once. */
  formId: string;
  locations: ReadonlyArray<{ id: string; name: string }>;
  /** Devices at the chosen location, once asked for (with `deviceSearch`, the chosen one). */
  assets?: ReadonlyArray<{ id: string; label: string }>;
  /**
   * The school has more devices than a list holds: the device choice is a type-ahead that
   * Teams fills with the devices at the chosen place, rather than a button that asks for them.
   */
  deviceSearch?: boolean;
  values?: FaultValues;
  /** The server's messages by field (the domain's `fields`). */
  errors?: Partial<Record<string, string>>;
  /** A sentence over the form (e.g. the refusal's own message). */
  notice?: string;
  /**
   * The open incident the chosen device already has ("Already reported"), shown under the device
   * once the form is submitted (a card cannot change as a choice is made): "Me too" follows it,
   * and Report becomes "Report it anyway", carrying which incident was seen.
   */
  alreadyReported?: AlreadyReportedWords;
}

export type AdaptiveCard = Record<string, unknown>;

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

function errorBlock(text: string | undefined): Record<string, unknown>[] {
  return text
    ? [{ type: 'TextBlock', text, color: 'attention', wrap: true, spacing: 'None', size: 'Small' }]
    : [];
}

/**
 * Where the fault is. Up to `CHOICES_MAX` locations are a plain list. Past it the list is a
 * type-ahead (`style: 'filtered'` with a `Data.Query`), as Slack's form turns into a search:
 * Teams asks the bot for the matches as the person types. The card still carries the first few,
 * and the chosen one when the form comes back, so the choice shows by its name.
 */
function locationInput(
  locations: ReadonlyArray<{ id: string; name: string }>,
  chosenId: string | undefined,
  deviceSearch: boolean,
): Record<string, unknown> {
  const choice = (l: { id: string; name: string }) => ({ title: l.name, value: l.id });
  const common = {
    type: 'Input.ChoiceSet',
    id: 'locationId',
    label: 'Where?',
    value: chosenId ?? '',
    // Another place: the device chosen at the last one is cleared.
    ...(deviceSearch
      ? { valueChangedAction: { type: 'Action.ResetInputs', targetInputIds: ['assetId'] } }
      : {}),
  };
  if (locations.length <= CHOICES_MAX) {
    return { ...common, placeholder: 'Choose where', choices: locations.map(choice) };
  }
  const first = locations.slice(0, TYPE_AHEAD_FIRST);
  const chosen = chosenId ? locations.find((l) => l.id === chosenId) : undefined;
  const shown = chosen && !first.some((l) => l.id === chosen.id) ? [chosen, ...first] : first;
  return {
    ...common,
    placeholder: 'Type to search locations',
    style: 'filtered',
    choices: shown.map(choice),
    'choices.data': { type: 'Data.Query', dataset: LOCATIONS_DATASET },
  };
}

/** The form's card body and actions. */
export function faultFormCard(input: FaultFormInput): AdaptiveCard {
  const v = input.values ?? {};
  const e = input.errors ?? {};
  const deviceSearch = Boolean(input.deviceSearch) && input.locations.length > 0;
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: 'Report an ICT fault', weight: 'Bolder', size: 'Medium', wrap: true },
  ];
  if (input.notice) body.push({ type: 'TextBlock', text: input.notice, color: 'attention', wrap: true });
  body.push(
    {
      type: 'Input.Text',
      id: 'summary',
      label: "What's wrong?",
      placeholder: 'e.g. Projector in Room 4 shows "No signal"',
      maxLength: SUMMARY_MAX,
      isRequired: true,
      errorMessage: 'Say in a few words what is wrong.',
      value: clip(v.summary ?? '', SUMMARY_MAX),
    },
    ...errorBlock(e.summary),
    {
      type: 'Input.Text',
      id: 'description',
      label: 'Details',
      placeholder: 'What happened, any error message, what you have tried.',
      isMultiline: true,
      maxLength: DESCRIPTION_MAX,
      value: clip(v.description ?? '', DESCRIPTION_MAX),
    },
    ...errorBlock(e.description),
  );
  if (input.locations.length > 0) {
    body.push(locationInput(input.locations, v.locationId, deviceSearch));
    body.push({
      type: 'TextBlock',
      text: 'Not in the list? Leave it blank and say where in the details.',
      isSubtle: true,
      size: 'Small',
      wrap: true,
      spacing: 'None',
    });
    body.push(...errorBlock(e.locationId));
  }
  if (deviceSearch) {
    // Teams sends the card's inputs with each search (`associatedInputs`), the place among them.
    body.push({
      type: 'Input.ChoiceSet',
      id: 'assetId',
      label: 'Which device?',
      placeholder: 'Choose where first, then type the asset tag, make or model',
      style: 'filtered',
      choices: (input.assets ?? []).slice(0, CHOICES_MAX).map((a) => ({ title: a.label, value: a.id })),
      'choices.data': { type: 'Data.Query', dataset: DEVICES_DATASET, associatedInputs: 'auto' },
      value: v.assetId ?? '',
    });
  } else if (input.assets && input.assets.length > 0) {
    body.push({
      type: 'Input.ChoiceSet',
      id: 'assetId',
      label: 'Which device?',
      placeholder: 'Choose the device, if it is one of these',
      choices: input.assets.slice(0, CHOICES_MAX).map((a) => ({ title: a.label, value: a.id })),
      value: v.assetId ?? '',
    });
  }
  body.push(
    ...errorBlock(e.assetId),
    ...alreadyReportedItems(input.alreadyReported, input.formId),
    {
      type: 'Input.ChoiceSet',
      id: 'impact',
      label: 'Who is affected?',
      placeholder: 'Choose who is affected',
      choices: IMPACTS.map((i) => ({ title: IMPACT_LABELS[i], value: i })),
      value: v.impact ?? '',
    },
    ...errorBlock(e.impact),
    {
      type: 'Input.ChoiceSet',
      id: 'urgency',
      label: 'How urgent is it?',
      style: 'expanded',
      isRequired: true,
      errorMessage: 'Choose how urgent it is.',
      choices: URGENCIES.map((u) => ({ title: URGENCY_LABELS[u], value: u })),
      value: v.urgency ?? '',
    },
    ...errorBlock(e.urgency),
  );
  const seen = input.alreadyReported;
  const actions: Record<string, unknown>[] = [
    {
      type: 'Action.Submit',
      title: seen ? 'Report it anyway' : 'Report',
      style: 'positive',
      // Which open incident the person was shown: reporting again is their choice, not asked twice.
      data: {
        verb: FAULT_VERB.submit,
        formId: input.formId,
        ...(seen ? { seen: seen.incidentId } : {}),
      },
    },
  ];
  if (input.locations.length > 0 && !deviceSearch) {
    // Slack refreshes the form when a location is chosen; a card cannot, so it is asked for.
    actions.push({
      type: 'Action.Submit',
      title: 'Show devices at this place',
      associatedInputs: 'auto',
      data: { verb: FAULT_VERB.devices, formId: input.formId },
    });
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions,
  };
}

/** The reference, said at once (the dialog's closing message; the card's second line). */
export function faultReportedText(reference: string): string {
  return `Thanks — your fault is logged as **${reference}**.`;
}

/** What replaces the form once the fault is logged: the reference at once. */
export function faultReportedCard(reference: string, summary: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Fault reported', weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: faultReportedText(reference), wrap: true },
      { type: 'TextBlock', text: clip(summary, 300), isSubtle: true, wrap: true },
      {
        type: 'TextBlock',
        text: "The ICT team has it. I'll message you when someone picks it up and when it's fixed.",
        wrap: true,
        size: 'Small',
      },
    ],
  };
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The card as a message attachment. */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD, content: card };
}

/** The form's values from a submission's `activity.value` (strings only; blanks left out). */
export function faultValuesOf(value: unknown): FaultValues {
  const out: FaultValues = {};
  if (!value || typeof value !== 'object') return out;
  const record = value as Record<string, unknown>;
  for (const field of FAULT_FIELDS) {
    const raw = record[field];
    if (typeof raw === 'string' && raw.trim() !== '') out[field] = raw;
  }
  return out;
}
