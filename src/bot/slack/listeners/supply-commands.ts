/** `/spoc providers|contracts|payments|diary`: the supply registers as private replies, from the domain's answers. */
import {
  contractsAnswer,
  diaryAnswer,
  diaryCommandAnswer,
  pageArg,
  paymentsAllArg,
  paymentsAnswer,
  providersAnswer,
} from '../../../domain/answers/supply';
import type { Rich } from '../../../domain/presenters/presentation';
import type { SlackMessage } from '../views/incident-card.view';
import { mrkdwn, renderMessage } from '../views/render';
import { usageView } from '../views/replies.view';
import type { Handler, SlackCtx } from './subcommand';

export async function providersReply(ctx: SlackCtx, page: number): Promise<SlackMessage> {
  return renderMessage(await providersAnswer(ctx, page), ctx.school.timezone);
}

export async function contractsReply(ctx: SlackCtx, page: number): Promise<SlackMessage> {
  return renderMessage(await contractsAnswer(ctx, page), ctx.school.timezone);
}

export async function paymentsReply(
  ctx: SlackCtx,
  all: boolean,
  page: number,
  notice?: Rich,
): Promise<SlackMessage> {
  return renderMessage(await paymentsAnswer(ctx, all, page, notice), ctx.school.timezone);
}

export async function diaryReply(ctx: SlackCtx, month: string, page: number): Promise<SlackMessage> {
  return renderMessage(await diaryAnswer(ctx, month, page), ctx.school.timezone);
}

async function diaryCommand(ctx: SlackCtx, args: string[]): Promise<SlackMessage> {
  const asked = await diaryCommandAnswer(ctx, args[0]);
  if (!asked.ok) return usageView(mrkdwn(asked.usage), ctx.actor.role);
  return renderMessage(asked.answer, ctx.school.timezone);
}

export const SUPPLY_SUBCOMMANDS: Record<string, Handler> = {
  providers: (ctx, args) => providersReply(ctx, pageArg(args[0])),
  contracts: (ctx, args) => contractsReply(ctx, pageArg(args[0])),
  payments: (ctx, args) => paymentsReply(ctx, paymentsAllArg(args[0]), 1),
  diary: (ctx, args) => diaryCommand(ctx, args),
};
