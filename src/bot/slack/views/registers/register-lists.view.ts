/** Register lists and details, as private replies in Slack. */
import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import { formatReference } from '../../../../domain/incidents/reference';
import { STATUS_LABELS } from '../../../../domain/incidents/state-machine';
import type { AssetDetail, AssetListOutput } from '../../../../domain/registers/assets';
import { LICENCE_FLAG_LABELS, warrantyState } from '../../../../domain/registers/compliance';
import type { LicenceView } from '../../../../domain/registers/licences';
import {
  ASSET_STATUS_LABELS,
  ASSET_TYPE_LABELS,
  LICENCE_TYPE_LABELS,
} from '../../../../domain/registers/types';
import { ACTION, mention } from '../../ids';
import { clip, escClip, md, plain, pounds, sectionsOf, slackDate, ukDate } from '../format';
import type { SlackMessage } from '../incident-card.view';

const button = (action_id: string, text: string, value?: string, style?: 'primary'): Button => ({
  type: 'button',
  action_id,
  text: plain(text),
  ...(value !== undefined ? { value } : {}),
  ...(style ? { style } : {}),
});

/** Previous/next buttons carrying the list to show (`kind|page|query`). */
export function pager(kind: string, page: number, pages: number, query: string): Button[] {
  const value = (p: number) => clip(JSON.stringify({ kind, page: p, query }), 2000);
  const buttons: Button[] = [];
  if (page > 1)
    buttons.push({ ...button(ACTION.page, '← Previous', value(page - 1)), action_id: `${ACTION.page}_prev` });
  if (page < pages)
    buttons.push({ ...button(ACTION.page, 'Next →', value(page + 1)), action_id: `${ACTION.page}_next` });
  return buttons;
}

export function assetListView(out: AssetListOutput, query: string, canManage: boolean): SlackMessage {
  const pages = Math.max(1, Math.ceil(out.total / out.pageSize));
  const title = query ? `Assets matching “${escClip(query, 80)}”` : 'Asset register';
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(`*${title}* (${out.total}) — page ${out.page} of ${pages}`) },
  ];
  if (out.rows.length === 0) blocks.push({ type: 'section', text: md('Nothing here.') });
  for (const a of out.rows) {
    const line = [
      `*${escClip(a.tag, 64)}* · ${ASSET_TYPE_LABELS[a.type]}`,
      [a.make, a.model].filter(Boolean).join(' ')
        ? escClip([a.make, a.model].filter(Boolean).join(' '), 120)
        : '',
      a.locationName ? escClip(a.locationName, 100) : '_no location_',
      a.status !== 'in_use' ? ASSET_STATUS_LABELS[a.status] : '',
      a.repeatedFaults ? `:warning: ${a.recentIncidents} faults in 30 days` : '',
    ].filter(Boolean);
    blocks.push({
      type: 'section',
      text: md(line.join(' · ')),
      accessory: button(ACTION.assetView, 'View', a.id),
    });
  }
  const actions: Button[] = [
    ...(canManage ? [button(ACTION.assetAdd, 'Register an asset', undefined, 'primary')] : []),
    ...pager('assets', out.page, pages, query),
  ];
  if (actions.length) blocks.push({ type: 'actions', elements: actions });
  return { text: `${title} (${out.total})`, blocks };
}

export function assetDetailView(
  d: AssetDetail,
  opts: { today: string; timezone: string; canManage: boolean; canMove: boolean },
): SlackMessage {
  const a = d.asset;
  const warranty = warrantyState(a.warrantyEnd, opts.today);
  const warrantyNote = { none: '', ok: '', ending: ' :hourglass: ending soon', ended: ' (ended)' }[warranty];
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: md(`*${escClip(a.tag, 64)}* · ${ASSET_TYPE_LABELS[a.type]} · ${ASSET_STATUS_LABELS[a.status]}`),
    },
    {
      type: 'section',
      fields: [
        md(`*Make / model*\n${escClip([a.make, a.model].filter(Boolean).join(' ') || '—', 200)}`),
        md(`*Serial*\n${escClip(a.serial || '—', 100)}`),
        md(`*Location*\n${d.locationName ? escClip(d.locationName, 100) : '—'}`),
        md(`*Supplier*\n${escClip(a.supplier || '—', 100)}`),
        md(`*Purchased*\n${ukDate(a.purchaseDate)} · ${pounds(a.costPence)}`),
        md(`*Warranty ends*\n${ukDate(a.warrantyEnd)}${warrantyNote}`),
      ],
    },
  ];
  if (a.notes) blocks.push({ type: 'section', text: md(escClip(a.notes, 2000)) });
  if (d.repeatedFaults) {
    blocks.push({
      type: 'section',
      text: md(':warning: This asset keeps failing: 3 or more faults in 30 days.'),
    });
  }
  const incidentLines = d.incidents.map(
    (i) => `• *${formatReference(i.number)}* ${escClip(i.summary, 120)} · ${STATUS_LABELS[i.status]}`,
  );
  blocks.push(
    ...sectionsOf([
      `*Incidents* (${d.incidents.length})`,
      ...(incidentLines.length ? incidentLines : ['_None._']),
    ]),
  );
  const historyLines = d.history.map(
    (e) => `• ${assetEventText(e)} · ${slackDate(e.createdAt, opts.timezone)}`,
  );
  blocks.push(...sectionsOf(['*History*', ...historyLines]).slice(-10));
  const actions: Button[] = [];
  if (opts.canManage) actions.push(button(ACTION.assetEdit, 'Edit', a.id));
  if (opts.canMove) actions.push(button(ACTION.assetMove, 'Move', a.id));
  if (opts.canManage) actions.push(button(ACTION.assetStatus, 'Status / dispose', a.id));
  if (actions.length) blocks.push({ type: 'actions', elements: actions });
  return { text: `${clip(a.tag, 64)} — ${ASSET_TYPE_LABELS[a.type]}`, blocks: blocks.slice(0, 50) };
}

function assetEventText(e: AssetDetail['history'][number]): string {
  const who = mention(e.actorSlackId, e.actorName);
  const changes = Object.keys((e.data.changes as Record<string, unknown> | undefined) ?? {});
  const note = typeof e.data.note === 'string' ? ` — ${escClip(e.data.note, 300)}` : '';
  switch (e.kind) {
    case 'registered':
      return `Registered by ${who}`;
    case 'imported':
      return `Imported by ${who}${changes.length ? ` (${changes.join(', ')})` : ''}`;
    case 'moved':
      return `Moved by ${who}`;
    case 'disposed':
      return `Disposed of by ${who}${note}`;
    default:
      return `${e.kind === 'status' ? 'Status changed' : 'Edited'} by ${who}${changes.length ? ` (${changes.join(', ')})` : ''}${note}`;
  }
}

export function licenceListView(rows: LicenceView[], canManage: boolean): SlackMessage {
  const problems = rows.filter((l) => l.compliance.flags.length > 0).length;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: md(
        `*Licences* (${rows.length})${problems ? ` — :warning: ${problems} need attention` : ' — all in order'}`,
      ),
    },
  ];
  for (const l of rows.slice(0, 45)) {
    const seats =
      l.type === 'site' || l.quantity === null
        ? `${l.seatsInUse} in use (site)`
        : `${l.seatsInUse} of ${l.quantity} seats`;
    const flags = l.compliance.flags.map((f) => `:warning: ${LICENCE_FLAG_LABELS[f]}`).join(' ');
    const line = [
      `*${escClip(l.title, 150)}*${l.publisher ? ` (${escClip(l.publisher, 80)})` : ''}`,
      `${LICENCE_TYPE_LABELS[l.type]} · ${seats} · expires ${ukDate(l.expiryDate)}${flags ? ` · ${flags}` : ''}`,
      l.keyVisible && l.keyReference ? `Key: ${escClip(l.keyReference, 300)}` : '',
    ].filter(Boolean);
    const section: SectionBlock = { type: 'section', text: md(line.join('\n')) };
    if (canManage) section.accessory = button(ACTION.licenceEdit, 'Edit', l.id);
    blocks.push(section);
  }
  if (rows.length > 45)
    blocks.push({
      type: 'context',
      elements: [md(`${rows.length - 45} more: \`/spoc export licences\` gives the whole list.`)],
    });
  if (canManage)
    blocks.push({
      type: 'actions',
      elements: [button(ACTION.licenceAdd, 'Add a licence', undefined, 'primary')],
    });
  return { text: `Licences (${rows.length})`, blocks };
}
