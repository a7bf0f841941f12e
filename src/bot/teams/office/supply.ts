/**
 * Providers, contracts, scheduled payments and the diary in Teams: `spoc providers`, `spoc
 * contracts`, `spoc payments [all]` and `spoc diary [YYYY-MM]` (Edit on each provider and
 * contract, Mark paid / Cancel under each scheduled payment, the add buttons, Previous / Next) —
 * the same answers, forms and domain commands as Slack's.
 */
import {
  contractsAnswer,
  diaryCommandAnswer,
  pageArg,
  paymentButtonAnswer,
  paymentsAllArg,
  paymentsAnswer,
  providersAnswer,
  supplyPageAnswer,
} from '../../../domain/answers/supply';
import {
  contractForm,
  contractRefusal,
  diaryForm,
  paymentForm,
  providerForm,
} from '../../../domain/forms/supply';
import { sentence } from '../../../domain/presenters/presentation';
import { can } from '../../../domain/roles';
import type { Dialog } from '../dialogs/dialog';
import { taskMessage } from '../dialogs/dialog';
import { officeFormDialog } from '../dialogs/office-form';
import { type CardPress, messageAnswer } from '../presses';
import { plainText } from '../render/adaptive-card';
import { presentationAnswer } from '../replies';
import type { TeamsFamily } from './family';

const STALE = 'This card is out of date; nothing was changed.';

/** Previous / Next on one of these lists, by the list the button names. */
const supplyPage: CardPress = async (_deps, ctx, { value }) => {
  const page = await supplyPageAnswer(ctx, value);
  return page ? presentationAnswer(ctx, page) : messageAnswer(STALE);
};

/** Mark paid / Cancel under a payment: the scheduled payments again, with what was done over them. */
const paymentPress =
  (op: 'paid' | 'cancel'): CardPress =>
  async (_deps, ctx, { value: paymentId }) => {
    const by = { name: ctx.person.displayName || 'someone', slackUserId: null };
    const answer = await paymentButtonAnswer(ctx, op, paymentId, by);
    return answer.ok ? presentationAnswer(ctx, answer.value) : messageAnswer(answer.error.message);
  };

/** Add a contract: the form once the school has a provider, else what to do first. */
function contractAddDialog(): Dialog {
  const form = officeFormDialog('contract.add', contractForm, { record: false });
  return {
    ...form,
    async open(deps, ctx, value, formId) {
      // The role is checked first (the form refuses a teacher in its own words), as in Slack.
      const refusal = can(ctx.actor.role, contractForm.permission) ? await contractRefusal(ctx) : undefined;
      if (refusal) return taskMessage(plainText(refusal, ctx.school.timezone));
      return form.open(deps, ctx, value, formId);
    },
  };
}

export const supplyFamily: TeamsFamily = {
  replies: [
    {
      words: ['spoc', 'providers'],
      usage: 'spoc providers',
      summary: 'support providers and suppliers',
      present: (_deps, ctx, rest) => providersAnswer(ctx, pageArg(rest.split(/\s+/)[0])),
    },
    {
      words: ['spoc', 'contracts'],
      usage: 'spoc contracts',
      summary: 'contracts, soonest ending first, with notice deadlines',
      present: (_deps, ctx, rest) => contractsAnswer(ctx, pageArg(rest.split(/\s+/)[0])),
    },
    {
      words: ['spoc', 'payments'],
      usage: 'spoc payments [all]',
      summary: 'scheduled payments, soonest due first; Mark paid or Cancel',
      present: (_deps, ctx, rest) => paymentsAnswer(ctx, paymentsAllArg(rest.split(/\s+/)[0]), 1),
    },
    {
      words: ['spoc', 'diary'],
      usage: 'spoc diary [YYYY-MM]',
      summary: 'this month’s diary (or that month’s)',
      present: async (_deps, ctx, rest) => {
        const asked = await diaryCommandAnswer(ctx, rest.split(/\s+/)[0] || undefined);
        return asked.ok ? asked.answer : sentence(asked.usage);
      },
    },
  ],
  presses: {
    'supply.previous': supplyPage,
    'supply.next': supplyPage,
    'payment.paid': paymentPress('paid'),
    'payment.cancel': paymentPress('cancel'),
  },
  dialogs: [
    officeFormDialog('provider.add', providerForm, { record: false }),
    officeFormDialog('provider.edit', providerForm, { record: true }),
    contractAddDialog(),
    officeFormDialog('contract.edit', contractForm, { record: true }),
    officeFormDialog('payment.add', paymentForm, { record: false }),
    officeFormDialog('diary.add', diaryForm, { record: false }),
  ],
};
