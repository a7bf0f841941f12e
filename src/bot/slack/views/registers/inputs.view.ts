/** Input blocks for the register forms, built one way everywhere. */
import type { InputBlock, PlainTextOption } from '@slack/types';
import { ACTION } from '../../ids';
import { clip, plain, STATIC_OPTIONS_MAX } from '../format';

export const option = (value: string, text: string): PlainTextOption => ({
  text: plain(clip(text, 75)),
  value,
});

interface Common {
  optional?: boolean;
  hint?: string;
}

/** An input block around one element; every register field is built through here. */
function inputBlock(
  blockId: string,
  label: string,
  element: InputBlock['element'],
  opts: Common,
  optional: boolean,
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? optional,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
    element,
  };
}

export function textInput(
  blockId: string,
  label: string,
  initial: string | null | undefined,
  opts: Common & { max?: number; multiline?: boolean; placeholder?: string } = {},
): InputBlock {
  return inputBlock(
    blockId,
    label,
    {
      type: 'plain_text_input',
      action_id: ACTION.input,
      ...(opts.max ? { max_length: opts.max } : {}),
      ...(opts.multiline ? { multiline: true } : {}),
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
      ...(initial ? { initial_value: initial } : {}),
    },
    opts,
    false,
  );
}

export function selectInput<K extends string>(
  blockId: string,
  label: string,
  values: readonly K[],
  labels: Record<K, string>,
  initial: K | null | undefined,
  opts: Common = {},
): InputBlock {
  return inputBlock(
    blockId,
    label,
    {
      type: 'static_select',
      action_id: ACTION.input,
      options: values.map((v) => option(v, labels[v])),
      ...(initial ? { initial_option: option(initial, labels[initial]) } : {}),
    },
    opts,
    false,
  );
}

export function dateInput(
  blockId: string,
  label: string,
  initial: string | null | undefined,
  opts: Common = {},
): InputBlock {
  return inputBlock(
    blockId,
    label,
    { type: 'datepicker', action_id: ACTION.input, ...(initial ? { initial_date: initial } : {}) },
    opts,
    true,
  );
}

export function numberInput(
  blockId: string,
  label: string,
  initial: number | null | undefined,
  opts: Common = {},
): InputBlock {
  return inputBlock(
    blockId,
    label,
    {
      type: 'number_input',
      action_id: ACTION.input,
      is_decimal_allowed: false,
      min_value: '0',
      ...(initial !== null && initial !== undefined ? { initial_value: String(initial) } : {}),
    },
    opts,
    false,
  );
}

/**
 * A location drop-down: a static select while the school has up to 100 locations, a type-ahead
 * (external) select beyond Slack's 100-option limit, so a school with 400 rooms still works.
 */
export function locationInput(
  blockId: string,
  label: string,
  locations: ReadonlyArray<{ id: string; name: string }>,
  initialId: string | null | undefined,
  opts: Common & { actionId?: string; dispatch?: boolean } = {},
): InputBlock {
  const initial = initialId ? locations.find((l) => l.id === initialId) : undefined;
  const initialOption = initial ? { initial_option: option(initial.id, initial.name) } : {};
  const external = locations.length > STATIC_OPTIONS_MAX;
  const element: InputBlock['element'] = external
    ? {
        type: 'external_select',
        action_id: opts.actionId ?? ACTION.locationSearch,
        placeholder: plain('Type to search locations'),
        min_query_length: 0,
        ...initialOption,
      }
    : {
        type: 'static_select',
        action_id: opts.actionId ?? ACTION.input,
        placeholder: plain('Choose a location'),
        options: locations.map((l) => option(l.id, l.name)),
        ...initialOption,
      };
  return {
    ...inputBlock(blockId, label, element, opts, true),
    ...(opts.dispatch ? { dispatch_action: true } : {}),
  };
}
