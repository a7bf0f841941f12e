/**
 * What SPOC answers about providers, contracts, scheduled payments and the diary (`/spoc
 * providers|contracts|payments [all]|diary [YYYY-MM]` in Slack, `spoc …` in Teams), their pages,
 * and the list's Mark paid / Cancel: the domain's query and command, then the presenter, decided
 * once for every platform. A refusal is the domain's own sentence.
 */
import { endOfMonth, format, isValid, parseISO } from 'date-fns';
import type { Ctx } from '../context';
import { type PersonRef, type Presentation, type Rich, sentence } from '../presenters/presentation';
import { readPageValue } from '../presenters/registers/paging';
import {
  doneBy,
  paymentCancelledText,
  paymentPaidText,
  presentContractList,
  presentDiaryList,
  presentPaymentList,
  presentProviderList,
  SUPPLY_KINDS,
  type SupplyKind,
} from '../presenters/registers/supply';
import { listDiaryEntries } from '../registers/diary';
import { cancelPayment, listPaymentRegister, markPaymentPaid } from '../registers/payments';
import { listContractRegister, listProviderRegister } from '../registers/providers';
import type { Result } from '../result';
import { can } from '../roles';
import { schoolToday } from '../school-time';

/** Who is asking, in their school (for today's date in its time zone). */
export type SchoolCtx = Ctx & { school: { timezone: string } };

const todayOf = (ctx: SchoolCtx) => schoolToday(ctx.clock.now(), ctx.school.timezone);

/** A page number typed after a list's name (`providers 2`), else the first. */
export const pageArg = (arg: string | undefined): number => Math.max(1, Number(arg) || 1);

export async function providersAnswer(ctx: SchoolCtx, page: number): Promise<Presentation> {
  const result = await listProviderRegister(ctx);
  if (!result.ok) return sentence(result.error.message);
  return presentProviderList(result.value, page, can(ctx.actor.role, 'register.manage'));
}

/** Contracts, soonest ending first, with the notice deadline flagged when it is near. */
export async function contractsAnswer(ctx: SchoolCtx, page: number): Promise<Presentation> {
  const result = await listContractRegister(ctx);
  if (!result.ok) return sentence(result.error.message);
  return presentContractList(result.value, page, {
    today: todayOf(ctx),
    canManage: can(ctx.actor.role, 'register.manage'),
  });
}

/** Scheduled payments soonest due first (office work); `all` adds paid and cancelled. */
export async function paymentsAnswer(
  ctx: SchoolCtx,
  all: boolean,
  page: number,
  notice?: Rich,
): Promise<Presentation> {
  const result = await listPaymentRegister(ctx, { includeDone: all });
  if (!result.ok) return sentence(result.error.message);
  return presentPaymentList(result.value, page, {
    today: todayOf(ctx),
    all,
    ...(notice ? { notice } : {}),
  });
}

/** `payments all` lists every payment; anything else the scheduled ones. */
export const paymentsAllArg = (arg: string | undefined): boolean => arg?.toLowerCase() === 'all';

/** One month of the diary (`month`: `yyyy-MM`). */
export async function diaryAnswer(ctx: SchoolCtx, month: string, page: number): Promise<Presentation> {
  const from = `${month}-01`;
  const result = await listDiaryEntries(ctx, {
    from,
    to: format(endOfMonth(parseISO(from)), 'yyyy-MM-dd'),
  });
  if (!result.ok) return sentence(result.error.message);
  return presentDiaryList(result.value, month, page, can(ctx.actor.role, 'register.manage'));
}

/** How to ask for the diary, when the month typed is not one. */
export const DIARY_USAGE: Rich = [
  'Usage: ',
  { command: 'spoc diary' },
  ' or ',
  { command: 'spoc diary 2027-03' },
];

/** `diary [YYYY-MM]`: the month asked for (this month when none is), or the usage when it is not a month. */
export async function diaryCommandAnswer(
  ctx: SchoolCtx,
  arg: string | undefined,
): Promise<{ ok: true; answer: Presentation } | { ok: false; usage: Rich }> {
  const month = arg ?? todayOf(ctx).slice(0, 7);
  if (!/^\d{4}-\d{2}$/.test(month) || !isValid(parseISO(`${month}-01`)))
    return { ok: false, usage: DIARY_USAGE };
  return { ok: true, answer: await diaryAnswer(ctx, month, 1) };
}

/**
 * Previous / Next on one of these lists: the page the button names, or undefined when the button
 * is not one of them. The diary's month comes back from the button and is checked again.
 */
export async function supplyPageAnswer(ctx: SchoolCtx, raw: string): Promise<Presentation | undefined> {
  const v = readPageValue(raw);
  if (!v || !SUPPLY_KINDS.includes(v.kind as SupplyKind)) return undefined;
  switch (v.kind as SupplyKind) {
    case 'providers':
      return providersAnswer(ctx, v.page);
    case 'contracts':
      return contractsAnswer(ctx, v.page);
    case 'payments':
      return paymentsAnswer(ctx, paymentsAllArg(v.query), v.page);
    case 'diary': {
      const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(v.query) ? v.query : todayOf(ctx).slice(0, 7);
      return diaryAnswer(ctx, month, v.page);
    }
  }
}

/**
 * Mark paid or Cancel on a listed payment: the scheduled payments again, with what was done and
 * by whom over them; or the domain's refusal (not office staff, already cancelled).
 */
export async function paymentButtonAnswer(
  ctx: SchoolCtx,
  op: 'paid' | 'cancel',
  paymentId: string,
  by: PersonRef,
): Promise<Result<Presentation>> {
  const done = op === 'paid' ? await markPaid(ctx, paymentId) : await cancel(ctx, paymentId);
  if (!done.ok) return done;
  return { ok: true, value: await paymentsAnswer(ctx, false, 1, doneBy(done.value, by)) };
}

async function markPaid(ctx: SchoolCtx, paymentId: string): Promise<Result<Rich>> {
  const today = todayOf(ctx);
  const r = await markPaymentPaid(ctx, { paymentId, paidDate: today });
  if (!r.ok) return r;
  const { payment, next, already } = r.value;
  return { ok: true, value: paymentPaidText(payment, { today, already, nextDue: next?.dueDate ?? null }) };
}

async function cancel(ctx: SchoolCtx, paymentId: string): Promise<Result<Rich>> {
  const r = await cancelPayment(ctx, { paymentId });
  return r.ok ? { ok: true, value: paymentCancelledText(r.value) } : r;
}
