import type { InputBlock, ModalView, PlainTextOption } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { LINK_MAX, NOTE_MAX } from '../../../domain/incidents/comment-incident';
import { ESCALATION_NOTE_MAX, REFERENCE_MAX } from '../../../domain/incidents/escalate-incident';
import { HOLD_DETAIL_MAX, HOLD_REASONS, type HoldReason } from '../../../domain/incidents/hold-incident';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  IMPACT_LABELS,
  IMPACTS,
  URGENCIES,
  URGENCY_LABELS,
} from '../../../domain/incidents/priority';
import { formatReference } from '../../../domain/incidents/reference';
import { RESOLUTION_MAX } from '../../../domain/incidents/resolve-incident';
import {
  ACTION,
  CALLBACK,
  CLOSE_BLOCK,
  ESCALATE_BLOCK,
  FORWARD_BLOCK,
  HAND_BACK_BLOCK,
  HOLD_BLOCK,
  NOTE_BLOCK,
  PROVIDER_UPDATE_BLOCK,
  RESOLVE_BLOCK,
  TRIAGE_BLOCK,
} from '../ids';
import { clip, escClip, md, plain, STATIC_OPTIONS_MAX } from './format';

/** What the staff modals carry between opening and submitting. */
export interface IncidentModalMetadata {
  incidentId: string;
}

const opt = (value: string, text: string): PlainTextOption => ({ text: plain(text), value });
const header = (i: IncidentDetail) => ({
  type: 'section' as const,
  text: md(`*${formatReference(i.number)}* · ${escClip(i.summary, 200)}`),
});
const meta = (i: IncidentDetail) => JSON.stringify({ incidentId: i.id } satisfies IncidentModalMetadata);

const categoryOptions = CATEGORIES.map((c) => opt(c, CATEGORY_LABELS[c]));

/** A required select over a fixed list, with the current value chosen. */
function selectBlock<K extends string>(
  blockId: string,
  label: string,
  values: readonly K[],
  labels: Record<K, string>,
  current: K | null,
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element: {
      type: 'static_select',
      action_id: ACTION.input,
      options: values.map((v) => opt(v, labels[v])),
      ...(current ? { initial_option: opt(current, labels[current]) } : {}),
    },
  };
}

/** Triage: impact × urgency sets the priority; category for reporting. */
export function triageModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.triageModal,
    title: plain(`Triage ${formatReference(i.number)}`),
    submit: plain('Save'),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      selectBlock(TRIAGE_BLOCK.impact, 'Who is affected?', IMPACTS, IMPACT_LABELS, i.impact),
      selectBlock(TRIAGE_BLOCK.urgency, 'How urgent?', URGENCIES, URGENCY_LABELS, i.urgency),
      selectBlock(TRIAGE_BLOCK.category, 'Category', CATEGORIES, CATEGORY_LABELS, i.category),
      {
        type: 'context',
        elements: [md('Priority follows from who is affected and how urgent it is (FITS matrix).')],
      },
    ],
  };
}

export function resolveModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.resolveModal,
    title: plain(`Resolve ${formatReference(i.number)}`),
    submit: plain('Resolve'),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      {
        type: 'input',
        block_id: RESOLVE_BLOCK.resolution,
        label: plain('What was done?'),
        hint: plain('The reporter sees this, so keep it in plain words.'),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          multiline: true,
          max_length: RESOLUTION_MAX,
        },
      },
      ...(i.category
        ? []
        : [
            {
              type: 'input' as const,
              block_id: RESOLVE_BLOCK.category,
              optional: true,
              label: plain('Category'),
              element: { type: 'static_select' as const, action_id: ACTION.input, options: categoryOptions },
            },
          ]),
    ],
  };
}

export function closeModalView(i: IncidentDetail): ModalView {
  const resolved = i.status === 'resolved';
  return {
    type: 'modal',
    callback_id: CALLBACK.closeModal,
    title: plain(`Close ${formatReference(i.number)}`),
    submit: plain('Close incident'),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      {
        type: 'input',
        block_id: CLOSE_BLOCK.note,
        optional: resolved,
        label: plain(resolved ? 'Note (optional)' : 'Why is it being closed without a fix?'),
        ...(resolved
          ? {}
          : { hint: plain('e.g. Duplicate of INC-3, or not an ICT fault. The reporter is told.') }),
        element: { type: 'plain_text_input', action_id: ACTION.input, multiline: true, max_length: 3000 },
      },
    ],
  };
}

/** A provider as a select option (Slack caps option text at 75 characters). */
const providerOption = (p: { id: string; name: string }) => opt(p.id, clip(p.name, 75));

const textInput = (
  blockId: string,
  label: string,
  opts: {
    optional?: boolean;
    hint?: string;
    multiline?: boolean;
    max?: number;
    initial?: string;
    placeholder?: string;
  } = {},
): InputBlock => ({
  type: 'input',
  block_id: blockId,
  optional: opts.optional ?? false,
  label: plain(label),
  ...(opts.hint ? { hint: plain(opts.hint) } : {}),
  element: {
    type: 'plain_text_input',
    action_id: ACTION.input,
    multiline: opts.multiline ?? false,
    ...(opts.max ? { max_length: opts.max } : {}),
    ...(opts.initial ? { initial_value: opts.initial } : {}),
    ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
  },
});

/** Forward: to a named technician, or to a first-level provider from the register (one or the other). */
export function forwardModalView(
  i: IncidentDetail,
  firstLevel: ReadonlyArray<{ id: string; name: string }>,
): ModalView {
  const blocks: ModalView['blocks'] = [
    header(i),
    {
      type: 'input',
      block_id: FORWARD_BLOCK.assignee,
      optional: true,
      label: plain('A technician'),
      hint: plain('They are told by direct message, with a link to the card.'),
      element: { type: 'users_select', action_id: ACTION.input },
    },
  ];
  if (firstLevel.length > 0) {
    blocks.push({
      type: 'input',
      block_id: FORWARD_BLOCK.providerId,
      optional: true,
      label: plain('…or a first-level provider'),
      element: {
        type: 'static_select',
        action_id: ACTION.input,
        options: firstLevel.slice(0, STATIC_OPTIONS_MAX).map(providerOption),
      },
    });
  } else {
    blocks.push({
      type: 'context',
      elements: [md('No first-level providers in the register yet (`/spoc providers`).')],
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACK.forwardModal,
    title: plain(`Forward ${formatReference(i.number)}`),
    submit: plain('Forward'),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks,
  };
}

/** Escalate: a second-level provider or supplier, their reference (if given yet) and a note for them. */
export function escalateModalView(
  i: IncidentDetail,
  providers: ReadonlyArray<{ id: string; name: string }>,
): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.escalateModal,
    title: plain(`Escalate ${formatReference(i.number)}`),
    submit: plain('Escalate'),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      {
        type: 'input',
        block_id: ESCALATE_BLOCK.providerId,
        label: plain('Provider'),
        element: {
          type: 'static_select',
          action_id: ACTION.input,
          options: providers.slice(0, STATIC_OPTIONS_MAX).map(providerOption),
        },
      },
      textInput(ESCALATE_BLOCK.providerRef, 'Their reference', {
        optional: true,
        max: REFERENCE_MAX,
        hint: 'If they have given one yet; you can add it later with Provider update.',
      }),
      textInput(ESCALATE_BLOCK.note, 'Note for the provider', {
        multiline: true,
        max: ESCALATION_NOTE_MAX,
        hint: 'What is wrong and what has been tried. It goes to the provider with the incident’s details.',
      }),
    ],
  };
}

export function providerUpdateModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.providerUpdateModal,
    title: plain('Provider update'),
    submit: plain('Save'),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      textInput(PROVIDER_UPDATE_BLOCK.note, 'What did they say or do?', {
        multiline: true,
        max: ESCALATION_NOTE_MAX,
      }),
      textInput(PROVIDER_UPDATE_BLOCK.providerRef, 'Their reference', {
        optional: true,
        max: REFERENCE_MAX,
        initial: i.providerRef ?? undefined,
      }),
    ],
  };
}

export function handBackModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.handBackModal,
    title: plain('Hand back'),
    submit: plain('Hand back'),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      {
        type: 'context',
        elements: [
          md(
            `${i.providerName ? `*${escClip(i.providerName, 100)}*` : 'The provider'} has returned it to the school: it goes back in progress, ready to resolve.`,
          ),
        ],
      },
      textInput(HAND_BACK_BLOCK.note, 'Note (optional)', {
        optional: true,
        multiline: true,
        max: ESCALATION_NOTE_MAX,
        hint: 'What they did, or what is left for the school to do.',
      }),
    ],
  };
}

const HOLD_LABELS: Record<HoldReason, string> = {
  parts: 'Waiting for parts',
  user: 'Waiting for the person who reported it',
  other: 'Something else (say what)',
};

export function holdModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.holdModal,
    title: plain('Put on hold'),
    submit: plain('Put on hold'),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      {
        type: 'input',
        block_id: HOLD_BLOCK.reason,
        label: plain('What is it waiting for?'),
        element: {
          type: 'radio_buttons',
          action_id: ACTION.input,
          options: HOLD_REASONS.map((r) => opt(r, HOLD_LABELS[r])),
        },
      },
      textInput(HOLD_BLOCK.detail, 'Details', {
        optional: true,
        max: HOLD_DETAIL_MAX,
        hint: 'Needed for “something else”. The reporter is told what it is waiting for.',
      }),
      { type: 'context', elements: [md('The SLA clock is paused while it is on hold.')] },
    ],
  };
}

/** A staff note (or, for the reporter, a comment) with an optional link such as a photo. */
export function noteModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.noteModal,
    title: plain(`Note on ${formatReference(i.number)}`),
    submit: plain('Add'),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      textInput(NOTE_BLOCK.note, 'Note', { multiline: true, max: NOTE_MAX }),
      textInput(NOTE_BLOCK.link, 'Link (optional)', {
        optional: true,
        max: LINK_MAX,
        placeholder: 'https://…',
        hint: 'A photo or document link, if it helps.',
      }),
    ],
  };
}
