/**
 * Buttons and forms of the supply registers: add/edit providers and contracts, schedule payments
 * (and Mark paid / Cancel them from the list), add diary entries, and page through the lists. The
 * forms, the answers and their words are the domain's (`forms/supply`, `answers/supply`), shared
 * with Teams; this file only wires them to Slack's ids.
 */
import type { App } from '@slack/bolt';
import { paymentButtonAnswer, supplyPageAnswer } from '../../../domain/answers/supply';
import {
  contractForm,
  contractRefusal,
  diaryForm,
  paymentForm,
  providerForm,
} from '../../../domain/forms/supply';
import type { SlackDeps } from '../deps';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK } from '../ids';
import { officeFormModal } from '../views/office-form.view';
import { mrkdwn, renderMessage } from '../views/render';
import { noticeView } from '../views/replies.view';
import { answerStale, onButton, opener, reply } from './form-kit';
import { registerOfficeForm } from './office-forms';

export function registerSupplyActions(app: App, deps: SlackDeps): void {
  const open = opener(app, deps);

  registerOfficeForm(app, deps, providerForm, CALLBACK.providerModal, [
    { actionId: ACTION.providerAdd, record: false },
    { actionId: ACTION.providerEdit, record: true },
  ]);
  // A contract needs a provider: Add a contract says so when there is none yet.
  registerOfficeForm(app, deps, contractForm, CALLBACK.contractModal, [
    { actionId: ACTION.contractEdit, record: true },
  ]);
  open(ACTION.contractAdd, contractForm.permission, async (ctx) => {
    const refusal = await contractRefusal(ctx);
    if (refusal) return noticeView(mrkdwn(refusal));
    const spec = await contractForm.open(ctx, undefined);
    return spec.ok
      ? officeFormModal(CALLBACK.contractModal, spec.value, undefined)
      : noticeView(spec.error.message);
  });
  registerOfficeForm(app, deps, paymentForm, CALLBACK.paymentModal, [
    { actionId: ACTION.paymentAdd, record: false },
  ]);
  registerOfficeForm(app, deps, diaryForm, CALLBACK.diaryModal, [
    { actionId: ACTION.diaryAdd, record: false },
  ]);

  // Mark paid / Cancel on a listed payment: the list is redrawn in place, saying what was done.
  for (const [actionId, op] of [
    [ACTION.paymentPaid, 'paid'],
    [ACTION.paymentCancel, 'cancel'],
  ] as const) {
    onButton(app, deps, actionId, async (args, paymentId) => {
      const ctx = await contextFor(deps, slackWho(args.body));
      const by = { name: ctx.person.displayName || 'someone', slackUserId: args.body.user.id };
      const answer = await paymentButtonAnswer(ctx, op, paymentId, by);
      if (!answer.ok) return reply(args, noticeView(answer.error.message));
      await reply(args, renderMessage(answer.value, ctx.school.timezone), true);
    });
  }

  for (const actionId of [`${ACTION.supplyPage}_prev`, `${ACTION.supplyPage}_next`]) {
    onButton(app, deps, actionId, async (args, value) => {
      const ctx = await contextFor(deps, slackWho(args.body));
      const page = await supplyPageAnswer(ctx, value);
      if (!page) return answerStale(args);
      await reply(args, renderMessage(page, ctx.school.timezone), true);
    });
  }
}
