/**
 * The staff forms opened from an incident card, as Slack modals: triage, resolve, close, forward,
 * escalate, the provider's update, hand back, hold and a staff note. Their words come from
 * `presenters/incident-forms.ts`, shared with the Teams dialogs; this file only lays them out as
 * Block Kit (plus Slack's own Cancel button).
 */
import type { InputBlock, ModalView, PlainTextOption } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { LINK_MAX, NOTE_MAX } from '../../../domain/incidents/comment-incident';
import { ESCALATION_NOTE_MAX, REFERENCE_MAX } from '../../../domain/incidents/escalate-incident';
import { HOLD_DETAIL_MAX, HOLD_REASONS } from '../../../domain/incidents/hold-incident';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  IMPACT_LABELS,
  IMPACTS,
  URGENCIES,
  URGENCY_LABELS,
} from '../../../domain/incidents/priority';
import { RESOLUTION_MAX } from '../../../domain/incidents/resolve-incident';
import {
  CLOSE_FORM,
  ESCALATE_FORM,
  FORWARD_FORM,
  formHeading,
  HAND_BACK_FORM,
  HOLD_FORM,
  HOLD_REASON_LABELS,
  handedBackLine,
  MERGE_FORM,
  NO_FIRST_LEVEL_PROVIDERS,
  NOTE_FORM,
  PROVIDER_UPDATE_FORM,
  REPLY_FORM,
  RESOLVE_FORM,
  TRIAGE_FORM,
} from '../../../domain/presenters/incident-forms';
import {
  ACTION,
  CALLBACK,
  CLOSE_BLOCK,
  ESCALATE_BLOCK,
  FORWARD_BLOCK,
  HAND_BACK_BLOCK,
  HOLD_BLOCK,
  MERGE_BLOCK,
  NOTE_BLOCK,
  PROVIDER_UPDATE_BLOCK,
  RESOLVE_BLOCK,
  TRIAGE_BLOCK,
} from '../ids';
import { clip, md, plain, STATIC_OPTIONS_MAX } from './format';
import { saveFixBlocks } from './known-fix.view';
import { mrkdwn } from './render';

/** What the staff modals carry between opening and submitting. */
export interface IncidentModalMetadata {
  incidentId: string;
}

const opt = (value: string, text: string): PlainTextOption => ({ text: plain(text), value });
const header = (i: IncidentDetail) => ({ type: 'section' as const, text: md(mrkdwn(formHeading(i))) });
/** Small print under a form. */
const smallPrint = (text: string) => ({ type: 'context' as const, elements: [md(mrkdwn([text]))] });
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
    title: plain(TRIAGE_FORM.title(i)),
    submit: plain(TRIAGE_FORM.submit),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      selectBlock(TRIAGE_BLOCK.impact, TRIAGE_FORM.impact, IMPACTS, IMPACT_LABELS, i.impact),
      selectBlock(TRIAGE_BLOCK.urgency, TRIAGE_FORM.urgency, URGENCIES, URGENCY_LABELS, i.urgency),
      selectBlock(TRIAGE_BLOCK.category, TRIAGE_FORM.category, CATEGORIES, CATEGORY_LABELS, i.category),
      smallPrint(TRIAGE_FORM.priorityNote),
    ],
  };
}

export function resolveModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.resolveModal,
    title: plain(RESOLVE_FORM.title(i)),
    submit: plain(RESOLVE_FORM.submit),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      {
        type: 'input',
        block_id: RESOLVE_BLOCK.resolution,
        label: plain(RESOLVE_FORM.resolution),
        hint: plain(RESOLVE_FORM.resolutionHint),
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
              label: plain(RESOLVE_FORM.category),
              element: { type: 'static_select' as const, action_id: ACTION.input, options: categoryOptions },
            },
          ]),
      ...saveFixBlocks(i),
    ],
  };
}

export function closeModalView(i: IncidentDetail): ModalView {
  const resolved = i.status === 'resolved';
  return {
    type: 'modal',
    callback_id: CALLBACK.closeModal,
    title: plain(CLOSE_FORM.title(i)),
    submit: plain(CLOSE_FORM.submit),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      {
        type: 'input',
        block_id: CLOSE_BLOCK.note,
        optional: resolved,
        label: plain(CLOSE_FORM.note(resolved)),
        ...(resolved ? {} : { hint: plain(CLOSE_FORM.noteHint) }),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          multiline: true,
          max_length: CLOSE_FORM.noteMax,
        },
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

/** One of the school's staff an incident may be given to, as the Forward picker offers them. */
export interface ForwardStaff {
  personId: string;
  name: string;
}

/**
 * Forward: to one of the school's staff (technicians, office and admins, by SPOC person id, as
 * Teams offers them; never Slack's picker of anyone in the workspace), or to a first-level
 * provider from the register (one or the other).
 */
export function forwardModalView(
  i: IncidentDetail,
  firstLevel: ReadonlyArray<{ id: string; name: string }>,
  staff: ReadonlyArray<ForwardStaff> = [],
): ModalView {
  const blocks: ModalView['blocks'] = [header(i)];
  // The one pressing Forward is staff themselves, so the list is never empty in use; a select
  // with no options is refused by Slack, so an empty list offers the provider alone.
  if (staff.length > 0) {
    blocks.push({
      type: 'input',
      block_id: FORWARD_BLOCK.assignee,
      optional: true,
      label: plain(FORWARD_FORM.technician),
      hint: plain(FORWARD_FORM.technicianHint),
      element: {
        type: 'static_select',
        action_id: ACTION.input,
        options: staff.slice(0, STATIC_OPTIONS_MAX).map((p) => opt(p.personId, clip(p.name, 75))),
      },
    });
  }
  if (firstLevel.length > 0) {
    blocks.push({
      type: 'input',
      block_id: FORWARD_BLOCK.providerId,
      optional: true,
      label: plain(FORWARD_FORM.provider),
      element: {
        type: 'static_select',
        action_id: ACTION.input,
        options: firstLevel.slice(0, STATIC_OPTIONS_MAX).map(providerOption),
      },
    });
  } else {
    blocks.push({ type: 'context', elements: [md(mrkdwn(NO_FIRST_LEVEL_PROVIDERS))] });
  }
  return {
    type: 'modal',
    callback_id: CALLBACK.forwardModal,
    title: plain(FORWARD_FORM.title(i)),
    submit: plain(FORWARD_FORM.submit),
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
    title: plain(ESCALATE_FORM.title(i)),
    submit: plain(ESCALATE_FORM.submit),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      {
        type: 'input',
        block_id: ESCALATE_BLOCK.providerId,
        label: plain(ESCALATE_FORM.provider),
        element: {
          type: 'static_select',
          action_id: ACTION.input,
          options: providers.slice(0, STATIC_OPTIONS_MAX).map(providerOption),
        },
      },
      textInput(ESCALATE_BLOCK.providerRef, ESCALATE_FORM.providerRef, {
        optional: true,
        max: REFERENCE_MAX,
        hint: ESCALATE_FORM.providerRefHint,
      }),
      textInput(ESCALATE_BLOCK.note, ESCALATE_FORM.note, {
        multiline: true,
        max: ESCALATION_NOTE_MAX,
        hint: ESCALATE_FORM.noteHint,
      }),
    ],
  };
}

export function providerUpdateModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.providerUpdateModal,
    title: plain(PROVIDER_UPDATE_FORM.title),
    submit: plain(PROVIDER_UPDATE_FORM.submit),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      textInput(PROVIDER_UPDATE_BLOCK.note, PROVIDER_UPDATE_FORM.note, {
        multiline: true,
        max: ESCALATION_NOTE_MAX,
        hint: PROVIDER_UPDATE_FORM.noteHint,
      }),
      textInput(PROVIDER_UPDATE_BLOCK.providerRef, PROVIDER_UPDATE_FORM.providerRef, {
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
    title: plain(HAND_BACK_FORM.title),
    submit: plain(HAND_BACK_FORM.submit),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      { type: 'context', elements: [md(mrkdwn(handedBackLine(i.providerName)))] },
      textInput(HAND_BACK_BLOCK.note, HAND_BACK_FORM.note, {
        optional: true,
        multiline: true,
        max: ESCALATION_NOTE_MAX,
        hint: HAND_BACK_FORM.noteHint,
      }),
    ],
  };
}

export function holdModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.holdModal,
    title: plain(HOLD_FORM.title),
    submit: plain(HOLD_FORM.submit),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      {
        type: 'input',
        block_id: HOLD_BLOCK.reason,
        label: plain(HOLD_FORM.reason),
        element: {
          type: 'radio_buttons',
          action_id: ACTION.input,
          options: HOLD_REASONS.map((r) => opt(r, HOLD_REASON_LABELS[r])),
        },
      },
      textInput(HOLD_BLOCK.detail, HOLD_FORM.detail, {
        optional: true,
        max: HOLD_DETAIL_MAX,
        hint: HOLD_FORM.detailHint,
      }),
      smallPrint(HOLD_FORM.slaNote),
    ],
  };
}

/**
 * Words staff write on an incident, with an optional link, and who will read them: a staff note,
 * or a reply to the reporter (each form's words say which).
 */
function wordsModalView(
  i: IncidentDetail,
  callbackId: string,
  form: typeof NOTE_FORM | typeof REPLY_FORM,
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(form.title(i)),
    submit: plain(form.submit),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      textInput(NOTE_BLOCK.note, form.note, { multiline: true, max: NOTE_MAX }),
      textInput(NOTE_BLOCK.link, form.link, {
        optional: true,
        max: LINK_MAX,
        placeholder: form.linkPlaceholder,
        hint: form.linkHint,
      }),
      smallPrint(form.audience),
    ],
  };
}

/** A staff note, with an optional link such as a photo: for the staff only. */
export const noteModalView = (i: IncidentDetail): ModalView =>
  wordsModalView(i, CALLBACK.noteModal, NOTE_FORM);

/** Staff writing to the person who reported the fault: told by DM, kept in the history. */
export const replyModalView = (i: IncidentDetail): ModalView =>
  wordsModalView(i, CALLBACK.replyModal, REPLY_FORM);

/** The office merging a duplicate into the incident it repeats (named by its reference). */
export function mergeModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.mergeModal,
    title: plain(MERGE_FORM.title(i)),
    submit: plain(MERGE_FORM.submit),
    close: plain('Cancel'),
    private_metadata: meta(i),
    blocks: [
      header(i),
      textInput(MERGE_BLOCK.into, MERGE_FORM.into, {
        max: 20,
        placeholder: MERGE_FORM.intoPlaceholder,
        hint: MERGE_FORM.intoHint,
      }),
    ],
  };
}
