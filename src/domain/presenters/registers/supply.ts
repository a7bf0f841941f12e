/**
 * The provider, contract, scheduled payment and diary lists, and what their buttons say they did,
 * worded once for every platform.
 */
import { addDays, format, parseISO } from 'date-fns';
import type { ContractDetail, DiaryRow, PaymentRow, ProviderRow } from '../../../db/queries/supply';
import {
  CONTRACT_STATUS_LABELS,
  DIARY_KIND_LABELS,
  PAYMENT_STATUS_LABELS,
  PROVIDER_LEVEL_LABELS,
  RECURRENCE_LABELS,
} from '../../registers/supply-types';
import { dayDate, pounds, ukDate } from '../format';
import {
  bold,
  emoji,
  joinRich,
  type PersonRef,
  type Presentation,
  type PresentedAction,
  type Rich,
  type Section,
  typed,
} from '../presentation';
import { pageOf, pagerActions } from './paging';

/** The lists that page; a page button's query carries `all` (payments) or the month (diary). */
export type SupplyKind = 'providers' | 'contracts' | 'payments' | 'diary';
export const SUPPLY_KINDS: readonly SupplyKind[] = ['providers', 'contracts', 'payments', 'diary'];

/** Rows per page. A payment takes two blocks (its line and its buttons), so fewer fit in Slack's 50. */
export const SUPPLY_PAGE: Record<SupplyKind, number> = {
  providers: 20,
  contracts: 20,
  payments: 15,
  diary: 20,
};

/** Contracts whose notice deadline is this close are flagged. */
export const NOTICE_WARNING_DAYS = 60;

type Paged = { page: number; pages: number };

/** A list's title line: `*Providers* (23) — page 1 of 2` (the page only when there are several). */
function titleLine(title: string, total: number, p: Paged): Section {
  const pageNote = p.pages > 1 ? ` — page ${p.page} of ${p.pages}` : '';
  return { kind: 'text', text: [bold(title), ` (${total})${pageNote}`] };
}

/** The add button (when given), then Previous / Next. */
function footer(
  add: PresentedAction | undefined,
  kind: SupplyKind,
  p: Paged,
  query: string,
): PresentedAction[] {
  return [
    ...(add ? [add] : []),
    ...pagerActions({ previous: 'supply.previous', next: 'supply.next' }, kind, p.page, p.pages, query),
  ];
}

const lines = (parts: Rich[]): Rich => joinRich(parts, '\n');

/** Plain words cut to `max` characters, with an ellipsis. */
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export function presentProviderList(
  rows: readonly ProviderRow[],
  page: number,
  canManage: boolean,
): Presentation {
  const p = pageOf(rows, page, SUPPLY_PAGE.providers);
  const sections: Section[] = [titleLine('Providers', rows.length, p)];
  if (rows.length === 0) sections.push({ kind: 'text', text: ['No providers yet.'] });
  for (const v of p.shown) {
    const reach = [v.contactName, v.email, v.phone].filter(Boolean).map((t): Rich => [typed(t, 200)]);
    sections.push({
      kind: 'item',
      text: lines([
        [bold(typed(v.name, 100)), ` · ${PROVIDER_LEVEL_LABELS[v.level]}`],
        joinRich(reach, ' · '),
        v.chatChannel ? ['Chat: ', typed(v.chatChannel, 100)] : [],
      ]),
      actions: canManage ? [{ id: 'provider.edit', label: 'Edit', value: v.id }] : [],
    });
  }
  const add: PresentedAction | undefined = canManage
    ? { id: 'provider.add', label: 'Add a provider', value: '', style: 'primary' }
    : undefined;
  return {
    text: [`Providers (${rows.length})`],
    sections,
    actions: footer(add, 'providers', p, ''),
  };
}

export type ContractLine = ContractDetail & { noticeBy: string | null };

/** The notice deadline, flagged when it is near or has passed while the contract still runs. */
function noticeText(c: ContractLine, today: string): Rich {
  if (!c.noticeBy) return ['no end date'];
  const soon = format(addDays(parseISO(today), NOTICE_WARNING_DAYS), 'yyyy-MM-dd');
  const by = `notice by ${ukDate(c.noticeBy)}`;
  const warn = (text: string): Rich => [emoji(':warning:'), ` ${text}`];
  if (c.status !== 'active') return [by];
  if (c.noticeBy < today) return c.endDate && c.endDate >= today ? warn(`${by} (passed)`) : [by];
  return c.noticeBy <= soon ? warn(by) : [by];
}

/** Contracts as listed (soonest ending first), with the notice deadline flagged when near. */
export function presentContractList(
  rows: readonly ContractLine[],
  page: number,
  opts: { today: string; canManage: boolean },
): Presentation {
  const p = pageOf(rows, page, SUPPLY_PAGE.contracts);
  const sections: Section[] = [titleLine('Contracts', rows.length, p)];
  if (rows.length === 0) sections.push({ kind: 'text', text: ['No contracts yet.'] });
  for (const c of p.shown) {
    const first: Rich = [
      bold(typed(c.title, 200)),
      ' · ',
      typed(c.providerName, 100),
      ...(c.service ? [' · ', typed(c.service, 200)] : []),
    ];
    const second = joinRich(
      [
        [`${ukDate(c.startDate)} → ${ukDate(c.endDate)}`],
        noticeText(c, opts.today),
        c.autoRenews ? ['auto-renews'] : [],
        [pounds(c.valuePence)],
        [CONTRACT_STATUS_LABELS[c.status]],
      ],
      ' · ',
    );
    sections.push({
      kind: 'item',
      text: lines([first, second]),
      actions: opts.canManage ? [{ id: 'contract.edit', label: 'Edit', value: c.id }] : [],
    });
  }
  const add: PresentedAction | undefined = opts.canManage
    ? { id: 'contract.add', label: 'Add a contract', value: '', style: 'primary' }
    : undefined;
  return {
    text: [`Contracts (${rows.length})`],
    sections,
    actions: footer(add, 'contracts', p, ''),
  };
}

/** What a payment is: `£1,234.50 to Oakwood ICT`, both in bold. */
const paymentWhat = (pay: { amountPence: number; payee: string }): Rich => [
  bold(pounds(pay.amountPence)),
  ' to ',
  bold(typed(pay.payee, 100)),
];

/**
 * Scheduled payments soonest due first, each with Mark paid / Cancel under it (the list is for
 * office staff alone); `all` adds the paid and cancelled ones. `notice`: what a button just did,
 * and by whom, over the list.
 */
export function presentPaymentList(
  rows: readonly PaymentRow[],
  page: number,
  opts: { today: string; all: boolean; notice?: Rich },
): Presentation {
  const p = pageOf(rows, page, SUPPLY_PAGE.payments);
  const title = opts.all ? 'All payments' : 'Scheduled payments';
  const sections: Section[] = [];
  if (opts.notice) sections.push({ kind: 'text', text: opts.notice });
  sections.push(titleLine(title, rows.length, p));
  if (rows.length === 0) sections.push({ kind: 'text', text: ['No payments scheduled.'] });
  for (const pay of p.shown) {
    const overdue = pay.status === 'scheduled' && pay.dueDate < opts.today;
    const line = joinRich(
      [
        paymentWhat(pay),
        [`due ${ukDate(pay.dueDate)}`, ...(overdue ? [' ', emoji(':red_circle:'), ' overdue'] : [])],
        [RECURRENCE_LABELS[pay.recurrence]],
        pay.reference ? ['ref ', typed(pay.reference, 100)] : [],
        pay.status !== 'scheduled'
          ? [`${PAYMENT_STATUS_LABELS[pay.status]}${pay.paidDate ? ` ${ukDate(pay.paidDate)}` : ''}`]
          : [],
      ],
      ' · ',
    );
    sections.push({ kind: 'text', text: line });
    if (pay.status === 'scheduled') {
      sections.push({
        kind: 'buttons',
        actions: [
          { id: 'payment.paid', label: 'Mark paid', value: pay.id, style: 'primary' },
          {
            id: 'payment.cancel',
            label: 'Cancel',
            value: pay.id,
            style: 'danger',
            confirm: {
              title: 'Cancel this payment?',
              text: `${pounds(pay.amountPence)} to ${clip(pay.payee, 100)} will not be paid.`,
              confirm: 'Cancel payment',
              deny: 'Keep it',
            },
          },
        ],
      });
    }
  }
  const add: PresentedAction = {
    id: 'payment.add',
    label: 'Schedule a payment',
    value: '',
    style: 'primary',
  };
  return {
    text: opts.notice ?? [`${title} (${rows.length})`],
    sections,
    actions: footer(add, 'payments', p, opts.all ? 'all' : ''),
  };
}

/** One month of the diary (`month`: `yyyy-MM`). */
export function presentDiaryList(
  rows: readonly DiaryRow[],
  month: string,
  page: number,
  canManage: boolean,
): Presentation {
  const p = pageOf(rows, page, SUPPLY_PAGE.diary);
  const title = `Diary for ${format(parseISO(`${month}-01`), 'MMMM yyyy')}`;
  const sections: Section[] = [titleLine(title, rows.length, p)];
  if (rows.length === 0) sections.push({ kind: 'text', text: ['Nothing in the diary.'] });
  for (const d of p.shown) {
    sections.push({
      kind: 'text',
      text: lines([
        [bold(ukDate(d.date)), ` · ${DIARY_KIND_LABELS[d.kind]} · `, typed(d.title, 200)],
        d.notes ? [typed(d.notes, 500)] : [],
      ]),
    });
  }
  const add: PresentedAction | undefined = canManage
    ? { id: 'diary.add', label: 'Add an entry', value: '', style: 'primary' }
    : undefined;
  return {
    text: [`${title} (${rows.length})`],
    sections,
    actions: footer(add, 'diary', p, month),
  };
}

/** What Mark paid did (`already`: someone had marked it paid), with the next payment when it repeats. */
export function paymentPaidText(
  payment: { amountPence: number; payee: string },
  opts: { today: string; already: boolean; nextDue: string | null },
): Rich {
  const what = paymentWhat(payment);
  if (opts.already) return [emoji(':white_check_mark:'), ' ', ...what, ' was already marked paid.'];
  const then = opts.nextDue ? ` Next payment scheduled for ${dayDate(opts.nextDue)}.` : '';
  return [emoji(':white_check_mark:'), ' ', ...what, ` marked paid ${dayDate(opts.today)}.${then}`];
}

/** What Cancel did. */
export function paymentCancelledText(payment: { amountPence: number; payee: string }): Rich {
  return [
    emoji(':x:'),
    ` ${pounds(payment.amountPence)} to `,
    bold(typed(payment.payee, 100)),
    ' cancelled.',
  ];
}

/** A button's outcome over the list, naming who pressed it. */
export function doneBy(done: Rich, by: PersonRef): Rich {
  return [...done, ' — ', { person: by }];
}
