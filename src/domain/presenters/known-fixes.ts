/**
 * Known fixes, worded once for every platform: the office's list (`spoc fixes`), what a fault form
 * says when it suggests fixes, the thanks for "That fixed it", and the Resolve form's "Save as a
 * known fix" fields.
 */

import type { FixScope } from '../known-fixes/from-incident';
import type { KnownFixListRow } from '../known-fixes/known-fixes';
import { ASSET_TYPE_LABELS } from '../registers/types';
import {
  bold,
  emoji,
  italic,
  joinRich,
  type Presentation,
  type PresentedAction,
  type Rich,
  typed,
} from './presentation';
import { pageOf, pagerActions } from './registers/paging';

export const FIXES_PAGE = 10;

/** How much of a fix's steps a list or a suggestion shows. */
export const STEPS_SHOWN = 500;

/** Whom a fix is suggested to, in words ("PRJ-7", "projectors in Hall", "anywhere"). */
export function fixTarget(f: {
  assetTag: string | null;
  assetType: KnownFixListRow['assetType'];
  locationName: string | null;
}): Rich {
  if (f.assetTag) return ['for ', bold(typed(f.assetTag, 60))];
  const type = f.assetType ? `${ASSET_TYPE_LABELS[f.assetType].toLowerCase()}s` : null;
  if (type && f.locationName) return [`for ${type} in `, typed(f.locationName, 100)];
  if (f.locationName) return ['for anything in ', typed(f.locationName, 100)];
  if (type) return [`for ${type} anywhere`];
  return ['matched by its words'];
}

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

/** A page of the school's known fixes with their uses; Edit and Retire / Restore for the office. */
export function presentFixList(
  rows: readonly KnownFixListRow[],
  page: number,
  canManage: boolean,
): Presentation {
  const p = pageOf(rows, page, FIXES_PAGE);
  const inService = rows.filter((r) => r.retiredAt === null).length;
  const sections: Presentation['sections'] = [
    {
      kind: 'text',
      text: [
        bold('Known fixes'),
        ` (${inService} in use${rows.length > inService ? `, ${rows.length - inService} retired` : ''})`,
        p.pages > 1 ? ` — page ${p.page} of ${p.pages}` : '',
      ],
    },
  ];
  if (rows.length === 0) {
    sections.push({
      kind: 'text',
      text: [
        'No known fixes yet. Tick ',
        bold('Save as a known fix'),
        ' when resolving an incident',
        ...(canManage ? [', or press ', bold('Add a fix')] : []),
        ': teachers reporting a similar fault are shown it first.',
      ],
    });
  }
  for (const f of p.shown) {
    const used =
      f.uses === 0
        ? 'not used yet'
        : `used ${times(f.uses)}${f.deflections ? ` (${f.deflections} without a fault reported)` : ''}`;
    const lines: Rich[] = [
      [bold(typed(f.title, 150)), ...(f.retiredAt ? [' ', italic('retired')] : [])],
      [...fixTarget(f), ` · ${used}`],
      [{ quote: [typed(f.steps, 300)] }],
    ];
    const actions: PresentedAction[] = canManage
      ? [
          { id: 'fix.edit', label: 'Edit', value: f.id },
          f.retiredAt
            ? { id: 'fix.restore', label: 'Put back in use', value: f.id }
            : { id: 'fix.retire', label: 'Retire', value: f.id },
        ]
      : [];
    sections.push({ kind: 'item', text: joinRich(lines, '\n'), actions });
  }
  const actions: PresentedAction[] = [
    ...(canManage
      ? [{ id: 'fix.add' as const, label: 'Add a fix', value: '', style: 'primary' as const }]
      : []),
    ...pagerActions({ previous: 'fixes.previous', next: 'fixes.next' }, 'fixes', p.page, p.pages, ''),
  ];
  return { text: [`Known fixes (${rows.length})`], sections, actions };
}

/** What retiring or restoring a fix did. */
export function fixRetiredText(f: { title: string; retiredAt: Date | null }): Rich {
  return [
    bold(typed(f.title, 150)),
    f.retiredAt
      ? ' is retired: it is not suggested any more, and its uses still count in the report.'
      : ' is back in use: it is suggested again.',
  ];
}

/** What a fault form says over the fixes it suggests, and on their buttons. */
export const SUGGESTION_WORDS = {
  heading: 'Known fixes that may help',
  intro: 'Try these first. If one works, press “That fixed it” and there is nothing to report.',
  button: 'That fixed it',
  /** The title of what replaces the form. */
  thanksTitle: 'Glad it is fixed',
  /** Teams cannot update a card as it is typed: the card's button that looks. */
  check: 'Check for known fixes',
  none: 'No known fix matches yet: carry on and report it.',
} as const;

/** The thanks that replaces the form once a suggested fix worked. */
export function fixedItThanks(title: string): Rich {
  return [
    emoji(':tada:'),
    ' Thanks — glad ',
    bold(typed(title, 150)),
    ' sorted it. Nothing has been reported, so the ICT team can get on with other faults.',
  ];
}

/** The small print under the thanks. */
export const FIXED_IT_SMALL_PRINT: Rich = [
  'If it stops working again, report it with ',
  { command: 'fault' },
  '.',
];

/** The Resolve form's "Save as a known fix" fields. */
export const SAVE_FIX_FORM = {
  save: 'Save as a known fix',
  saveHint: 'Teachers reporting a similar fault are shown it first, and can say it fixed it.',
  title: 'Known fix: title',
  titleHint: 'What it fixes, as a teacher would say it.',
  steps: 'Known fix: what to do',
  stepsHint: 'Steps a teacher can follow. Leave blank to use what was done.',
  scope: 'Suggest it to people reporting',
  keywords: 'Key words',
  keywordsHint: 'Other words people use for this fault, e.g. beamer, no picture.',
} as const;

/** The scopes the form offers for an incident, each in words. */
export function fixScopeLabel(
  scope: FixScope,
  i: { assetTag: string | null; locationName: string | null },
): string {
  const place = i.locationName ?? 'this place';
  if (scope === 'asset') return `A fault with this device (${i.assetTag ?? 'the device'})`;
  if (scope === 'type') return `A fault with this kind of device in ${place}`;
  if (scope === 'location') return `Any fault in ${place}`;
  return 'Any fault described in the same words';
}

/** The known-fix figures of the service report. */
export const REPORT_FIX_WORDS = {
  heading: 'Known fixes',
  deflections: 'Settled by a known fix (nothing reported)',
  top: 'Most-used fixes',
} as const;
