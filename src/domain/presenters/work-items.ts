/**
 * Changes and problems, worded once for every platform: the list with progress at a glance
 * (`/spoc changes`), one in full with its linked incidents, diary and dated updates, and what can
 * be done next, for the reader's role.
 */
import type { LinkedIncident } from '../../db/queries/work-items';
import { formatReference } from '../incidents/reference';
import { isOpen, STATUS_LABELS } from '../incidents/state-machine';
import { DIARY_KIND_LABELS } from '../registers/supply-types';
import type { WorkItemFull, WorkItemSummary } from '../work-items/list';
import {
  WORK_ITEM_KIND_LABELS,
  WORK_ITEM_STATUS_LABELS,
  type WorkItemKind,
  type WorkItemStatus,
  type WorkListFilter,
} from '../work-items/types';
import { ukDate } from './format';
import {
  bold,
  code,
  date,
  emoji,
  italic,
  joinRich,
  type Presentation,
  type PresentedAction,
  person,
  type Rich,
  type Section,
  type Span,
  typed,
} from './presentation';
import { pageOf, pagerActions } from './registers/paging';

/** Items per page of `/spoc changes`: a row each, with the title and buttons well inside Slack's 50 blocks. */
export const WORK_PAGE_SIZE = 15;

/** How many updates the detail shows (the latest ones). */
export const DETAIL_UPDATES = 25;

/** `▓▓▓░░ 60%`: five cells, each a fifth of the work. */
export function percentBar(percent: number): string {
  const p = Math.min(100, Math.max(0, Math.round(percent)));
  const filled = Math.round(p / 20);
  return `${'▓'.repeat(filled)}${'░'.repeat(5 - filled)} ${p}%`;
}

/** The progress bar as it is shown in a line: set apart as code where the platform can. */
export const progressText = (percent: number): Span => code(percentBar(percent));

export const KIND_EMOJI: Record<WorkItemKind, string> = {
  change: ':building_construction:',
  problem: ':mag:',
};

/** A change's or problem's status and progress bar: `Proposed · ▓▓▓░░ 60%`. */
export const statusAndProgress = (i: { status: WorkItemStatus; percentDone: number }): Rich => [
  `${WORK_ITEM_STATUS_LABELS[i.status]} · `,
  progressText(i.percentDone),
];

function targetText(i: { targetDate: string | null; overdue: boolean }): Rich {
  if (!i.targetDate) return ['no target date'];
  const target = `target ${ukDate(i.targetDate)}`;
  return i.overdue ? [target, ' ', emoji(':warning:'), ' ', bold('overdue')] : [target];
}

function ownerText(i: {
  ownerId: string | null;
  ownerSlackId: string | null;
  ownerName: string | null;
}): Rich {
  return i.ownerId ? [person(i.ownerName, i.ownerSlackId)] : [italic('no owner')];
}

/** One row: reference, kind, title; then owner, status, progress, target, last update. */
function itemText(i: WorkItemSummary): Rich {
  return [
    emoji(KIND_EMOJI[i.kind]),
    ' ',
    bold(i.reference),
    ` · ${WORK_ITEM_KIND_LABELS[i.kind]} · `,
    typed(i.title, 150),
    '\n',
    ...ownerText(i),
    ' · ',
    ...statusAndProgress(i),
    ' · ',
    ...targetText(i),
    ...(i.lastUpdateAt ? [' · last update ', date(i.lastUpdateAt)] : []),
  ];
}

const FILTER_TITLES: Record<WorkListFilter, string> = {
  open: 'Open changes and problems',
  changes: 'Open changes',
  problems: 'Open problems',
  all: 'All changes and problems',
};

/** `/spoc changes`: a page of the list, each with Open, and New change / New problem for the SPOC. */
export function presentWorkList(
  out: { filter: WorkListFilter; items: readonly WorkItemSummary[] },
  page: number,
  opts: { canManage: boolean },
): Presentation {
  const p = pageOf(out.items, page, WORK_PAGE_SIZE);
  const title = FILTER_TITLES[out.filter];
  const sections: Section[] = [
    {
      kind: 'text',
      text: [bold(title), ` (${out.items.length})${p.pages > 1 ? ` — page ${p.page} of ${p.pages}` : ''}`],
    },
  ];
  if (out.items.length === 0) {
    sections.push({
      kind: 'text',
      text:
        out.filter === 'all'
          ? ['No changes or problems yet.']
          : ['Nothing open. ', { command: 'spoc changes all' }, ' shows closed ones too.'],
    });
  }
  for (const i of p.shown) {
    sections.push({
      kind: 'item',
      text: itemText(i),
      actions: [{ id: 'work.view', label: 'Open', value: i.id }],
    });
  }
  const actions: PresentedAction[] = [
    ...(opts.canManage
      ? [
          { id: 'work.newChange' as const, label: 'New change', value: '', style: 'primary' as const },
          { id: 'work.newProblem' as const, label: 'New problem', value: '' },
        ]
      : []),
    ...pagerActions({ previous: 'work.previous', next: 'work.next' }, 'work', p.page, p.pages, out.filter),
  ];
  return { text: [`${title} (${out.items.length})`], sections, actions };
}

const fromTo = (value: unknown) =>
  value && typeof value === 'object' && 'from' in value && 'to' in value
    ? (value as { from: unknown; to: unknown })
    : undefined;

const statusLabel = (s: unknown) =>
  typeof s === 'string' && s in WORK_ITEM_STATUS_LABELS ? WORK_ITEM_STATUS_LABELS[s as WorkItemStatus] : '—';

const EDITED_FIELDS: Record<string, string> = {
  title: 'title',
  description: 'description',
  ownerId: 'owner',
  targetDate: 'target date',
};

/** Typed words quoted line by line under what they belong to, cut to `max` characters. */
function quoted(text: string, max: number): Rich {
  const cut = text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  return cut.split('\n').flatMap((line): Rich => ['\n', { quote: [line] }]);
}

/** One dated line of the history: who, when, what changed and the note. */
export function workUpdateLine(u: WorkItemFull['updates'][number]): Rich {
  const who = person(u.actorName, u.actorSlackId);
  const when = date(u.createdAt);
  const status = fromTo(u.data.status);
  const percent = fromTo(u.data.percentDone);
  const moves: Rich[] = [
    status ? [`${statusLabel(status.from)} → `, bold(statusLabel(status.to))] : [],
    percent ? [`${String(percent.from)}% → `, bold(`${String(percent.to)}%`)] : [],
  ];
  const note = u.note ? quoted(u.note, 500) : [];
  switch (u.kind) {
    case 'created':
      return [when, ' · Opened by ', who, status ? ` as ${statusLabel(status.to)}` : ''];
    case 'edited': {
      const what = Object.keys(u.data)
        .map((k) => EDITED_FIELDS[k] ?? k)
        .join(', ');
      return [when, ' · ', who, ` edited the ${what}`];
    }
    case 'progress': {
      const moved = joinRich(moves, ', ');
      return [when, ' · ', who, ...(moved.length ? [': ', ...moved] : []), ...note];
    }
    case 'linked':
    case 'unlinked': {
      const incident = fromTo(u.data.incident);
      const ref = String((u.kind === 'linked' ? incident?.to : incident?.from) ?? 'an incident');
      return [when, ' · ', who, ` ${u.kind} `, typed(ref, 20)];
    }
    case 'resolved_incidents': {
      const refs = Array.isArray(u.data.incidents) ? u.data.incidents.map(String).join(', ') : '';
      return [when, ' · ', who, ' resolved ', typed(refs, 500), ...note];
    }
    default:
      return [when, ' · ', who, ' ', typed(u.kind, 40), ...note];
  }
}

/** A linked incident as a line: reference, what was reported and where it is now. */
export const linkedIncidentLine = (i: Pick<LinkedIncident, 'number' | 'summary'>): Rich => [
  '• ',
  bold(formatReference(i.number)),
  ' ',
  typed(i.summary, 120),
];

/** `/spoc change CHG-3`: everything about one change or problem, with what the reader may do next. */
export function presentWorkDetail(
  full: WorkItemFull,
  opts: { canUpdate: boolean; canManage: boolean },
): Presentation {
  const { item, updates, incidents, diary } = full;
  const sections: Section[] = [
    {
      kind: 'heading',
      text: [
        emoji(KIND_EMOJI[item.kind]),
        ' ',
        bold(item.reference),
        ` · ${WORK_ITEM_KIND_LABELS[item.kind]}`,
        '\n',
        bold(typed(item.title, 200)),
      ],
    },
  ];
  if (item.description) sections.push({ kind: 'text', text: [typed(item.description, 2900)] });
  sections.push({
    kind: 'fields',
    fields: [
      { label: 'Owner', value: ownerText(item) },
      { label: 'Status', value: [WORK_ITEM_STATUS_LABELS[item.status]] },
      { label: 'Progress', value: [progressText(item.percentDone)] },
      {
        label: 'Target',
        value: [
          item.targetDate ? ukDate(item.targetDate) : '—',
          ...(item.overdue ? [' ', emoji(':warning:'), ' overdue'] : []),
        ],
      },
    ],
  });
  const openLinked = incidents.filter((i) => isOpen(i.status));
  sections.push({
    kind: 'lines',
    lines: [
      [
        bold('Linked incidents'),
        ` (${incidents.length}${openLinked.length ? `, ${openLinked.length} open` : ''})`,
      ],
      ...(incidents.length
        ? incidents.map((i): Rich => [...linkedIncidentLine(i), ` — ${STATUS_LABELS[i.status]}`])
        : [[italic('none')]]),
    ],
  });
  if (item.kind === 'change' || diary.length) {
    sections.push({
      kind: 'lines',
      lines: [
        [bold('In the diary')],
        ...(diary.length
          ? diary.map(
              (d): Rich => [`• ${ukDate(d.date)} · ${DIARY_KIND_LABELS[d.kind]} · `, typed(d.title, 150)],
            )
          : [[italic('nothing planned')]]),
      ],
    });
  }
  const shown = updates.slice(-DETAIL_UPDATES);
  sections.push({
    kind: 'lines',
    lines: [
      [
        bold('Progress updates'),
        updates.length > shown.length ? ` (latest ${shown.length} of ${updates.length})` : '',
      ],
      ...shown.map(workUpdateLine),
    ],
  });
  const actions: PresentedAction[] = [];
  if (opts.canUpdate)
    actions.push({ id: 'work.progress', label: 'Post update', value: item.id, style: 'primary' });
  if (opts.canManage) {
    actions.push({ id: 'work.edit', label: 'Edit', value: item.id });
    actions.push({ id: 'work.link', label: 'Link incident', value: item.id });
  }
  if (item.kind === 'problem' && opts.canUpdate && openLinked.length > 0) {
    actions.push({ id: 'work.resolveLinked', label: 'Resolve linked incidents', value: item.id });
  }
  return { text: [item.reference, ' ', typed(item.title, 150)], sections, actions };
}
