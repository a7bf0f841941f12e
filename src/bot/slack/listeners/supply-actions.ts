/**
 * Buttons and forms of the supply registers: add/edit providers and contracts, schedule payments
 * (and Mark paid / Cancel them from the list), add diary entries, and page through the lists.
 * Every change goes through a domain command.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Ctx } from '../../../domain/context';
import { addDiaryEntry } from '../../../domain/registers/diary';
import { cancelPayment, markPaymentPaid, schedulePayment } from '../../../domain/registers/payments';
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
} from '../../../domain/registers/providers';
import type { DiaryKind, ProviderLevel, Recurrence } from '../../../domain/registers/supply-types';
import type { Result } from '../../../domain/result';
import { schoolToday } from '../../../domain/school-time';
import { openChanges } from '../../../domain/work-items/list';
import type { ButtonArgs, SlackDeps } from '../deps';
import { guard } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, REGISTER_BLOCK as B, CALLBACK } from '../ids';
import { readMetadata, type StateReader } from '../view-state';
import { escClip, pounds, ukDate } from '../views/format';
import {
  contractModalView,
  diaryModalView,
  paymentModalView,
  providerModalView,
} from '../views/registers/supply-modals.view';
import { noticeView } from '../views/replies.view';
import {
  actionValue,
  answerStale,
  count,
  fieldError,
  money,
  opener,
  registerSubmissions,
  reply,
  type Submission,
  savedAs,
} from './form-kit';
import { contractsReply, diaryReply, paymentsReply, providersReply } from './supply-commands';

const PageValue = z.object({
  kind: z.enum(['providers', 'contracts', 'payments', 'diary']),
  page: z.number().int().min(1),
  query: z.string(),
});

function providerInput(value: StateReader): ProviderInput {
  return {
    name: value(B.name) ?? '',
    level: (value(B.level) ?? '') as ProviderLevel,
    contactName: value(B.contactName) ?? '',
    email: value(B.email) ?? '',
    phone: value(B.phone) ?? '',
    chatChannel: value(B.chatChannel) ?? '',
    notes: value(B.notes) ?? '',
  };
}

function contractInput(value: StateReader, valuePence: number | null): ContractInput {
  return {
    providerId: value(B.providerId) ?? '',
    title: value(B.title) ?? '',
    service: value(B.service) ?? '',
    startDate: value(B.startDate) ?? null,
    endDate: value(B.endDate) ?? null,
    noticeDays: count(value(B.noticeDays)) ?? 0,
    autoRenews: value.checked(B.autoRenews).length > 0,
    valuePence,
    responseTargetHours: count(value(B.responseTargetHours)),
    notes: value(B.notes) ?? '',
  };
}

const SUBMISSIONS: Submission[] = [
  {
    callbackId: CALLBACK.providerModal,
    run: async (ctx, id, value) => {
      const input = providerInput(value);
      const r = id ? await editProvider(ctx, { ...input, providerId: id }) : await addProvider(ctx, input);
      return savedAs(r, (p) => `:handshake: Provider *${escClip(p.name, 100)}* saved.`);
    },
  },
  {
    callbackId: CALLBACK.contractModal,
    run: async (ctx, id, value) => {
      const amount = money(value, B.valuePence);
      if ('error' in amount) return fieldError(B.valuePence, amount.error);
      const input = contractInput(value, amount.pence);
      const r = id ? await editContract(ctx, { ...input, contractId: id }) : await addContract(ctx, input);
      return savedAs(r, (c) => {
        const by = noticeDeadline(c);
        return `:page_facing_up: Contract *${escClip(c.title, 200)}* saved.${by ? ` Notice must be given by ${ukDate(by)}.` : ''}`;
      });
    },
  },
  {
    callbackId: CALLBACK.paymentModal,
    run: async (ctx, _id, value) => {
      const amount = money(value, B.amountPence);
      if ('error' in amount) return fieldError(B.amountPence, amount.error);
      if (amount.pence === null) return fieldError(B.amountPence, 'The amount is needed.');
      const r = await schedulePayment(ctx, {
        payee: value(B.payee) ?? '',
        providerId: value(B.providerId) ?? null,
        amountPence: amount.pence,
        dueDate: value(B.dueDate) ?? '',
        recurrence: (value(B.recurrence) ?? 'none') as Recurrence,
        reference: value(B.reference) ?? '',
        notes: value(B.notes) ?? '',
      });
      return savedAs(
        r,
        (p) =>
          `:calendar: *${pounds(p.amountPence)}* to *${escClip(p.payee, 100)}* due ${ukDate(p.dueDate)}.`,
      );
    },
  },
  {
    callbackId: CALLBACK.diaryModal,
    run: async (ctx, _id, value) =>
      savedAs(
        await addDiaryEntry(ctx, {
          date: value(B.date) ?? '',
          title: value(B.title) ?? '',
          kind: (value(B.kind) ?? 'other') as DiaryKind,
          notes: value(B.notes) ?? '',
          assetId: null,
          workItemId: value(B.workItemId) ?? null,
          announceChannel: value(B.announceChannel) ?? null,
        }),
        (d) => `:spiral_calendar_pad: *${escClip(d.title, 200)}* is in the diary for ${ukDate(d.date)}.`,
      ),
  },
];

/** Another page of a list; the diary's month comes back from the button, checked again. */
function pageReply(ctx: Awaited<ReturnType<typeof contextFor>>, v: z.infer<typeof PageValue>) {
  switch (v.kind) {
    case 'providers':
      return providersReply(ctx, v.page);
    case 'contracts':
      return contractsReply(ctx, v.page);
    case 'payments':
      return paymentsReply(ctx, v.query === 'all', v.page);
    case 'diary': {
      const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(v.query)
        ? v.query
        : schoolToday(ctx.clock.now(), ctx.school.timezone).slice(0, 7);
      return diaryReply(ctx, month, v.page);
    }
  }
}

export function registerSupplyActions(app: App, deps: SlackDeps): void {
  const open = opener(app, deps);

  const providers = async (ctx: Ctx) => {
    const r = await listProviderRegister(ctx);
    return r.ok ? r.value : [];
  };
  const noProviders = () => noticeView('Add a provider first: `/spoc providers`, then *Add a provider*.');

  open(ACTION.providerAdd, 'register.manage', async () => providerModalView(undefined));
  open(ACTION.providerEdit, 'register.manage', async (ctx, id) => {
    const found = (await providers(ctx)).find((p) => p.id === id);
    return found ? providerModalView(found) : noticeView("I couldn't find that provider.");
  });
  open(ACTION.contractAdd, 'register.manage', async (ctx) => {
    const list = await providers(ctx);
    return list.length ? contractModalView(undefined, list) : noProviders();
  });
  open(ACTION.contractEdit, 'register.manage', async (ctx, id) => {
    const contracts = await listContractRegister(ctx);
    const found = contracts.ok ? contracts.value.find((c) => c.id === id) : undefined;
    return found
      ? contractModalView(found, await providers(ctx))
      : noticeView("I couldn't find that contract.");
  });
  open(ACTION.paymentAdd, 'register.manage', async (ctx) => paymentModalView(await providers(ctx)));
  open(ACTION.diaryAdd, 'register.manage', async (ctx) =>
    diaryModalView(schoolToday(ctx.clock.now(), ctx.school.timezone), await openChanges(ctx)),
  );

  /** Mark paid / Cancel on a listed payment: the list is redrawn in place, saying what was done. */
  const paymentButton = (
    actionId: string,
    run: (ctx: Awaited<ReturnType<typeof contextFor>>, paymentId: string) => Promise<Result<string>>,
  ) =>
    app.action(
      actionId,
      guard<ButtonArgs>(deps, async (args) => {
        await args.ack();
        const ctx = await contextFor(deps, slackWho(args.body));
        const done = await run(ctx, actionValue(args.body));
        if (!done.ok) return reply(args, noticeView(done.error.message));
        await reply(
          args,
          await paymentsReply(ctx, false, 1, `${done.value} — <@${args.body.user.id}>`),
          true,
        );
      }),
    );

  paymentButton(ACTION.paymentPaid, async (ctx, paymentId) => {
    const today = schoolToday(ctx.clock.now(), ctx.school.timezone);
    const r = await markPaymentPaid(ctx, { paymentId, paidDate: today });
    if (!r.ok) return r;
    const { payment, next, already } = r.value;
    const what = `*${pounds(payment.amountPence)}* to *${escClip(payment.payee, 100)}*`;
    if (already) return { ok: true, value: `:white_check_mark: ${what} was already marked paid.` };
    const then = next ? ` Next payment scheduled for ${ukDate(next.dueDate)}.` : '';
    return { ok: true, value: `:white_check_mark: ${what} marked paid ${ukDate(today)}.${then}` };
  });
  paymentButton(ACTION.paymentCancel, async (ctx, paymentId) => {
    const r = await cancelPayment(ctx, { paymentId });
    if (!r.ok) return r;
    return {
      ok: true,
      value: `:x: ${pounds(r.value.amountPence)} to *${escClip(r.value.payee, 100)}* cancelled.`,
    };
  });

  app.action(
    new RegExp(`^${ACTION.supplyPage}_(prev|next)$`),
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const value = readMetadata(PageValue, actionValue(args.body));
      if (!value) return answerStale(args);
      const ctx = await contextFor(deps, slackWho(args.body));
      await reply(args, await pageReply(ctx, value), true);
    }),
  );

  registerSubmissions(app, deps, SUBMISSIONS);
}
