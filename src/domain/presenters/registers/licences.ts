/** The licence list, worded once for every platform. */
import { LICENCE_FLAG_LABELS } from '../../registers/compliance';
import type { LicenceView } from '../../registers/licences';
import { LICENCE_TYPE_LABELS } from '../../registers/types';
import { ukDate } from '../format';
import {
  bold,
  emoji,
  joinRich,
  type Presentation,
  type PresentedAction,
  type Rich,
  typed,
} from '../presentation';

/** How many licences the list shows; the export has them all. */
export const LICENCES_SHOWN = 45;

/**
 * The school's licences, those needing attention first (as the domain sorts them), with seats,
 * expiry and compliance flags. A key reference shows only where the reader may see it
 * (`keyVisible`: office staff); Edit and Add a licence for those who manage the registers.
 */
export function presentLicenceList(rows: readonly LicenceView[], canManage: boolean): Presentation {
  const problems = rows.filter((l) => l.compliance.flags.length > 0).length;
  const sections: Presentation['sections'] = [
    {
      kind: 'text',
      text: [
        bold('Licences'),
        ` (${rows.length})`,
        ...(problems ? [' — ', emoji(':warning:'), ` ${problems} need attention`] : [' — all in order']),
      ],
    },
  ];
  for (const l of rows.slice(0, LICENCES_SHOWN)) {
    const seats =
      l.type === 'site' || l.quantity === null
        ? `${l.seatsInUse} in use (site)`
        : `${l.seatsInUse} of ${l.quantity} seats`;
    const flags = joinRich(
      l.compliance.flags.map((f): Rich => [emoji(':warning:'), ` ${LICENCE_FLAG_LABELS[f]}`]),
      ' ',
    );
    const lines: Rich[] = [
      [bold(typed(l.title, 150)), ...(l.publisher ? [' (', typed(l.publisher, 80), ')'] : [])],
      [
        `${LICENCE_TYPE_LABELS[l.type]} · ${seats} · expires ${ukDate(l.expiryDate)}`,
        ...(flags.length ? [' · ', ...flags] : []),
      ],
      l.keyVisible && l.keyReference ? ['Key: ', typed(l.keyReference, 300)] : [],
    ];
    const actions: PresentedAction[] = canManage ? [{ id: 'licence.edit', label: 'Edit', value: l.id }] : [];
    sections.push({ kind: 'item', text: joinRich(lines, '\n'), actions });
  }
  if (rows.length > LICENCES_SHOWN) {
    sections.push({
      kind: 'context',
      text: [
        `${rows.length - LICENCES_SHOWN} more: `,
        { command: 'spoc export licences' },
        ' gives the whole list.',
      ],
    });
  }
  const actions: PresentedAction[] = canManage
    ? [{ id: 'licence.add', label: 'Add a licence', value: '', style: 'primary' }]
    : [];
  return { text: [`Licences (${rows.length})`], sections, actions };
}
