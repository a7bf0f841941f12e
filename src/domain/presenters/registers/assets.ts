/** The asset register's list and an asset's page, worded once for every platform. */
import { formatReference } from '../../incidents/reference';
import { STATUS_LABELS } from '../../incidents/state-machine';
import type { AssetDetail, AssetListOutput } from '../../registers/assets';
import { warrantyState } from '../../registers/compliance';
import { ASSET_STATUS_LABELS, ASSET_TYPE_LABELS } from '../../registers/types';
import { pounds, ukDate } from '../format';
import {
  bold,
  date,
  emoji,
  italic,
  joinRich,
  type Presentation,
  type PresentedAction,
  person,
  type Rich,
  typed,
} from '../presentation';
import { pagerActions } from './paging';

export const ASSETS_PAGE = 20;

const makeModel = (a: { make: string; model: string }) => [a.make, a.model].filter(Boolean).join(' ');

/**
 * A page of the asset register (`query`: what was asked for, shown in the title), each row with
 * View; Register an asset for those who manage the registers.
 */
export function presentAssetList(out: AssetListOutput, query: string, canManage: boolean): Presentation {
  const pages = Math.max(1, Math.ceil(out.total / out.pageSize));
  const title: Rich = query ? ['Assets matching “', typed(query, 80), '”'] : ['Asset register'];
  const sections: Presentation['sections'] = [
    { kind: 'text', text: [bold(...title), ` (${out.total}) — page ${out.page} of ${pages}`] },
  ];
  if (out.rows.length === 0) sections.push({ kind: 'text', text: ['Nothing here.'] });
  for (const a of out.rows) {
    const what = makeModel(a);
    const line = joinRich(
      [
        [bold(typed(a.tag, 64)), ` · ${ASSET_TYPE_LABELS[a.type]}`],
        what ? [typed(what, 120)] : [],
        a.locationName ? [typed(a.locationName, 100)] : [italic('no location')],
        a.status !== 'in_use' ? [ASSET_STATUS_LABELS[a.status]] : [],
        a.repeatedFaults ? [emoji(':warning:'), ` ${a.recentIncidents} faults in 30 days`] : [],
      ],
      ' · ',
    );
    sections.push({ kind: 'item', text: line, actions: [{ id: 'asset.view', label: 'View', value: a.id }] });
  }
  const actions: PresentedAction[] = [
    ...(canManage
      ? [{ id: 'asset.add' as const, label: 'Register an asset', value: '', style: 'primary' as const }]
      : []),
    ...pagerActions(
      { previous: 'registers.previous', next: 'registers.next' },
      'assets',
      out.page,
      pages,
      query,
    ),
  ];
  return { text: [...title, ` (${out.total})`], sections, actions };
}

/** One line of an asset's history: who did what, and any note. */
function assetEventText(e: AssetDetail['history'][number]): Rich {
  const who = person(e.actorName, e.actorSlackId);
  const changes = Object.keys((e.data.changes as Record<string, unknown> | undefined) ?? {});
  const changed = changes.length ? [` (${changes.join(', ')})`] : [];
  const note: Rich = typeof e.data.note === 'string' ? [' — ', typed(e.data.note, 300)] : [];
  switch (e.kind) {
    case 'registered':
      return ['Registered by ', who];
    case 'imported':
      return ['Imported by ', who, ...changed];
    case 'moved':
      return ['Moved by ', who];
    case 'disposed':
      return ['Disposed of by ', who, ...note];
    default:
      return [`${e.kind === 'status' ? 'Status changed' : 'Edited'} by `, who, ...changed, ...note];
  }
}

/**
 * An asset's page: its details, warranty, incidents and history, with Edit, Move and
 * Status / dispose for those who may (`today`: the school's date, for the warranty).
 */
export function presentAssetDetail(
  d: AssetDetail,
  opts: { today: string; canManage: boolean; canMove: boolean },
): Presentation {
  const a = d.asset;
  const warranty = warrantyState(a.warrantyEnd, opts.today);
  const warrantyNote: Rich = {
    none: [],
    ok: [],
    ending: [' ', emoji(':hourglass:'), ' ending soon'],
    ended: [' (ended)'],
  }[warranty];
  const sections: Presentation['sections'] = [
    {
      kind: 'text',
      text: [bold(typed(a.tag, 64)), ` · ${ASSET_TYPE_LABELS[a.type]} · ${ASSET_STATUS_LABELS[a.status]}`],
    },
    {
      kind: 'fields',
      fields: [
        { label: 'Make / model', value: [typed(makeModel(a) || '—', 200)] },
        { label: 'Serial', value: [typed(a.serial || '—', 100)] },
        { label: 'Location', value: d.locationName ? [typed(d.locationName, 100)] : ['—'] },
        { label: 'Supplier', value: [typed(a.supplier || '—', 100)] },
        { label: 'Purchased', value: [`${ukDate(a.purchaseDate)} · ${pounds(a.costPence)}`] },
        { label: 'Warranty ends', value: [ukDate(a.warrantyEnd), ...warrantyNote] },
      ],
    },
  ];
  if (a.notes) sections.push({ kind: 'text', text: [typed(a.notes, 2000)] });
  if (d.repeatedFaults) {
    sections.push({
      kind: 'text',
      text: [emoji(':warning:'), ' This asset keeps failing: 3 or more faults in 30 days.'],
    });
  }
  const incidentLines: Rich[] = d.incidents.map((i) => [
    '• ',
    bold(formatReference(i.number)),
    ' ',
    typed(i.summary, 120),
    ` · ${STATUS_LABELS[i.status]}`,
  ]);
  sections.push({
    kind: 'lines',
    lines: [
      [bold('Incidents'), ` (${d.incidents.length})`],
      ...(incidentLines.length ? incidentLines : [[italic('None.')]]),
    ],
  });
  sections.push({
    kind: 'lines',
    lines: [
      [bold('History')],
      ...d.history.map((e): Rich => ['• ', ...assetEventText(e), ' · ', date(e.createdAt)]),
    ],
  });
  const actions: PresentedAction[] = [];
  if (opts.canManage) actions.push({ id: 'asset.edit', label: 'Edit', value: a.id });
  if (opts.canMove) actions.push({ id: 'asset.move', label: 'Move', value: a.id });
  if (opts.canManage) actions.push({ id: 'asset.status', label: 'Status / dispose', value: a.id });
  return { text: [typed(a.tag, 64), ` — ${ASSET_TYPE_LABELS[a.type]}`], sections, actions };
}
