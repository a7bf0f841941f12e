/**
 * The provider, contract, scheduled payment and diary entry forms, defined once for every
 * platform: what each asks, how its answers are read (money as typed, numbers, ticks), the domain
 * command it runs and what it says once saved. The field ids are the commands' field names, so a
 * domain error lands beside its field.
 */

import { getSchool } from '../../db/queries/schools';
import type { ContractRow, ProviderRow } from '../../db/queries/supply';
import type { Ctx } from '../context';
import { parseMoney } from '../imports/fields';
import { dayDate, pounds } from '../presenters/format';
import { bold, emoji, type Rich, typed } from '../presenters/presentation';
import { addDiaryEntry, announceChannels } from '../registers/diary';
import { schedulePayment } from '../registers/payments';
import {
  addContract,
  addProvider,
  type ContractInput,
  editContract,
  editProvider,
  listContractRegister,
  listProviderRegister,
  noticeDeadline,
  type ProviderInput,
} from '../registers/providers';
import {
  DIARY_KIND_LABELS,
  DIARY_KINDS,
  type DiaryKind,
  PROVIDER_LEVEL_LABELS,
  PROVIDER_LEVELS,
  type ProviderLevel,
  RECURRENCE_LABELS,
  RECURRENCES,
  type Recurrence,
} from '../registers/supply-types';
import { fail } from '../result';
import { schoolToday } from '../school-time';
import { openChanges } from '../work-items/list';
import type { FieldReader, FormField, FormOption, FormSpec, OfficeForm } from './form';

type Named = { id: string; name: string };

/** No list of choices is longer than this (Slack's limit for a drop-down; far more than a school has providers). */
const CHOICES_MAX = 100;

const options = <K extends string>(values: readonly K[], labels: Record<K, string>): FormOption[] =>
  values.map((v) => ({ value: v, label: labels[v] }));

function providerField(
  providers: readonly Named[],
  initial: string | null | undefined,
  optional: boolean,
): FormField {
  return {
    kind: 'choice',
    id: 'providerId',
    label: 'Provider',
    placeholder: 'Choose a provider',
    optional,
    options: providers.slice(0, CHOICES_MAX).map((p) => ({ value: p.id, label: p.name })),
    initial: initial ?? null,
  };
}

/** A field refused before any command runs (money that is not money). */
const fieldError = (field: string, message: string) => fail('VALIDATION', message, { [field]: message });

/** Money as typed (`1234.5`, `£1,234.50`), or the reason it is not money. */
function money(read: FieldReader, id: string): { pence: number | null } | { error: string } {
  const parsed = parseMoney(read(id) ?? '');
  return parsed.ok ? { pence: parsed.value } : { error: parsed.reason };
}

/** A whole number as typed, or null when left empty. */
const count = (raw: string | undefined): number | null => (raw === undefined ? null : Number(raw));

/** How money opens in a form: `1234.50`. */
const poundsInput = (pence: number | null): string | null =>
  pence === null ? null : (pence / 100).toFixed(2);

// ——— Providers ———

export function providerFormSpec(provider: ProviderRow | undefined): FormSpec {
  return {
    title: provider ? 'Edit provider' : 'Add a provider',
    submit: 'Save',
    fields: [
      {
        kind: 'text',
        id: 'name',
        label: 'Name',
        initial: provider?.name,
        max: 100,
        placeholder: 'e.g. Acme IT Services',
      },
      {
        kind: 'choice',
        id: 'level',
        label: 'Level',
        options: options(PROVIDER_LEVELS, PROVIDER_LEVEL_LABELS),
        initial: provider?.level ?? 'first',
      },
      {
        kind: 'text',
        id: 'contactName',
        label: 'Contact',
        initial: provider?.contactName,
        optional: true,
        max: 100,
      },
      { kind: 'text', id: 'email', label: 'Email', initial: provider?.email, optional: true, max: 200 },
      { kind: 'text', id: 'phone', label: 'Phone', initial: provider?.phone, optional: true, max: 40 },
      {
        kind: 'text',
        id: 'chatChannel',
        label: 'Chat channel',
        initial: provider?.chatChannel,
        optional: true,
        max: 100,
        hint: 'A channel shared with the provider, for escalations.',
      },
      {
        kind: 'text',
        id: 'notes',
        label: 'Notes',
        initial: provider?.notes,
        optional: true,
        multiline: true,
        max: 2000,
      },
    ],
  };
}

async function providersOf(ctx: Ctx): Promise<ProviderRow[]> {
  const r = await listProviderRegister(ctx);
  return r.ok ? r.value : [];
}

export const providerForm: OfficeForm = {
  name: 'provider',
  permission: 'register.manage',
  async open(ctx, id) {
    if (!id) return { ok: true, value: providerFormSpec(undefined) };
    const found = (await providersOf(ctx)).find((p) => p.id === id);
    return found
      ? { ok: true, value: providerFormSpec(found) }
      : fail('REGISTER.NOT_FOUND', "I couldn't find that provider.");
  },
  async submit(ctx, id, read) {
    const input: ProviderInput = {
      name: read('name') ?? '',
      level: (read('level') ?? '') as ProviderLevel,
      contactName: read('contactName') ?? '',
      email: read('email') ?? '',
      phone: read('phone') ?? '',
      chatChannel: read('chatChannel') ?? '',
      notes: read('notes') ?? '',
    };
    const r = id ? await editProvider(ctx, { ...input, providerId: id }) : await addProvider(ctx, input);
    if (!r.ok) return r;
    return {
      ok: true,
      value: { saved: [emoji(':handshake:'), ' Provider ', bold(typed(r.value.name, 100)), ' saved.'] },
    };
  },
};

// ——— Contracts ———

/** Why a contract cannot be added yet: it needs a provider. */
export const NO_PROVIDERS: Rich = [
  'Add a provider first: ',
  { command: 'spoc providers' },
  ', then ',
  bold('Add a provider'),
  '.',
];

/** `NO_PROVIDERS` when the school has no provider yet (a contract needs one), else nothing. */
export async function contractRefusal(ctx: Ctx): Promise<Rich | undefined> {
  return (await providersOf(ctx)).length ? undefined : NO_PROVIDERS;
}

export function contractFormSpec(contract: ContractRow | undefined, providers: readonly Named[]): FormSpec {
  return {
    title: contract ? 'Edit contract' : 'Add a contract',
    submit: 'Save',
    fields: [
      providerField(providers, contract?.providerId, false),
      {
        kind: 'text',
        id: 'title',
        label: 'Title',
        initial: contract?.title,
        max: 200,
        placeholder: 'e.g. Technical support',
      },
      { kind: 'text', id: 'service', label: 'Service', initial: contract?.service, optional: true, max: 200 },
      { kind: 'date', id: 'startDate', label: 'Start date', initial: contract?.startDate },
      { kind: 'date', id: 'endDate', label: 'End date', initial: contract?.endDate },
      {
        kind: 'number',
        id: 'noticeDays',
        label: 'Notice (days)',
        initial: contract?.noticeDays ?? 0,
        hint: 'Notice must be given this many days before the end date.',
      },
      {
        kind: 'toggle',
        id: 'autoRenews',
        label: 'Renews automatically',
        title: 'Renews automatically',
        initial: contract?.autoRenews ?? false,
      },
      {
        kind: 'text',
        id: 'valuePence',
        label: 'Value (£)',
        initial: poundsInput(contract?.valuePence ?? null),
        optional: true,
        placeholder: 'e.g. 1,234.50',
      },
      {
        kind: 'number',
        id: 'responseTargetHours',
        label: 'Response target (school hours)',
        initial: contract?.responseTargetHours,
        optional: true,
      },
      {
        kind: 'text',
        id: 'notes',
        label: 'Notes',
        initial: contract?.notes,
        optional: true,
        multiline: true,
        max: 2000,
      },
    ],
  };
}

export const contractForm: OfficeForm = {
  name: 'contract',
  permission: 'register.manage',
  async open(ctx, id) {
    const providers = await providersOf(ctx);
    if (!id) return { ok: true, value: contractFormSpec(undefined, providers) };
    const contracts = await listContractRegister(ctx);
    const found = contracts.ok ? contracts.value.find((c) => c.id === id) : undefined;
    return found
      ? { ok: true, value: contractFormSpec(found, providers) }
      : fail('REGISTER.NOT_FOUND', "I couldn't find that contract.");
  },
  async submit(ctx, id, read) {
    const amount = money(read, 'valuePence');
    if ('error' in amount) return fieldError('valuePence', amount.error);
    const input: ContractInput = {
      providerId: read('providerId') ?? '',
      title: read('title') ?? '',
      service: read('service') ?? '',
      startDate: read('startDate') ?? null,
      endDate: read('endDate') ?? null,
      noticeDays: count(read('noticeDays')) ?? 0,
      autoRenews: read('autoRenews') === 'true',
      valuePence: amount.pence,
      responseTargetHours: count(read('responseTargetHours')),
      notes: read('notes') ?? '',
    };
    const r = id ? await editContract(ctx, { ...input, contractId: id }) : await addContract(ctx, input);
    if (!r.ok) return r;
    const by = noticeDeadline(r.value);
    return {
      ok: true,
      value: {
        saved: [
          emoji(':page_facing_up:'),
          ' Contract ',
          bold(typed(r.value.title, 200)),
          ` saved.${by ? ` Notice must be given by ${dayDate(by)}.` : ''}`,
        ],
      },
    };
  },
};

// ——— Scheduled payments ———

export function paymentFormSpec(providers: readonly Named[]): FormSpec {
  return {
    title: 'Schedule a payment',
    submit: 'Save',
    fields: [
      { kind: 'text', id: 'payee', label: 'Payee', max: 100 },
      ...(providers.length ? [providerField(providers, undefined, true)] : []),
      { kind: 'text', id: 'amountPence', label: 'Amount (£)', placeholder: 'e.g. 1,234.50' },
      { kind: 'date', id: 'dueDate', label: 'Due date', optional: false },
      {
        kind: 'choice',
        id: 'recurrence',
        label: 'Repeats',
        options: options(RECURRENCES, RECURRENCE_LABELS),
        initial: 'none',
      },
      { kind: 'text', id: 'reference', label: 'Reference', optional: true, max: 100 },
      { kind: 'text', id: 'notes', label: 'Notes', optional: true, multiline: true, max: 2000 },
    ],
  };
}

export const paymentForm: OfficeForm = {
  name: 'payment',
  permission: 'register.manage',
  async open(ctx) {
    return { ok: true, value: paymentFormSpec(await providersOf(ctx)) };
  },
  async submit(ctx, _id, read) {
    const amount = money(read, 'amountPence');
    if ('error' in amount) return fieldError('amountPence', amount.error);
    if (amount.pence === null) return fieldError('amountPence', 'The amount is needed.');
    const r = await schedulePayment(ctx, {
      payee: read('payee') ?? '',
      providerId: read('providerId') ?? null,
      amountPence: amount.pence,
      dueDate: read('dueDate') ?? '',
      recurrence: (read('recurrence') ?? 'none') as Recurrence,
      reference: read('reference') ?? '',
      notes: read('notes') ?? '',
    });
    if (!r.ok) return r;
    return {
      ok: true,
      value: {
        saved: [
          emoji(':calendar:'),
          ' ',
          bold(pounds(r.value.amountPence)),
          ' to ',
          bold(typed(r.value.payee, 100)),
          ` due ${dayDate(r.value.dueDate)}.`,
        ],
      },
    };
  },
};

// ——— The diary ———

/**
 * The diary entry form: `today` opens it; `changes`, the open changes an entry can belong to
 * (planned downtime; the drop-down shows when there are any); `announce`, where the entry can be
 * told to staff: `true` for the platform's own channel picker (Slack's), or the school's channels
 * SPOC can post in (Teams'; the field shows when there are any), or `false` for nowhere.
 */
export function diaryFormSpec(
  today: string,
  changes: ReadonlyArray<{ id: string; number: number; title: string }>,
  announce: boolean | ReadonlyArray<{ id: string; name: string }>,
): FormSpec {
  const fields: FormField[] = [
    { kind: 'date', id: 'date', label: 'Date', initial: today, optional: false },
    {
      kind: 'text',
      id: 'title',
      label: 'What',
      max: 200,
      placeholder: 'e.g. Interactive whiteboard installed',
    },
    {
      kind: 'choice',
      id: 'kind',
      label: 'Kind',
      options: options(DIARY_KINDS, DIARY_KIND_LABELS),
      initial: 'other',
    },
    { kind: 'text', id: 'notes', label: 'Notes', optional: true, multiline: true, max: 2000 },
  ];
  if (changes.length)
    fields.push({
      kind: 'choice',
      id: 'workItemId',
      label: 'Change',
      optional: true,
      hint: 'The change this is part of, e.g. planned downtime while it is installed.',
      placeholder: 'Choose a change',
      options: changes
        .slice(0, CHOICES_MAX)
        .map((c) => ({ value: c.id, label: `CHG-${c.number} ${c.title}` })),
    });
  const channels = typeof announce === 'boolean' ? [] : announce.slice(0, CHOICES_MAX);
  if (announce === true || channels.length)
    fields.push({
      kind: 'channel',
      id: 'announceChannel',
      label: 'Tell staff in channel',
      optional: true,
      hint: 'The notice (date, what, notes and the change) is posted there.',
      placeholder: 'Choose a channel',
      channels,
    });
  return { title: 'Add a diary entry', submit: 'Save', fields };
}

export const diaryForm: OfficeForm = {
  name: 'diary',
  permission: 'register.manage',
  async open(ctx) {
    const school = await getSchool(ctx.db, ctx.actor.schoolId);
    const today = schoolToday(ctx.clock.now(), school?.timezone ?? 'Europe/London');
    // A school on Slack picks any public channel; a school on Teams one of its team's channels
    // SPOC has heard from (the outbox's `diary.announce` posts there).
    const announce = await announceChannels(ctx.db, ctx.actor.schoolId);
    return { ok: true, value: diaryFormSpec(today, await openChanges(ctx), announce) };
  },
  async submit(ctx, _id, read) {
    const r = await addDiaryEntry(ctx, {
      date: read('date') ?? '',
      title: read('title') ?? '',
      kind: (read('kind') ?? 'other') as DiaryKind,
      notes: read('notes') ?? '',
      assetId: null,
      workItemId: read('workItemId') ?? null,
      announceChannel: read('announceChannel') ?? null,
    });
    if (!r.ok) return r;
    return {
      ok: true,
      value: {
        saved: [
          emoji(':spiral_calendar_pad:'),
          ' ',
          bold(typed(r.value.title, 200)),
          ` is in the diary for ${dayDate(r.value.date)}.`,
        ],
      },
    };
  },
};
