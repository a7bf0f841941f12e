/**
 * Scheduled payments: amounts in pence, due dates, recurrence. Paying a recurring payment
 * schedules the next one; nothing is ever paid twice.
 */
import { addMonths, addYears, format, parseISO } from 'date-fns';
import {
  getProvider,
  insertPayment,
  listPayments,
  lockPayment,
  type PaymentRow,
  scheduledPaymentExists,
  updatePayment,
} from '../../db/queries/supply';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { DomainFailure, fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { inTransaction } from '../transaction';
import { supplyKeyOf } from './supply-keys';
import { RECURRENCES, type Recurrence } from './supply-types';
import { checkDate, checkPence, checkText, fieldsOf } from './validate';

export interface PaymentInput {
  payee: string;
  providerId: string | null;
  amountPence: number;
  /** `YYYY-MM-DD` */
  dueDate: string;
  recurrence: Recurrence;
  reference: string;
  notes: string;
}

const NOT_FOUND = "I couldn't find that payment in your school.";

/**
 * The due date after `due` for a recurring payment. Termly means three times a year (autumn,
 * spring, summer), taken as every four months from the first due date.
 */
export function nextDueDate(due: string, recurrence: Recurrence): string | null {
  const d = parseISO(due);
  switch (recurrence) {
    case 'none':
      return null;
    case 'monthly':
      return format(addMonths(d, 1), 'yyyy-MM-dd');
    case 'termly':
      return format(addMonths(d, 4), 'yyyy-MM-dd');
    case 'annually':
      return format(addYears(d, 1), 'yyyy-MM-dd');
  }
}

function check(input: PaymentInput): Record<string, string> {
  return fieldsOf({
    payee: checkText(input.payee, 'Payee', 100, true),
    providerId:
      input.providerId !== null && !isUuid(input.providerId) ? 'Choose a provider from the list.' : undefined,
    amountPence:
      input.amountPence <= 0
        ? 'The amount must be more than £0.'
        : checkPence(input.amountPence, 'The amount'),
    dueDate: input.dueDate ? checkDate(input.dueDate, 'Due date') : 'Due date is needed.',
    recurrence: RECURRENCES.includes(input.recurrence) ? undefined : 'Choose how often.',
    reference: checkText(input.reference, 'Reference', 100),
    notes: checkText(input.notes, 'Notes', 2000),
  });
}

const values = (input: PaymentInput) => ({
  payee: input.payee.trim(),
  providerId: input.providerId,
  amountPence: input.amountPence,
  dueDate: input.dueDate,
  recurrence: input.recurrence,
  reference: input.reference.trim(),
  paymentKey: supplyKeyOf.payment(input),
  notes: input.notes.trim(),
});

const duplicate = () =>
  new DomainFailure({
    code: 'VALIDATION',
    message: 'That payment is already scheduled.',
    fields: { dueDate: 'A payment to this payee with this due date and reference is already scheduled.' },
  });

export async function schedulePayment(ctx: Ctx, input: PaymentInput): Promise<Result<PaymentRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const fields = check(input);
  if (Object.keys(fields).length > 0)
    return fail('VALIDATION', 'Please check the highlighted fields.', fields);
  return inTransaction(ctx.db, async (tx) => {
    if (input.providerId && !(await getProvider(tx, ctx.actor.schoolId, input.providerId))) {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'Choose another provider.',
        fields: { providerId: 'That provider is not in your list.' },
      });
    }
    const now = ctx.clock.now();
    const row = await insertPayment(tx, {
      schoolId: ctx.actor.schoolId,
      ...values(input),
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw duplicate();
    return row;
  });
}

export interface PaidOutput {
  payment: PaymentRow;
  /** The next instalment of a recurring payment, scheduled by paying this one. */
  next: PaymentRow | null;
  /** True when it had already been marked paid (a double click). */
  already: boolean;
}

/** Marks a payment paid (today in the school's calendar); a recurring one schedules the next. */
export async function markPaymentPaid(
  ctx: Ctx,
  input: { paymentId: string; paidDate: string },
): Promise<Result<PaidOutput>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.paymentId)) return fail('REGISTER.NOT_FOUND', NOT_FOUND);
  return inTransaction(ctx.db, async (tx) => {
    const payment = await lockPayment(tx, ctx.actor.schoolId, input.paymentId);
    if (!payment) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: NOT_FOUND });
    if (payment.status === 'paid') return { payment, next: null, already: true };
    if (payment.status === 'cancelled') {
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'That payment was cancelled, so it cannot be paid.',
      });
    }
    const now = ctx.clock.now();
    const paid = await updatePayment(tx, ctx.actor.schoolId, payment.id, {
      status: 'paid',
      paidDate: input.paidDate,
      updatedAt: now,
    });
    const nextDue = nextDueDate(payment.dueDate, payment.recurrence);
    let next: PaymentRow | null = null;
    if (nextDue) {
      const key = supplyKeyOf.payment({ ...payment, dueDate: nextDue });
      if (!(await scheduledPaymentExists(tx, ctx.actor.schoolId, key, payment.id))) {
        next =
          (await insertPayment(tx, {
            schoolId: ctx.actor.schoolId,
            payee: payment.payee,
            providerId: payment.providerId,
            contractId: payment.contractId,
            amountPence: payment.amountPence,
            dueDate: nextDue,
            recurrence: payment.recurrence,
            reference: payment.reference,
            paymentKey: key,
            notes: payment.notes,
            createdAt: now,
            updatedAt: now,
          })) ?? null;
      }
    }
    return { payment: paid, next, already: false };
  });
}

export async function cancelPayment(ctx: Ctx, input: { paymentId: string }): Promise<Result<PaymentRow>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  if (!isUuid(input.paymentId)) return fail('REGISTER.NOT_FOUND', NOT_FOUND);
  return inTransaction(ctx.db, async (tx) => {
    const payment = await lockPayment(tx, ctx.actor.schoolId, input.paymentId);
    if (!payment) throw new DomainFailure({ code: 'REGISTER.NOT_FOUND', message: NOT_FOUND });
    if (payment.status === 'paid')
      throw new DomainFailure({
        code: 'VALIDATION',
        message: 'That payment has been paid; it cannot be cancelled.',
      });
    return updatePayment(tx, ctx.actor.schoolId, payment.id, {
      status: 'cancelled',
      updatedAt: ctx.clock.now(),
    });
  });
}

/** Scheduled payments, soonest first (paid and cancelled ones too when asked). */
export async function listPaymentRegister(
  ctx: Ctx,
  input: { includeDone?: boolean },
): Promise<Result<PaymentRow[]>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  return ok(await listPayments(ctx.db, ctx.actor.schoolId, { includeDone: input.includeDone ?? false }));
}
