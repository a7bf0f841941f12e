import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import {
  IMPACT_LABELS,
  IMPACTS,
  type Impact,
  URGENCIES,
  URGENCY_LABELS,
  type Urgency,
} from '../../../domain/incidents/priority';
import { DESCRIPTION_MAX, SUMMARY_MAX } from '../../../domain/incidents/report-fault';
import type { FixSuggestion } from '../../../domain/known-fixes/suggest';
import type { AlreadyReportedWords } from '../../../domain/presenters/already-reported';
import { ACTION, CALLBACK, FAULT_BLOCK } from '../ids';
import { alreadyReportedBlocks } from './already-reported.view';
import { faultPhotosBlock } from './fault-photos.view';
import { clip, escClip, md, plain, STATIC_OPTIONS_MAX } from './format';
import { withKnownFixes } from './known-fix.view';
import { locationInput } from './registers/inputs.view';

export interface FaultModalMetadata {
  /**
   * Where the form was opened from, for the confirmation; `details` fills in a fault made from
   * the reporter's chat message (`incidentId`) rather than reporting a new one.
   */
  source: 'command' | 'shortcut' | 'home' | 'details';
  channelId?: string;
  incidentId?: string;
}

export interface FaultModalInput {
  locations: ReadonlyArray<{ id: string; name: string }>;
  prefill?: { summary?: string; description?: string };
  /** The location chosen so far, and the assets there to offer. */
  locationId?: string;
  assets?: ReadonlyArray<{ id: string; label: string }>;
  /** The device chosen so far. */
  assetId?: string;
  /** The open incident the chosen device (or its kind, there) already has, in words. */
  alreadyReported?: AlreadyReportedWords | null;
  metadata: FaultModalMetadata;
  /**
   * Known fixes suggested for what the form holds so far; given (even empty) only when the school
   * has fixes, and then the summary and the device look for them as they are filled in.
   */
  knownFixes?: readonly FixSuggestion[];
}

const option = (value: string, text: string): PlainTextOption => ({ text: plain(clip(text, 75)), value });

/** The "Report an ICT fault" form: what, where, who is affected, how urgent. */
export function faultModalView(input: FaultModalInput): ModalView {
  const summary = input.prefill?.summary ? clip(input.prefill.summary, SUMMARY_MAX) : undefined;
  const description = input.prefill?.description
    ? clip(input.prefill.description, DESCRIPTION_MAX)
    : undefined;
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: FAULT_BLOCK.summary,
      label: plain("What's wrong?"),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.input,
        max_length: SUMMARY_MAX,
        placeholder: plain('e.g. Projector in Room 4 shows "No signal"'),
        ...(summary ? { initial_value: summary } : {}),
      },
    },
    {
      type: 'input',
      block_id: FAULT_BLOCK.description,
      optional: true,
      label: plain('Details'),
      hint: plain('What happened, any error message, what you have tried.'),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.input,
        multiline: true,
        max_length: DESCRIPTION_MAX,
        ...(description ? { initial_value: description } : {}),
      },
    },
  ];
  if (input.locations.length > 0) {
    // Choosing a location refreshes the form with the assets there (dispatch_action).
    blocks.push(
      locationInput(FAULT_BLOCK.locationId, 'Where?', input.locations, input.locationId, {
        actionId: ACTION.faultLocation,
        dispatch: true,
        hint: 'Not in the list? Leave it blank and say where in the details.',
      }),
    );
  }
  if (input.assets && input.assets.length > 0) {
    const options = input.assets.slice(0, STATIC_OPTIONS_MAX).map((a) => option(a.id, a.label));
    const chosen = options.find((o) => o.value === input.assetId);
    // Choosing a device looks for an open incident on it (dispatch_action): "Already reported".
    // Its element keeps the inputs' action id; the listener tells it by its block.
    blocks.push({
      type: 'input',
      block_id: FAULT_BLOCK.assetId,
      optional: true,
      dispatch_action: true,
      label: plain('Which device?'),
      hint: plain('The asset tag is on a sticker on the device.'),
      element: {
        type: 'static_select',
        action_id: ACTION.input,
        placeholder: plain('Choose the device, if it is one of these'),
        options,
        ...(chosen ? { initial_option: chosen } : {}),
      },
    });
  }
  blocks.push(...alreadyReportedBlocks(input.alreadyReported));
  blocks.push(
    {
      type: 'input',
      block_id: FAULT_BLOCK.impact,
      optional: true,
      label: plain('Who is affected?'),
      element: {
        type: 'static_select',
        action_id: ACTION.input,
        placeholder: plain('Choose who is affected'),
        options: IMPACTS.map((i: Impact) => option(i, IMPACT_LABELS[i])),
      },
    },
    {
      type: 'input',
      block_id: FAULT_BLOCK.urgency,
      label: plain('How urgent is it?'),
      element: {
        type: 'radio_buttons',
        action_id: ACTION.input,
        options: URGENCIES.map((u: Urgency) => option(u, URGENCY_LABELS[u])),
      },
    },
  );
  const details = input.metadata.source === 'details';
  // Photos come with a new report; the details added to a ticket made from a message take none.
  if (!details) blocks.push(faultPhotosBlock());
  return {
    type: 'modal',
    callback_id: details ? CALLBACK.faultDetails : CALLBACK.faultModal,
    title: plain(details ? 'Add details' : 'Report an ICT fault'),
    submit: plain(details ? 'Save' : 'Report'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(input.metadata),
    blocks: input.knownFixes ? withKnownFixes(blocks, input.knownFixes) : blocks,
  };
}

/** Replaces the details form once they are saved on the fault. */
export function faultDetailsSavedView(reference: string, summary: string): ModalView {
  return {
    type: 'modal',
    title: plain('Details added'),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: md(
          `:white_check_mark: Thanks — *${reference}* has your details now.\n>${escClip(summary, 300)}`,
        ),
      },
      {
        type: 'context',
        elements: [
          md("The ICT team can see them. I'll message you when someone picks it up and when it's fixed."),
        ],
      },
    ],
  };
}

/** Replaces the form once the fault is logged, so the reporter sees their reference at once. */
export function faultReportedView(reference: string, summary: string): ModalView {
  return {
    type: 'modal',
    title: plain('Fault reported'),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: md(
          `:white_check_mark: Thanks — your fault is logged as *${reference}*.\n>${escClip(summary, 300)}`,
        ),
      },
      {
        type: 'context',
        elements: [md("The ICT team has it. I'll message you when someone picks it up and when it's fixed.")],
      },
    ],
  };
}
