/**
 * Changes and problems in Slack: the list with progress at a glance, one item in full, the forms
 * (open/edit, post progress, link incidents, resolve linked incidents), the App Home block and the
 * diary notice to staff. Pure: data in, Block Kit out.
 */
import type { Button, InputBlock, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { DiaryAnnouncement, LinkedIncident, WorkItemRow } from '../../../db/queries/work-items';
import { formatReference } from '../../../domain/incidents/reference';
import { isOpen, STATUS_LABELS } from '../../../domain/incidents/state-machine';
import { DIARY_KIND_LABELS } from '../../../domain/registers/supply-types';
import type { WorkItemFull, WorkItemSummary } from '../../../domain/work-items/list';
import {
  formatWorkItemReference,
  WORK_ITEM_KIND_LABELS,
  WORK_ITEM_STATUS_LABELS,
  WORK_ITEM_STATUSES,
  type WorkItemKind,
  type WorkItemStatus,
  type WorkListFilter,
} from '../../../domain/work-items/types';
import { ACTION, CALLBACK, mention, WORK_BLOCK as W } from '../ids';
import { clip, escClip, md, plain, sectionsOf, slackDate, ukDate } from './format';
import type { SlackMessage } from './incident-card.view';
import { dateInput, numberInput, selectInput, textInput } from './registers/inputs.view';

/** Items per page of `/spoc changes`: a section each, with the header and buttons well inside 50 blocks. */
export const WORK_PAGE_SIZE = 15;

const button = (action_id: string, text: string, value?: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  action_id,
  text: plain(text),
  ...(value !== undefined ? { value } : {}),
  ...(style ? { style } : {}),
});

/** `▓▓▓░░ 60%`: five cells, each a fifth of the work. */
export function percentBar(percent: number): string {
  const p = Math.min(100, Math.max(0, Math.round(percent)));
  const filled = Math.round(p / 20);
  return `${'▓'.repeat(filled)}${'░'.repeat(5 - filled)} ${p}%`;
}

const KIND_EMOJI: Record<WorkItemKind, string> = { change: ':building_construction:', problem: ':mag:' };

function targetText(i: { targetDate: string | null; overdue: boolean }): string {
  if (!i.targetDate) return 'no target date';
  return i.overdue ? `target ${ukDate(i.targetDate)} :warning: *overdue*` : `target ${ukDate(i.targetDate)}`;
}

const ownerText = (i: { ownerId: string | null; ownerSlackId: string | null; ownerName: string | null }) =>
  i.ownerId ? mention(i.ownerSlackId, i.ownerName) : '_no owner_';

/** One line per item: reference, kind, title; then owner, status, progress, target, last update. */
function itemLines(i: WorkItemSummary, timezone: string): string {
  const last = i.lastUpdateAt ? ` · last update ${slackDate(i.lastUpdateAt, timezone)}` : '';
  return [
    `${KIND_EMOJI[i.kind]} *${i.reference}* · ${WORK_ITEM_KIND_LABELS[i.kind]} · ${escClip(i.title, 150)}`,
    `${ownerText(i)} · ${WORK_ITEM_STATUS_LABELS[i.status]} · \`${percentBar(i.percentDone)}\` · ${targetText(i)}${last}`,
  ].join('\n');
}

const FILTER_TITLES: Record<WorkListFilter, string> = {
  open: 'Open changes and problems',
  changes: 'Open changes',
  problems: 'Open problems',
  all: 'All changes and problems',
};

/** `/spoc changes`: a page of the list, with New change / New problem for the SPOC. */
export function workListView(
  out: { filter: WorkListFilter; items: WorkItemSummary[] },
  page: number,
  opts: { timezone: string; canManage: boolean },
): SlackMessage {
  const pages = Math.max(1, Math.ceil(out.items.length / WORK_PAGE_SIZE));
  const at = Math.min(Math.max(1, page), pages);
  const shown = out.items.slice((at - 1) * WORK_PAGE_SIZE, at * WORK_PAGE_SIZE);
  const title = FILTER_TITLES[out.filter];
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: md(`*${title}* (${out.items.length})${pages > 1 ? ` — page ${at} of ${pages}` : ''}`),
    },
  ];
  if (out.items.length === 0) {
    blocks.push({
      type: 'section',
      text: md(
        out.filter === 'all'
          ? 'No changes or problems yet.'
          : 'Nothing open. `/spoc changes all` shows closed ones too.',
      ),
    });
  }
  for (const i of shown) {
    blocks.push({
      type: 'section',
      text: md(itemLines(i, opts.timezone)),
      accessory: button(ACTION.workView, 'Open', i.id),
    });
  }
  const buttons: Button[] = [];
  if (opts.canManage) {
    buttons.push(button(ACTION.workNewChange, 'New change', undefined, 'primary'));
    buttons.push(button(ACTION.workNewProblem, 'New problem'));
  }
  const pageValue = (p: number) => JSON.stringify({ filter: out.filter, page: p });
  if (at > 1) buttons.push(button(`${ACTION.workPage}_prev`, '← Previous', pageValue(at - 1)));
  if (at < pages) buttons.push(button(`${ACTION.workPage}_next`, 'Next →', pageValue(at + 1)));
  if (buttons.length) blocks.push({ type: 'actions', block_id: 'work_list_actions', elements: buttons });
  return { text: `${title} (${out.items.length})`, blocks };
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

/** One dated line of the history: who, when, what changed and the note. */
export function workUpdateLine(u: WorkItemFull['updates'][number], timezone: string): string {
  const who = mention(u.actorSlackId, u.actorName);
  const when = slackDate(u.createdAt, timezone);
  const status = fromTo(u.data.status);
  const percent = fromTo(u.data.percentDone);
  const moves = [
    status ? `${statusLabel(status.from)} → *${statusLabel(status.to)}*` : '',
    percent ? `${String(percent.from)}% → *${String(percent.to)}%*` : '',
  ].filter(Boolean);
  const note = u.note ? `\n>${escClip(u.note, 500).replace(/\n/g, '\n>')}` : '';
  switch (u.kind) {
    case 'created':
      return `${when} · Opened by ${who}${status ? ` as ${statusLabel(status.to)}` : ''}`;
    case 'edited': {
      const what = Object.keys(u.data)
        .map((k) => EDITED_FIELDS[k] ?? k)
        .join(', ');
      return `${when} · ${who} edited the ${what}`;
    }
    case 'progress':
      return `${when} · ${who}${moves.length ? `: ${moves.join(', ')}` : ''}${note}`;
    case 'linked':
    case 'unlinked': {
      const incident = fromTo(u.data.incident);
      const ref = String((u.kind === 'linked' ? incident?.to : incident?.from) ?? 'an incident');
      return `${when} · ${who} ${u.kind === 'linked' ? 'linked' : 'unlinked'} ${escClip(ref, 20)}`;
    }
    case 'resolved_incidents': {
      const refs = Array.isArray(u.data.incidents) ? u.data.incidents.map(String).join(', ') : '';
      return `${when} · ${who} resolved ${escClip(refs, 500)}${note}`;
    }
    default:
      return `${when} · ${who} ${escClip(u.kind, 40)}${note}`;
  }
}

/** How many updates the detail shows (the latest ones). */
export const DETAIL_UPDATES = 25;

/** `/spoc change CHG-3`: everything about one change or problem, with what can be done next. */
export function workDetailView(
  full: WorkItemFull,
  opts: { timezone: string; canUpdate: boolean; canManage: boolean },
): SlackMessage {
  const { item, updates, incidents, diary } = full;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: md(
        `${KIND_EMOJI[item.kind]} *${item.reference}* · ${WORK_ITEM_KIND_LABELS[item.kind]}\n*${escClip(item.title, 200)}*`,
      ),
    },
  ];
  if (item.description) blocks.push({ type: 'section', text: md(escClip(item.description, 2900)) });
  blocks.push({
    type: 'section',
    fields: [
      md(`*Owner*\n${ownerText(item)}`),
      md(`*Status*\n${WORK_ITEM_STATUS_LABELS[item.status]}`),
      md(`*Progress*\n\`${percentBar(item.percentDone)}\``),
      md(
        `*Target*\n${item.targetDate ? ukDate(item.targetDate) : '—'}${item.overdue ? ' :warning: overdue' : ''}`,
      ),
    ],
  });
  const openLinked = incidents.filter((i) => isOpen(i.status));
  blocks.push(
    ...sectionsOf([
      `*Linked incidents* (${incidents.length}${openLinked.length ? `, ${openLinked.length} open` : ''})`,
      ...(incidents.length
        ? incidents.map(
            (i) => `• *${formatReference(i.number)}* ${escClip(i.summary, 120)} — ${STATUS_LABELS[i.status]}`,
          )
        : ['_none_']),
    ]),
  );
  if (item.kind === 'change' || diary.length) {
    blocks.push(
      ...sectionsOf([
        '*In the diary*',
        ...(diary.length
          ? diary.map((d) => `• ${ukDate(d.date)} · ${DIARY_KIND_LABELS[d.kind]} · ${escClip(d.title, 150)}`)
          : ['_nothing planned_']),
      ]),
    );
  }
  const shown = updates.slice(-DETAIL_UPDATES);
  blocks.push(
    ...sectionsOf([
      `*Progress updates*${updates.length > shown.length ? ` (latest ${shown.length} of ${updates.length})` : ''}`,
      ...shown.map((u) => workUpdateLine(u, opts.timezone)),
    ]),
  );
  const buttons: Button[] = [];
  if (opts.canUpdate) buttons.push(button(ACTION.workProgress, 'Post update', item.id, 'primary'));
  if (opts.canManage) {
    buttons.push(button(ACTION.workEdit, 'Edit', item.id));
    buttons.push(button(ACTION.workLink, 'Link incident', item.id));
  }
  if (item.kind === 'problem' && opts.canUpdate && openLinked.length > 0) {
    buttons.push(button(ACTION.workResolveLinked, 'Resolve linked incidents', item.id));
  }
  const capped = blocks.slice(0, buttons.length ? 49 : 50);
  if (buttons.length) capped.push({ type: 'actions', block_id: 'work_actions', elements: buttons });
  return { text: `${item.reference} ${clip(item.title, 150)}`, blocks: capped };
}

/** What a change or problem form carries from opening to submitting. */
export interface WorkFormMetadata {
  /** The item being edited (or updated, linked, resolved). */
  id?: string;
  /** The kind being opened. */
  kind?: WorkItemKind;
  /** Opened from a repeated-faults reminder: that message is updated once the problem exists. */
  reminder?: { channel: string; ts: string; original: string };
}

function workModal(
  callbackId: string,
  title: string,
  submit: string,
  meta: WorkFormMetadata,
  blocks: KnownBlock[],
  close = 'Cancel',
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(clip(title, 24)),
    submit: plain(clip(submit, 24)),
    close: plain(clip(close, 24)),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

function ownerInput(initialSlackId: string | null | undefined): InputBlock {
  return {
    type: 'input',
    block_id: W.owner,
    optional: true,
    label: plain('Owner'),
    hint: plain('A technician or office member who sees it through.'),
    element: {
      type: 'users_select',
      action_id: ACTION.input,
      placeholder: plain('Choose a person'),
      ...(initialSlackId ? { initial_user: initialSlackId } : {}),
    },
  };
}

export interface WorkPrefill {
  title?: string;
  description?: string;
  /** Incident references to link, e.g. `INC-4, INC-7`. */
  incidents?: string;
}

/** Open a change or problem. From a repeated-faults reminder the title and incidents come filled in. */
export function workCreateModalView(
  kind: WorkItemKind,
  prefill: WorkPrefill = {},
  reminder?: WorkFormMetadata['reminder'],
): ModalView {
  const label = WORK_ITEM_KIND_LABELS[kind];
  return workModal(
    CALLBACK.workCreateModal,
    kind === 'change' ? 'New change' : 'New problem',
    'Save',
    { kind, ...(reminder ? { reminder } : {}) },
    [
      textInput(W.title, 'Title', prefill.title, {
        max: 200,
        placeholder:
          kind === 'change' ? 'e.g. New Wi-Fi in the hall' : 'e.g. Hall projector keeps losing signal',
      }),
      textInput(
        W.description,
        kind === 'change' ? 'What will change' : 'What keeps happening',
        prefill.description,
        {
          optional: true,
          multiline: true,
          max: 3000,
        },
      ),
      ownerInput(undefined),
      selectInput(W.status, 'Status', WORK_ITEM_STATUSES, WORK_ITEM_STATUS_LABELS, 'proposed'),
      numberInput(W.percentDone, 'Percent done', undefined, {
        optional: true,
        hint: '0 to 100. Leave empty for 0 (100 once implemented).',
      }),
      dateInput(W.targetDate, 'Target date', undefined, { optional: true }),
      textInput(W.incidents, 'Link incidents', prefill.incidents, {
        optional: true,
        max: 500,
        placeholder: 'e.g. INC-4, INC-7',
        hint: `Incidents this ${label.toLowerCase()} deals with.`,
      }),
    ],
  );
}

/** Edit the title, description, owner and target date (progress is posted as an update). */
export function workEditModalView(item: WorkItemRow, ownerSlackId: string | null): ModalView {
  const ref = formatWorkItemReference(item.kind, item.number);
  return workModal(CALLBACK.workEditModal, `Edit ${ref}`, 'Save', { id: item.id }, [
    textInput(W.title, 'Title', item.title, { max: 200 }),
    textInput(W.description, 'Description', item.description, { optional: true, multiline: true, max: 3000 }),
    ownerInput(ownerSlackId),
    dateInput(W.targetDate, 'Target date', item.targetDate, { optional: true }),
  ]);
}

/** Post a dated progress update: a note, and optionally a new status or percent. */
export function workProgressModalView(item: WorkItemRow): ModalView {
  const ref = formatWorkItemReference(item.kind, item.number);
  return workModal(CALLBACK.workProgressModal, `Update ${ref}`, 'Post update', { id: item.id }, [
    {
      type: 'section',
      text: md(
        `*${escClip(item.title, 200)}*\nNow: ${WORK_ITEM_STATUS_LABELS[item.status]} · \`${percentBar(item.percentDone)}\``,
      ),
    },
    textInput(W.note, 'What has happened', undefined, { multiline: true, max: 2000 }),
    selectInput(W.status, 'New status', WORK_ITEM_STATUSES, WORK_ITEM_STATUS_LABELS, undefined, {
      optional: true,
      hint: 'Leave empty to keep it. It can go back one step at most.',
    }),
    numberInput(W.percentDone, 'Percent done now', undefined, {
      optional: true,
      hint: `Leave empty to keep ${item.percentDone}%. 100% marks it implemented.`,
    }),
  ]);
}

/** Link (or unlink) incidents by reference. */
export function workLinkModalView(item: WorkItemRow): ModalView {
  const ref = formatWorkItemReference(item.kind, item.number);
  const modes = ['link', 'unlink'] as const;
  return workModal(CALLBACK.workLinkModal, `Incidents of ${ref}`, 'Save', { id: item.id }, [
    textInput(W.incidents, 'Incidents', undefined, { max: 500, placeholder: 'e.g. INC-4, INC-7' }),
    selectInput(W.linkMode, 'Do what', modes, { link: 'Link them', unlink: 'Unlink them' }, 'link'),
  ]);
}

/** Resolve a problem's open linked incidents with one resolution; each reporter is told. */
export function workResolveModalView(
  item: { id: string; kind: WorkItemKind; number: number; title: string },
  open: ReadonlyArray<Pick<LinkedIncident, 'number' | 'summary'>>,
  intro?: string,
): ModalView {
  const ref = formatWorkItemReference(item.kind, item.number);
  const lines = open.slice(0, 30).map((i) => `• *${formatReference(i.number)}* ${escClip(i.summary, 120)}`);
  if (open.length > 30) lines.push(`…and ${open.length - 30} more`);
  return workModal(
    CALLBACK.workResolveModal,
    'Resolve incidents',
    `Resolve ${open.length}`,
    { id: item.id },
    [
      ...(intro ? [{ type: 'section', text: md(intro) } as SectionBlock] : []),
      ...sectionsOf([
        `*${ref}* ${escClip(item.title, 150)} — still open:`,
        ...lines,
        '_Each is marked fixed with the note below, and each reporter is told._',
      ]),
      textInput(W.resolution, 'What fixed them', undefined, {
        multiline: true,
        max: 3000,
        placeholder: 'In words the reporters understand',
      }),
    ],
    intro ? 'Not now' : 'Cancel',
  );
}

/** A small view that replaces a form once it is saved. */
export function workSavedView(text: string): ModalView {
  return {
    type: 'modal',
    title: plain('Saved'),
    close: plain('Done'),
    blocks: [{ type: 'section', text: md(text) }],
  };
}

/**
 * For the App Home: open changes and problems at a glance — reference, title, progress bar,
 * status, target and an overdue flag. The caller puts a heading above it.
 */
export function workProgressBlocks(items: readonly WorkItemSummary[], max = 10): KnownBlock[] {
  if (items.length === 0) return [{ type: 'section', text: md('_No open changes or problems._') }];
  const lines = items.slice(0, max).map((i) => {
    const target = i.targetDate
      ? ` · ${i.overdue ? ':warning: overdue since' : 'by'} ${ukDate(i.targetDate)}`
      : '';
    return `${KIND_EMOJI[i.kind]} *${i.reference}* ${escClip(i.title, 80)}\n\`${percentBar(i.percentDone)}\` ${WORK_ITEM_STATUS_LABELS[i.status]}${target}`;
  });
  const blocks: KnownBlock[] = sectionsOf(lines);
  if (items.length > max) {
    blocks.push({ type: 'context', elements: [md(`…and ${items.length - max} more: \`/spoc changes\``)] });
  }
  return blocks;
}

/** The notice staff see in a channel: a diary entry, usually planned downtime for a change. */
export function diaryAnnounceView(a: DiaryAnnouncement): SlackMessage {
  const { entry, change } = a;
  const lines = [
    `:spiral_calendar_pad: *${ukDate(entry.date)}* — *${escClip(entry.title, 200)}*`,
    entry.notes ? escClip(entry.notes, 2000) : '',
    change
      ? `Part of *${formatWorkItemReference(change.kind, change.number)}* ${escClip(change.title, 200)}`
      : '',
  ].filter(Boolean);
  return {
    text: `${ukDate(entry.date)}: ${clip(entry.title, 200)}`,
    blocks: [{ type: 'section', text: md(lines.join('\n')) }],
  };
}
