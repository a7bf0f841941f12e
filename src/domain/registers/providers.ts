/**
 * Support providers and their contracts: who the school escalates to, what it pays for, and when
 * notice must be given (end date − notice period).
 */
import { addDays, format, parseISO } from 'date-fns';
import {
  type ContractDetail,
  type ContractRow,
  getProvider,
  insertContract,
  insertProvider,
  listContracts,
  listProviders,
  lockContract,
  type ProviderRow,
  updateContract,
  updateProvider,
} from '../../db/queries/supply';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { supplyKeyOf } from './supply-keys';
import { PROVIDER_LEVELS, type ProviderLevel } from './supply-types';
import { checkCount, checkDate, checkPence, checkText, fieldsOf } from './validate';

export interface ProviderInput {
  name: string;
  level: ProviderLevel;
  contactName: string;
  email: string;
  phone: string;
  /** A Slack channel id (C…) or name shared with the provider, or empty. */
  chatChannel: string;
  notes: string;
}

export interface ContractInput {
  providerId: string;
  title: string;
  service: string;
  startDate: string | null;
  endDate: string | null;
  noticeDays: number;
  autoRenews: boolean;
  valuePence: number | null;
  responseTargetHours: number | null;
  notes: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkProvider(input: ProviderInput): Record<string, string> {
  return fieldsOf({
    name: checkText(input.name, 'The name', 100, true),
    level: PROVIDER_LEVELS.includes(input.level) ? undefined : 'Choose a level.',
    contactName: checkText(input.contactName, 'Contact', 100),
    email:
      input.email.trim() && !EMAIL.test(input.email.trim())
        ? 'That is not an email address.'
        : checkText(input.email, 'Email', 200),
    phone: checkText(input.phone, 'Phone', 40),
    chatChannel: checkText(input.chatChannel, 'Channel', 100),
    notes: checkText(input.notes, 'Notes', 2000),
  });
}

const providerValues = (i: ProviderInput) => ({
  name: i.name.trim(),
  nameKey: supplyKeyOf.provider(i),
  level: i.level,
  contactName: i.contactName.trim(),
  email: i.email.trim(),
  phone: i.phone.trim(),
  chatChannel: i.chatChannel.trim(),
  notes: i.notes.trim(),
});

const duplicateProvider = (name: string) =>
  new DomainFailure({
    code: 'VALIDATION',
    message: 'That provider is already listed.',
    fields: { name: `“${name.trim()}” is already in the list.` },
  });

export async function addProvider(ctx: Ctx, input: ProviderInput): Promise<Result<ProviderRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = checkProvider(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const row = await insertProvider(tx, {
      schoolId: ctx.actor.schoolId,
      ...providerValues(input),
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw duplicateProvider(input.name);
    return row;
  });
}

export async function editProvider(
  ctx: Ctx,
  input: ProviderInput & { providerId: string },
): Promise<Result<ProviderRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.providerId)) return fail('REGISTER.NOT_FOUND', "I couldn't find that provider.");
  const fields = checkProvider(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    const clash = (await listProviders(tx, ctx.actor.schoolId)).some(
      (p) => p.id !== input.providerId && p.nameKey === supplyKeyOf.provider(input),
    );
    if (clash) throw duplicateProvider(input.name);
    const row = await updateProvider(tx, ctx.actor.schoolId, input.providerId, {
      ...providerValues(input),
      updatedAt: ctx.clock.now(),
    });
    if (!row)
      throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: "I couldn't find that provider." });
    return row;
  });
}

export async function listProviderRegister(ctx: Ctx): Promise<Result<ProviderRow[]>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  return ok(await listProviders(ctx.db, ctx.actor.schoolId));
}

function checkContract(input: ContractInput): Record<string, string> {
  return fieldsOf({
    providerId: isUuid(input.providerId) ? undefined : 'Choose a provider.',
    title: checkText(input.title, 'The title', 200, true),
    service: checkText(input.service, 'Service', 200),
    startDate: checkDate(input.startDate, 'Start date'),
    endDate:
      checkDate(input.endDate, 'End date') ??
      (input.startDate && input.endDate && input.endDate < input.startDate
        ? 'The end must be after the start.'
        : undefined),
    noticeDays: checkCount(input.noticeDays, 'Notice (days)', true),
    valuePence: checkPence(input.valuePence, 'Value'),
    responseTargetHours: checkCount(input.responseTargetHours, 'Response target (hours)'),
    notes: checkText(input.notes, 'Notes', 2000),
  });
}

/** The last day to give notice: the end date minus the notice period. */
export function noticeDeadline(c: { endDate: string | null; noticeDays: number }): string | null {
  return c.endDate ? format(addDays(parseISO(c.endDate), -c.noticeDays), 'yyyy-MM-dd') : null;
}

export async function addContract(ctx: Ctx, input: ContractInput): Promise<Result<ContractRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = checkContract(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    const provider = await getProvider(tx, ctx.actor.schoolId, input.providerId);
    if (!provider)
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'Choose a provider.',
        fields: { providerId: 'That provider is not in your list.' },
      });
    const now = ctx.clock.now();
    const row = await insertContract(tx, {
      schoolId: ctx.actor.schoolId,
      providerId: provider.id,
      title: input.title.trim(),
      contractKey: supplyKeyOf.contract({ provider: provider.name, title: input.title }),
      service: input.service.trim(),
      startDate: input.startDate,
      endDate: input.endDate,
      noticeDays: input.noticeDays,
      autoRenews: input.autoRenews,
      valuePence: input.valuePence,
      responseTargetHours: input.responseTargetHours,
      notes: input.notes.trim(),
      createdAt: now,
      updatedAt: now,
    });
    if (!row)
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'That contract is already listed.',
        fields: { title: `${provider.name} already has a contract called “${input.title.trim()}”.` },
      });
    return row;
  });
}

/** Changes a contract's details (its status changes through Renewed / Will cancel). */
export async function editContract(
  ctx: Ctx,
  input: ContractInput & { contractId: string },
): Promise<Result<ContractRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.contractId)) return fail('REGISTER.NOT_FOUND', "I couldn't find that contract.");
  const fields = checkContract(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    const contract = await lockContract(tx, ctx.actor.schoolId, input.contractId);
    if (!contract)
      throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: "I couldn't find that contract." });
    const provider = await getProvider(tx, ctx.actor.schoolId, input.providerId);
    if (!provider)
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'Choose a provider.',
        fields: { providerId: 'That provider is not in your list.' },
      });
    const contractKey = supplyKeyOf.contract({ provider: provider.name, title: input.title });
    const clash = (await listContracts(tx, ctx.actor.schoolId)).some(
      (c) => c.id !== contract.id && c.contractKey === contractKey,
    );
    if (clash)
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'That contract is already listed.',
        fields: { title: `${provider.name} already has a contract called “${input.title.trim()}”.` },
      });
    return updateContract(tx, ctx.actor.schoolId, contract.id, {
      providerId: provider.id,
      title: input.title.trim(),
      contractKey,
      service: input.service.trim(),
      startDate: input.startDate,
      endDate: input.endDate,
      noticeDays: input.noticeDays,
      autoRenews: input.autoRenews,
      valuePence: input.valuePence,
      responseTargetHours: input.responseTargetHours,
      notes: input.notes.trim(),
      updatedAt: ctx.clock.now(),
    });
  });
}

/** "Renewed": the contract runs to a new end date and is active again. */
export async function renewContract(
  ctx: Ctx,
  input: { contractId: string; newEndDate: string },
): Promise<Result<ContractRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.contractId)) return fail('REGISTER.NOT_FOUND', "I couldn't find that contract.");
  const dateProblem = checkDate(input.newEndDate, 'The new end date');
  if (dateProblem) return fail('VALIDATION', dateProblem, { newEndDate: dateProblem });
  return inTransaction(ctx.db, async (tx) => {
    const contract = await lockContract(tx, ctx.actor.schoolId, input.contractId);
    if (!contract)
      throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: "I couldn't find that contract." });
    if (contract.endDate && input.newEndDate <= contract.endDate) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'The new end date must be after the current one.',
        fields: { newEndDate: 'Must be after the current end date.' },
      });
    }
    return updateContract(tx, ctx.actor.schoolId, contract.id, {
      endDate: input.newEndDate,
      status: 'active',
      updatedAt: ctx.clock.now(),
    });
  });
}

/** "Will cancel": notice is being given; the contract ends at its end date. */
export async function markContractCancelling(
  ctx: Ctx,
  input: { contractId: string },
): Promise<Result<ContractRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.contractId)) return fail('REGISTER.NOT_FOUND', "I couldn't find that contract.");
  return inTransaction(ctx.db, async (tx) => {
    const contract = await lockContract(tx, ctx.actor.schoolId, input.contractId);
    if (!contract)
      throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: "I couldn't find that contract." });
    return updateContract(tx, ctx.actor.schoolId, contract.id, {
      status: 'cancelling',
      updatedAt: ctx.clock.now(),
    });
  });
}

export async function listContractRegister(
  ctx: Ctx,
): Promise<Result<Array<ContractDetail & { noticeBy: string | null }>>> {
  if (!can(ctx.actor.role, 'register.view')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.view']);
  return ok(
    (await listContracts(ctx.db, ctx.actor.schoolId)).map((c) => ({ ...c, noticeBy: noticeDeadline(c) })),
  );
}
