/** Provider, contract, payment and diary lists, as private replies in Slack. */
import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import { addDays, format, parseISO } from 'date-fns';
import type { ContractDetail, DiaryRow, PaymentRow, ProviderRow } from '../../../../db/queries/supply';
import {
  CONTRACT_STATUS_LABELS,
  DIARY_KIND_LABELS,
  PAYMENT_STATUS_LABELS,
  PROVIDER_LEVEL_LABELS,
  RECURRENCE_LABELS,
} from '../../../../domain/registers/supply-types';
import { ACTION } from '../../ids';
import { clip, escClip, md, plain, pounds, ukDate } from '../format';
import type { SlackMessage } from '../incident-card.view';

/** The lists that page; the query carries `all` (payments) or the month (diary). */
export type SupplyKind = 'providers' | 'contracts' | 'payments' | 'diary';

/** Rows per page. A payment takes two blocks (its line and its buttons), so fewer fit in 50. */
export const SUPPLY_PAGE: Record<SupplyKind, number> = {
  providers: 20,
  contracts: 20,
  payments: 15,
  diary: 20,
};

/** Contracts whose notice deadline is this close are flagged. */
export const NOTICE_WARNING_DAYS = 60;

const button = (action_id: string, text: string, value?: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  action_id,
  text: plain(text),
  ...(value !== undefined ? { value } : {}),
  ...(style ? { style } : {}),
});

/** Previous/next buttons carrying the list to show. */
export function supplyPager(kind: SupplyKind, page: number, pages: number, query: string): Button[] {
  const value = (p: number) => clip(JSON.stringify({ kind, page: p, query }), 2000);
  const buttons: Button[] = [];
  if (page > 1) buttons.push(button(`${ACTION.supplyPage}_prev`, '← Previous', value(page - 1)));
  if (page < pages) buttons.push(button(`${ACTION.supplyPage}_next`, 'Next →', value(page + 1)));
  return buttons;
}

interface Paged<T> {
  shown: T[];
  page: number;
  pages: number;
}

function paged<T>(rows: T[], kind: SupplyKind, page: number): Paged<T> {
  const size = SUPPLY_PAGE[kind];
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const at = Math.min(Math.max(1, page), pages);
  return { shown: rows.slice((at - 1) * size, at * size), page: at, pages };
}

function header(title: string, total: number, p: Paged<unknown>): SectionBlock {
  const pageNote = p.pages > 1 ? ` — page ${p.page} of ${p.pages}` : '';
  return { type: 'section', text: md(`*${title}* (${total})${pageNote}`) };
}

function footer(blocks: KnownBlock[], add: Button | undefined, pagers: Button[]): void {
  const elements = [...(add ? [add] : []), ...pagers];
  if (elements.length) blocks.push({ type: 'actions', elements } satisfies ActionsBlock);
}

export function providerListView(rows: ProviderRow[], page: number, canManage: boolean): SlackMessage {
  const p = paged(rows, 'providers', page);
  const blocks: KnownBlock[] = [header('Providers', rows.length, p)];
  if (rows.length === 0) blocks.push({ type: 'section', text: md('No providers yet.') });
  for (const v of p.shown) {
    const reach = [v.contactName, v.email, v.phone].filter(Boolean).map((t) => escClip(t, 200));
    const lines = [
      `*${escClip(v.name, 100)}* · ${PROVIDER_LEVEL_LABELS[v.level]}`,
      reach.length ? reach.join(' · ') : '',
      v.chatChannel ? `Chat: ${escClip(v.chatChannel, 100)}` : '',
    ].filter(Boolean);
    const section: SectionBlock = { type: 'section', text: md(lines.join('\n')) };
    if (canManage) section.accessory = button(ACTION.providerEdit, 'Edit', v.id);
    blocks.push(section);
  }
  footer(
    blocks,
    canManage ? button(ACTION.providerAdd, 'Add a provider', undefined, 'primary') : undefined,
    supplyPager('providers', p.page, p.pages, ''),
  );
  return { text: `Providers (${rows.length})`, blocks };
}

type ContractLine = ContractDetail & { noticeBy: string | null };

/** The notice deadline, flagged when it is near or has passed while the contract still runs. */
function noticeText(c: ContractLine, today: string): string {
  if (!c.noticeBy) return 'no end date';
  const soon = format(addDays(parseISO(today), NOTICE_WARNING_DAYS), 'yyyy-MM-dd');
  const by = `notice by ${ukDate(c.noticeBy)}`;
  if (c.status !== 'active') return by;
  if (c.noticeBy < today) return c.endDate && c.endDate >= today ? `:warning: ${by} (passed)` : by;
  return c.noticeBy <= soon ? `:warning: ${by}` : by;
}

export function contractListView(
  rows: ContractLine[],
  page: number,
  opts: { today: string; canManage: boolean },
): SlackMessage {
  const p = paged(rows, 'contracts', page);
  const blocks: KnownBlock[] = [header('Contracts', rows.length, p)];
  if (rows.length === 0) blocks.push({ type: 'section', text: md('No contracts yet.') });
  for (const c of p.shown) {
    const lines = [
      `*${escClip(c.title, 200)}* · ${escClip(c.providerName, 100)}${c.service ? ` · ${escClip(c.service, 200)}` : ''}`,
      [
        `${ukDate(c.startDate)} → ${ukDate(c.endDate)}`,
        noticeText(c, opts.today),
        c.autoRenews ? 'auto-renews' : '',
        pounds(c.valuePence),
        CONTRACT_STATUS_LABELS[c.status],
      ]
        .filter(Boolean)
        .join(' · '),
    ];
    const section: SectionBlock = { type: 'section', text: md(lines.join('\n')) };
    if (opts.canManage) section.accessory = button(ACTION.contractEdit, 'Edit', c.id);
    blocks.push(section);
  }
  footer(
    blocks,
    opts.canManage ? button(ACTION.contractAdd, 'Add a contract', undefined, 'primary') : undefined,
    supplyPager('contracts', p.page, p.pages, ''),
  );
  return { text: `Contracts (${rows.length})`, blocks };
}

export function paymentListView(
  rows: PaymentRow[],
  page: number,
  opts: { today: string; all: boolean; notice?: string },
): SlackMessage {
  const p = paged(rows, 'payments', page);
  const title = opts.all ? 'All payments' : 'Scheduled payments';
  const blocks: KnownBlock[] = [];
  if (opts.notice) blocks.push({ type: 'section', text: md(opts.notice) });
  blocks.push(header(title, rows.length, p));
  if (rows.length === 0) blocks.push({ type: 'section', text: md('No payments scheduled.') });
  for (const pay of p.shown) {
    const overdue = pay.status === 'scheduled' && pay.dueDate < opts.today;
    const line = [
      `*${pounds(pay.amountPence)}* to *${escClip(pay.payee, 100)}*`,
      `due ${ukDate(pay.dueDate)}${overdue ? ' :red_circle: overdue' : ''}`,
      RECURRENCE_LABELS[pay.recurrence],
      pay.reference ? `ref ${escClip(pay.reference, 100)}` : '',
      pay.status !== 'scheduled'
        ? `${PAYMENT_STATUS_LABELS[pay.status]}${pay.paidDate ? ` ${ukDate(pay.paidDate)}` : ''}`
        : '',
    ].filter(Boolean);
    blocks.push({ type: 'section', text: md(line.join(' · ')) });
    if (pay.status === 'scheduled') {
      blocks.push({
        type: 'actions',
        elements: [
          button(ACTION.paymentPaid, 'Mark paid', pay.id, 'primary'),
          {
            ...button(ACTION.paymentCancel, 'Cancel', pay.id, 'danger'),
            confirm: {
              title: plain('Cancel this payment?'),
              text: plain(`${pounds(pay.amountPence)} to ${clip(pay.payee, 100)} will not be paid.`),
              confirm: plain('Cancel payment'),
              deny: plain('Keep it'),
            },
          },
        ],
      });
    }
  }
  footer(
    blocks,
    button(ACTION.paymentAdd, 'Schedule a payment', undefined, 'primary'),
    supplyPager('payments', p.page, p.pages, opts.all ? 'all' : ''),
  );
  return { text: opts.notice ? clip(opts.notice, 300) : `${title} (${rows.length})`, blocks };
}

export function diaryListView(
  rows: DiaryRow[],
  month: string,
  page: number,
  canManage: boolean,
): SlackMessage {
  const p = paged(rows, 'diary', page);
  const title = `Diary for ${format(parseISO(`${month}-01`), 'MMMM yyyy')}`;
  const blocks: KnownBlock[] = [header(title, rows.length, p)];
  if (rows.length === 0) blocks.push({ type: 'section', text: md('Nothing in the diary.') });
  for (const d of p.shown) {
    const lines = [
      `*${ukDate(d.date)}* · ${DIARY_KIND_LABELS[d.kind]} · ${escClip(d.title, 200)}`,
      d.notes ? escClip(d.notes, 500) : '',
    ].filter(Boolean);
    blocks.push({ type: 'section', text: md(lines.join('\n')) });
  }
  footer(
    blocks,
    canManage ? button(ACTION.diaryAdd, 'Add an entry', undefined, 'primary') : undefined,
    supplyPager('diary', p.page, p.pages, month),
  );
  return { text: `${title} (${rows.length})`, blocks };
}
