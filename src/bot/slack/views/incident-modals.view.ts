import type { InputBlock, ModalView, PlainTextOption } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
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
import { ACTION, CALLBACK, CLOSE_BLOCK, RESOLVE_BLOCK, TRIAGE_BLOCK } from '../ids';
import { escClip, md, plain } from './format';

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
