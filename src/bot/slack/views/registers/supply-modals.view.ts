/** The forms for providers, contracts, scheduled payments and diary entries. */
import type { InputBlock, ModalView } from '@slack/types';
import type { ContractRow, ProviderRow } from '../../../../db/queries/supply';
import {
  DIARY_KIND_LABELS,
  DIARY_KINDS,
  PROVIDER_LEVEL_LABELS,
  PROVIDER_LEVELS,
  RECURRENCE_LABELS,
  RECURRENCES,
} from '../../../../domain/registers/supply-types';
import { ACTION, REGISTER_BLOCK as B, CALLBACK } from '../../ids';
import { plain, poundsInput, STATIC_OPTIONS_MAX } from '../format';
import { dateInput, numberInput, option, selectInput, textInput } from './inputs.view';
import { modal } from './register-modals.view';

type Named = { id: string; name: string };

/** A provider drop-down; Slack shows at most 100 options, far more than a school has providers. */
function providerInput(
  providers: Named[],
  initialId: string | null | undefined,
  opts: { optional: boolean },
): InputBlock {
  const initial = initialId ? providers.find((p) => p.id === initialId) : undefined;
  return {
    type: 'input',
    block_id: B.providerId,
    optional: opts.optional,
    label: plain('Provider'),
    element: {
      type: 'static_select',
      action_id: ACTION.input,
      placeholder: plain('Choose a provider'),
      options: providers.slice(0, STATIC_OPTIONS_MAX).map((p) => option(p.id, p.name)),
      ...(initial ? { initial_option: option(initial.id, initial.name) } : {}),
    },
  };
}

function yesNoInput(blockId: string, label: string, checked: boolean): InputBlock {
  const yes = option('yes', label);
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    element: {
      type: 'checkboxes',
      action_id: ACTION.input,
      options: [yes],
      ...(checked ? { initial_options: [yes] } : {}),
    },
  };
}

export function providerModalView(provider: ProviderRow | undefined): ModalView {
  return modal(CALLBACK.providerModal, provider ? 'Edit provider' : 'Add a provider', 'Save', provider?.id, [
    textInput(B.name, 'Name', provider?.name, { max: 100, placeholder: 'e.g. Acme IT Services' }),
    selectInput(B.level, 'Level', PROVIDER_LEVELS, PROVIDER_LEVEL_LABELS, provider?.level ?? 'first'),
    textInput(B.contactName, 'Contact', provider?.contactName, { optional: true, max: 100 }),
    textInput(B.email, 'Email', provider?.email, { optional: true, max: 200 }),
    textInput(B.phone, 'Phone', provider?.phone, { optional: true, max: 40 }),
    textInput(B.chatChannel, 'Chat channel', provider?.chatChannel, {
      optional: true,
      max: 100,
      hint: 'A channel shared with the provider, for escalations.',
    }),
    textInput(B.notes, 'Notes', provider?.notes, { optional: true, multiline: true, max: 2000 }),
  ]);
}

export function contractModalView(contract: ContractRow | undefined, providers: Named[]): ModalView {
  return modal(CALLBACK.contractModal, contract ? 'Edit contract' : 'Add a contract', 'Save', contract?.id, [
    providerInput(providers, contract?.providerId, { optional: false }),
    textInput(B.title, 'Title', contract?.title, { max: 200, placeholder: 'e.g. Technical support' }),
    textInput(B.service, 'Service', contract?.service, { optional: true, max: 200 }),
    dateInput(B.startDate, 'Start date', contract?.startDate),
    dateInput(B.endDate, 'End date', contract?.endDate),
    numberInput(B.noticeDays, 'Notice (days)', contract?.noticeDays ?? 0, {
      hint: 'Notice must be given this many days before the end date.',
    }),
    yesNoInput(B.autoRenews, 'Renews automatically', contract?.autoRenews ?? false),
    textInput(B.valuePence, 'Value (£)', poundsInput(contract?.valuePence ?? null), {
      optional: true,
      placeholder: 'e.g. 1,234.50',
    }),
    numberInput(B.responseTargetHours, 'Response target (school hours)', contract?.responseTargetHours, {
      optional: true,
    }),
    textInput(B.notes, 'Notes', contract?.notes, { optional: true, multiline: true, max: 2000 }),
  ]);
}

export function paymentModalView(providers: Named[]): ModalView {
  return modal(CALLBACK.paymentModal, 'Schedule a payment', 'Save', undefined, [
    textInput(B.payee, 'Payee', undefined, { max: 100 }),
    ...(providers.length ? [providerInput(providers, undefined, { optional: true })] : []),
    textInput(B.amountPence, 'Amount (£)', undefined, { placeholder: 'e.g. 1,234.50' }),
    dateInput(B.dueDate, 'Due date', undefined, { optional: false }),
    selectInput(B.recurrence, 'Repeats', RECURRENCES, RECURRENCE_LABELS, 'none'),
    textInput(B.reference, 'Reference', undefined, { optional: true, max: 100 }),
    textInput(B.notes, 'Notes', undefined, { optional: true, multiline: true, max: 2000 }),
  ]);
}

/** `changes`: the open changes an entry can belong to (planned downtime); the drop-down shows when there are any. */
export function diaryModalView(
  today: string,
  changes: ReadonlyArray<{ id: string; number: number; title: string }> = [],
): ModalView {
  const changeInput: InputBlock = {
    type: 'input',
    block_id: B.workItemId,
    optional: true,
    label: plain('Change'),
    hint: plain('The change this is part of, e.g. planned downtime while it is installed.'),
    element: {
      type: 'static_select',
      action_id: ACTION.input,
      placeholder: plain('Choose a change'),
      options: changes.slice(0, STATIC_OPTIONS_MAX).map((c) => option(c.id, `CHG-${c.number} ${c.title}`)),
    },
  };
  const channelInput: InputBlock = {
    type: 'input',
    block_id: B.announceChannel,
    optional: true,
    label: plain('Tell staff in channel'),
    hint: plain('The notice (date, what, notes and the change) is posted there.'),
    element: {
      type: 'conversations_select',
      action_id: ACTION.input,
      placeholder: plain('Choose a channel'),
      filter: { include: ['public'], exclude_bot_users: true },
    },
  };
  return modal(CALLBACK.diaryModal, 'Add a diary entry', 'Save', undefined, [
    dateInput(B.date, 'Date', today, { optional: false }),
    textInput(B.title, 'What', undefined, { max: 200, placeholder: 'e.g. Interactive whiteboard installed' }),
    selectInput(B.kind, 'Kind', DIARY_KINDS, DIARY_KIND_LABELS, 'other'),
    textInput(B.notes, 'Notes', undefined, { optional: true, multiline: true, max: 2000 }),
    ...(changes.length ? [changeInput] : []),
    channelInput,
  ]);
}
