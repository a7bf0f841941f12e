/**
 * An office form (`FormSpec`, the domain's neutral form: a location, an asset, a contract, …) as a
 * Slack modal: each field as its input block, through the same builders as every register form,
 * with the block id the field's id, so the domain's errors land beside their fields. The record
 * edited rides in `private_metadata`. No wording is decided here.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import type { FormField, FormSpec } from '../../../domain/forms/form';
import { ACTION } from '../ids';
import { md, plain } from './format';
import { dateInput, locationInput, numberInput, option, textInput } from './registers/inputs.view';
import { modal } from './registers/register-modals.view';
import { mrkdwn } from './render';

type InputField = Exclude<FormField, { kind: 'note' }>;

/** An input block for `field`, around `element`; optional unless the spec says, by `optional`. */
function inputBlock(field: InputField, optional: boolean, element: InputBlock['element']): InputBlock {
  return {
    type: 'input',
    block_id: field.id,
    optional: field.optional ?? optional,
    label: plain(field.label),
    ...(field.hint ? { hint: plain(field.hint) } : {}),
    element,
  };
}

const placeholderOf = (field: { placeholder?: string }) =>
  field.placeholder ? { placeholder: plain(field.placeholder) } : {};

/** A yes/no box: one checkbox, ticked when the value is yes. */
function toggleBlock(field: Extract<FormField, { kind: 'toggle' }>): InputBlock {
  const yes = option('true', field.title);
  return inputBlock(field, true, {
    type: 'checkboxes',
    action_id: ACTION.input,
    options: [yes],
    ...(field.initial ? { initial_options: [yes] } : {}),
  });
}

/** One of the school's people: Slack's own user picker, opening on the person named. */
function personBlock(field: Extract<FormField, { kind: 'person' }>): InputBlock {
  const initial = field.initial?.slackUserId;
  return inputBlock(field, true, {
    type: 'users_select',
    action_id: ACTION.input,
    ...placeholderOf(field),
    ...(initial ? { initial_user: initial } : {}),
  });
}

/** A channel to post to: Slack's own picker of public channels. */
function channelBlock(field: Extract<FormField, { kind: 'channel' }>): InputBlock {
  return inputBlock(field, true, {
    type: 'conversations_select',
    action_id: ACTION.input,
    ...placeholderOf(field),
    filter: { include: ['public'], exclude_bot_users: true },
  });
}

function choiceBlock(field: Extract<FormField, { kind: 'choice' }>): InputBlock {
  const initial = field.options.find((o) => o.value === field.initial);
  return inputBlock(field, false, {
    type: 'static_select',
    action_id: ACTION.input,
    ...placeholderOf(field),
    options: field.options.map((o) => option(o.value, o.label)),
    ...(initial ? { initial_option: option(initial.value, initial.label) } : {}),
  });
}

export function fieldBlock(field: FormField, timezone?: string): KnownBlock {
  const common = {
    ...(field.kind !== 'note' && field.optional !== undefined ? { optional: field.optional } : {}),
    ...(field.kind !== 'note' && field.hint ? { hint: field.hint } : {}),
  };
  switch (field.kind) {
    case 'note':
      return { type: 'section', text: md(mrkdwn(field.text, timezone)) };
    case 'text':
      return textInput(field.id, field.label, field.initial, {
        ...common,
        ...(field.max ? { max: field.max } : {}),
        ...(field.multiline ? { multiline: true } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
      });
    case 'number':
      return numberInput(field.id, field.label, field.initial, common);
    case 'date':
      return dateInput(field.id, field.label, field.initial, common);
    case 'location':
      return locationInput(field.id, field.label, field.places, field.initial, common);
    case 'choice':
      return choiceBlock(field);
    case 'toggle':
      return toggleBlock(field);
    case 'channel':
      return channelBlock(field);
    case 'person':
      return personBlock(field);
  }
}

/** The spec as a modal: `callbackId` names the form's submission, `id` the record edited. */
export function officeFormModal(callbackId: string, spec: FormSpec, id: string | undefined): ModalView {
  return modal(
    callbackId,
    spec.title.slice(0, 24),
    spec.submit,
    id,
    spec.fields.map((f) => fieldBlock(f)),
  );
}
