/** The location list and what its row menu says, worded once for every platform. */
import type { LocationRow } from '../../../db/queries/locations';
import { IMPACT_LABELS } from '../../incidents/priority';
import {
  bold,
  italic,
  joinRich,
  type Presentation,
  type PresentedAction,
  type Rich,
  typed,
} from '../presentation';
import { pageOf, pagerActions } from './paging';

export const LOCATIONS_PAGE = 20;

export type LocationLine = LocationRow & { parentName: string | null };

/** A page of the school's locations, each with Edit and Archive / Restore for those who manage them. */
export function presentLocationList(
  rows: readonly LocationLine[],
  page: number,
  canManage: boolean,
): Presentation {
  const p = pageOf(rows, page, LOCATIONS_PAGE);
  const sections: Presentation['sections'] = [
    { kind: 'text', text: [bold('Locations'), ` (${rows.length}) — page ${p.page} of ${p.pages}`] },
  ];
  for (const l of p.shown) {
    const details: Rich[] = [
      l.parentName ? ['in ', typed(l.parentName, 100)] : [],
      l.defaultImpact ? [`usually affects ${IMPACT_LABELS[l.defaultImpact].toLowerCase()}`] : [],
      l.preset ? ['preset'] : [],
      l.archived ? [italic('archived')] : [],
    ];
    const line = joinRich(details, ' · ');
    const actions: PresentedAction[] = canManage
      ? [
          { id: 'location.edit', label: 'Edit', value: l.id },
          l.archived
            ? { id: 'location.restore', label: 'Restore', value: l.id }
            : { id: 'location.archive', label: 'Archive', value: l.id },
        ]
      : [];
    sections.push({
      kind: 'item',
      text: [bold(typed(l.name, 100)), ...(line.length ? ['\n', ...line] : [])],
      actions,
    });
  }
  const actions: PresentedAction[] = [
    ...(canManage
      ? [{ id: 'location.add' as const, label: 'Add a location', value: '', style: 'primary' as const }]
      : []),
    ...pagerActions(
      { previous: 'registers.previous', next: 'registers.next' },
      'locations',
      p.page,
      p.pages,
      '',
    ),
  ];
  return { text: [`Locations (${rows.length})`], sections, actions };
}

/** What archiving or restoring a location did. */
export function locationArchivedText(l: { name: string; archived: boolean }): Rich {
  return [
    bold(typed(l.name, 100)),
    l.archived
      ? ' is archived: it leaves the drop-downs, and its history stays.'
      : ' is back in the drop-downs.',
  ];
}
