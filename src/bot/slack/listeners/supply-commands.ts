/** `/spoc providers|contracts|payments|diary`: the supply registers as private replies. */
import { endOfMonth, format, isValid, parseISO } from 'date-fns';
import { listDiaryEntries } from '../../../domain/registers/diary';
import { listPaymentRegister } from '../../../domain/registers/payments';
import { listContractRegister, listProviderRegister } from '../../../domain/registers/providers';
import { can } from '../../../domain/roles';
import { schoolToday } from '../../../domain/school-time';
import type { SlackMessage } from '../views/incident-card.view';
import {
  contractListView,
  diaryListView,
  paymentListView,
  providerListView,
} from '../views/registers/supply-lists.view';
import { noticeView, usageView } from '../views/replies.view';
import type { Handler, SlackCtx } from './subcommand';

export async function providersReply(ctx: SlackCtx, page: number): Promise<SlackMessage> {
  const result = await listProviderRegister(ctx);
  if (!result.ok) return noticeView(result.error.message);
  return providerListView(result.value, page, can(ctx.actor.role, 'register.manage'));
}

/** Contracts, soonest ending first, with the notice deadline flagged when it is near. */
export async function contractsReply(ctx: SlackCtx, page: number): Promise<SlackMessage> {
  const result = await listContractRegister(ctx);
  if (!result.ok) return noticeView(result.error.message);
  return contractListView(result.value, page, {
    today: schoolToday(ctx.clock.now(), ctx.school.timezone),
    canManage: can(ctx.actor.role, 'register.manage'),
  });
}

/** `/spoc payments [all]`: scheduled payments soonest due first (office work); `all` adds paid and cancelled. */
export async function paymentsReply(
  ctx: SlackCtx,
  all: boolean,
  page: number,
  notice?: string,
): Promise<SlackMessage> {
  const result = await listPaymentRegister(ctx, { includeDone: all });
  if (!result.ok) return noticeView(result.error.message);
  return paymentListView(result.value, page, {
    today: schoolToday(ctx.clock.now(), ctx.school.timezone),
    all,
    ...(notice ? { notice } : {}),
  });
}

/** `/spoc diary [YYYY-MM]`: one month of the diary, this month unless another is named. */
export async function diaryReply(ctx: SlackCtx, month: string, page: number): Promise<SlackMessage> {
  const from = `${month}-01`;
  const result = await listDiaryEntries(ctx, {
    from,
    to: format(endOfMonth(parseISO(from)), 'yyyy-MM-dd'),
  });
  if (!result.ok) return noticeView(result.error.message);
  return diaryListView(result.value, month, page, can(ctx.actor.role, 'register.manage'));
}

function diaryCommand(ctx: SlackCtx, args: string[]): Promise<SlackMessage> {
  const month = args[0] ?? schoolToday(ctx.clock.now(), ctx.school.timezone).slice(0, 7);
  if (!/^\d{4}-\d{2}$/.test(month) || !isValid(parseISO(`${month}-01`))) {
    return Promise.resolve(usageView('Usage: `/spoc diary` or `/spoc diary 2027-03`', ctx.actor.role));
  }
  return diaryReply(ctx, month, 1);
}

export const SUPPLY_SUBCOMMANDS: Record<string, Handler> = {
  providers: (ctx, args) => providersReply(ctx, Math.max(1, Number(args[0]) || 1)),
  contracts: (ctx, args) => contractsReply(ctx, Math.max(1, Number(args[0]) || 1)),
  payments: (ctx, args) => paymentsReply(ctx, args[0]?.toLowerCase() === 'all', 1),
  diary: (ctx, args) => diaryCommand(ctx, args),
};
