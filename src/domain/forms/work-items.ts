/**
 * The change and problem forms, defined once for every platform: open one (New change, New
 * problem), edit it, post progress, link or unlink incidents, and resolve a problem's open linked
 * incidents together. Each reads its fields, calls one domain command and says what was saved.
 *
 * The owner is a `person` field: Slack answers with a Slack user id, Teams with a SPOC person id
 * from the school's staff (`personRefOf` tells them apart). A submission may carry its form's key
 * (`submit`'s fourth argument: Slack's view id) so a double submit records one item or update.
 * Posting progress that finishes a problem with incidents still open offers the resolve form next
 * (`next`), as Slack's modal and Teams' dialog both show it.
 */

import { isUuid } from '../ids';
import { formatReference } from '../incidents/reference';
import { isOpen } from '../incidents/state-machine';
import { type AssignablePerson, listAssignablePeople, type PersonRef } from '../people';
import { bold, emoji, joinRich, type Rich, typed } from '../presenters/presentation';
import { linkedIncidentLine, progressText, statusAndProgress } from '../presenters/work-items';
import { fail, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import {
  createWorkItem,
  DESCRIPTION_MAX,
  editWorkItem,
  NOTE_MAX,
  postProgress,
  TITLE_MAX,
  workItemFor,
} from '../work-items/commands';
import { linkIncidents, resolveLinkedIncidents, skippedLine, unlinkIncidents } from '../work-items/links';
import { getWorkItemFull } from '../work-items/list';
import {
  formatWorkItemReference,
  WORK_ITEM_KIND_LABELS,
  WORK_ITEM_STATUS_LABELS,
  WORK_ITEM_STATUSES,
  type WorkItemKind,
  type WorkItemStatus,
} from '../work-items/types';
import type { FieldReader, FormField, FormSpec, OfficeForm, Saved } from './form';

/** What a work form says once saved, and the form to offer next, if any. */
export interface WorkSaved extends Saved {
  /** The change or problem's reference (`CHG-3`). */
  reference: string;
  /** A form to show in place of this one (resolving the incidents a finished problem left open). */
  next?: { spec: FormSpec; id: string };
}

/** A work form: its submission may carry the form's key, recorded so a double submit saves once. */
export interface WorkForm extends OfficeForm {
  submit(
    ctx: Parameters<OfficeForm['submit']>[0],
    id: string | undefined,
    read: FieldReader,
    key?: string,
  ): Promise<Result<WorkSaved>>;
}

type Item = { id: string; kind: WorkItemKind; number: number; title: string };
type Staff = ReadonlyArray<Pick<AssignablePerson, 'personId' | 'name'>>;

const refOf = (item: { kind: WorkItemKind; number: number }) =>
  formatWorkItemReference(item.kind, item.number);

/** A person field's value: a SPOC person id (a uuid, from a list of staff) or a Slack user id. */
export function personRefOf(raw: string | undefined): PersonRef | null {
  if (!raw) return null;
  return isUuid(raw) ? { personId: raw } : { slackUserId: raw };
}

/** The status chosen, or undefined when none (or not one of ours) was. */
function statusOf(raw: string | undefined): WorkItemStatus | undefined {
  return raw && (WORK_ITEM_STATUSES as readonly string[]).includes(raw) ? (raw as WorkItemStatus) : undefined;
}

/** Empty stays undefined; anything else goes to the command, which says what is wrong with it. */
function percentOf(raw: string | undefined): number | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : Number(raw);
}

const STATUS_OPTIONS = WORK_ITEM_STATUSES.map((s) => ({ value: s, label: WORK_ITEM_STATUS_LABELS[s] }));

function ownerField(
  people: Staff,
  initial: { personId: string; slackUserId: string | null } | null,
): FormField {
  return {
    kind: 'person',
    id: 'owner',
    label: 'Owner',
    optional: true,
    hint: 'A technician or office member who sees it through.',
    placeholder: 'Choose a person',
    people,
    initial,
  };
}

/** What a new change or problem may come filled in with (from a repeated-faults reminder). */
export interface WorkPrefill {
  title?: string;
  description?: string;
  /** Incident references to link, e.g. `INC-4, INC-7`. */
  incidents?: string;
}

/** Open a change or problem. `people`: who may own it. */
export function newWorkFormSpec(kind: WorkItemKind, people: Staff, prefill: WorkPrefill = {}): FormSpec {
  return {
    title: kind === 'change' ? 'New change' : 'New problem',
    submit: 'Save',
    fields: [
      {
        kind: 'text',
        id: 'title',
        label: 'Title',
        initial: prefill.title,
        max: TITLE_MAX,
        placeholder:
          kind === 'change' ? 'e.g. New Wi-Fi in the hall' : 'e.g. Hall projector keeps losing signal',
      },
      {
        kind: 'text',
        id: 'description',
        label: kind === 'change' ? 'What will change' : 'What keeps happening',
        initial: prefill.description,
        optional: true,
        multiline: true,
        max: DESCRIPTION_MAX,
      },
      ownerField(people, null),
      { kind: 'choice', id: 'status', label: 'Status', options: STATUS_OPTIONS, initial: 'proposed' },
      {
        kind: 'number',
        id: 'percentDone',
        label: 'Percent done',
        optional: true,
        hint: '0 to 100. Leave empty for 0 (100 once implemented).',
      },
      { kind: 'date', id: 'targetDate', label: 'Target date', optional: true },
      {
        kind: 'text',
        id: 'incidents',
        label: 'Link incidents',
        initial: prefill.incidents,
        optional: true,
        max: 500,
        placeholder: 'e.g. INC-4, INC-7',
        hint: `Incidents this ${WORK_ITEM_KIND_LABELS[kind].toLowerCase()} deals with.`,
      },
    ],
  };
}

/** Edit the title, description, owner and target date (progress is posted as an update). */
export function editWorkFormSpec(
  item: Item & { description: string; targetDate: string | null },
  owner: { personId: string; slackUserId: string | null } | null,
  people: Staff,
): FormSpec {
  return {
    title: `Edit ${refOf(item)}`,
    submit: 'Save',
    fields: [
      { kind: 'text', id: 'title', label: 'Title', initial: item.title, max: TITLE_MAX },
      {
        kind: 'text',
        id: 'description',
        label: 'Description',
        initial: item.description,
        optional: true,
        multiline: true,
        max: DESCRIPTION_MAX,
      },
      ownerField(people, owner),
      { kind: 'date', id: 'targetDate', label: 'Target date', initial: item.targetDate, optional: true },
    ],
  };
}

/** Post a dated progress update: a note, and optionally a new status or percent. */
export function progressFormSpec(item: Item & { status: WorkItemStatus; percentDone: number }): FormSpec {
  return {
    title: `Update ${refOf(item)}`,
    submit: 'Post update',
    fields: [
      { kind: 'note', text: [bold(typed(item.title, 200)), '\nNow: ', ...statusAndProgress(item)] },
      { kind: 'text', id: 'note', label: 'What has happened', multiline: true, max: NOTE_MAX },
      {
        kind: 'choice',
        id: 'status',
        label: 'New status',
        options: STATUS_OPTIONS,
        optional: true,
        hint: 'Leave empty to keep it. It can go back one step at most.',
      },
      {
        kind: 'number',
        id: 'percentDone',
        label: 'Percent done now',
        optional: true,
        hint: `Leave empty to keep ${item.percentDone}%. 100% marks it implemented.`,
      },
    ],
  };
}

/** Link (or unlink) incidents by reference. */
export function linkFormSpec(item: Item): FormSpec {
  return {
    title: `Incidents of ${refOf(item)}`,
    submit: 'Save',
    fields: [
      { kind: 'text', id: 'incidents', label: 'Incidents', max: 500, placeholder: 'e.g. INC-4, INC-7' },
      {
        kind: 'choice',
        id: 'linkMode',
        label: 'Do what',
        options: [
          { value: 'link', label: 'Link them' },
          { value: 'unlink', label: 'Unlink them' },
        ],
        initial: 'link',
      },
    ],
  };
}

/** Lines a note holds at most, so each stays within what a platform shows in one block. */
const NOTE_LINES = 10;

/** Resolve a problem's open linked incidents with one resolution; `intro` when offered after an update. */
export function resolveFormSpec(
  item: Item,
  open: ReadonlyArray<{ number: number; summary: string }>,
  intro?: Rich,
): FormSpec {
  const lines: Rich[] = [
    [bold(refOf(item)), ' ', typed(item.title, 150), ' — still open:'],
    ...open.slice(0, 30).map(linkedIncidentLine),
    ...(open.length > 30 ? [[`…and ${open.length - 30} more`]] : []),
    [{ italic: ['Each is marked fixed with the note below, and each reporter is told.'] }],
  ];
  const notes: FormField[] = [];
  for (let at = 0; at < lines.length; at += NOTE_LINES) {
    notes.push({ kind: 'note', text: joinRich(lines.slice(at, at + NOTE_LINES), '\n') });
  }
  return {
    title: 'Resolve incidents',
    submit: `Resolve ${open.length}`,
    fields: [
      ...(intro ? [{ kind: 'note' as const, text: intro }] : []),
      ...notes,
      {
        kind: 'text',
        id: 'resolution',
        label: 'What fixed them',
        multiline: true,
        max: 3000,
        placeholder: 'In words the reporters understand',
      },
    ],
  };
}

const incidentRefs = (numbers: readonly number[]) => numbers.map(formatReference).join(', ');

/** The school's staff who may own work, for someone who may open or edit it; else the refusal. */
async function staffOf(ctx: Parameters<OfficeForm['open']>[0]): Promise<Result<Staff>> {
  if (!can(ctx.actor.role, 'work.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['work.manage']);
  return listAssignablePeople(ctx);
}

/** The form for a new change or problem, filled in with `prefill`. */
export async function openNewWork(
  ctx: Parameters<OfficeForm['open']>[0],
  kind: WorkItemKind,
  prefill: WorkPrefill = {},
): Promise<Result<FormSpec>> {
  const people = await staffOf(ctx);
  if (!people.ok) return people;
  return { ok: true, value: newWorkFormSpec(kind, people.value, prefill) };
}

/** What "saved" says about a new change or problem. */
export const workOpenedText = (kind: WorkItemKind, reference: string, title: string): Rich => [
  emoji(':white_check_mark:'),
  ' ',
  bold(reference),
  ' ',
  typed(title, 200),
  ' is open. ',
  { command: `spoc ${kind} ${reference}` },
  ' shows it.',
];

/** New change or New problem. */
export function newWorkForm(kind: WorkItemKind): WorkForm {
  return {
    name: kind === 'change' ? 'workChange' : 'workProblem',
    permission: 'work.manage',
    open: (ctx) => openNewWork(ctx, kind),
    async submit(ctx, _id, read, key) {
      const r = await createWorkItem(ctx, {
        kind,
        title: read('title') ?? '',
        description: read('description') ?? '',
        owner: personRefOf(read('owner')),
        status: statusOf(read('status')),
        percentDone: percentOf(read('percentDone')),
        targetDate: read('targetDate') ?? null,
        incidents: [read('incidents') ?? ''],
        submissionKey: key,
      });
      if (!r.ok) return r;
      const { item, reference } = r.value;
      return { ok: true, value: { reference, saved: workOpenedText(item.kind, reference, item.title) } };
    },
  };
}

export const newChangeForm = newWorkForm('change');
export const newProblemForm = newWorkForm('problem');

export const editWorkForm: WorkForm = {
  name: 'workEdit',
  permission: 'work.manage',
  async open(ctx, id) {
    const people = await staffOf(ctx);
    if (!people.ok) return people;
    // The time zone only decides the overdue flag, which the form does not show.
    const found = await getWorkItemFull(ctx, { ref: id ?? '', timezone: 'Europe/London' });
    if (!found.ok) return found;
    const { item } = found.value;
    const owner = item.ownerId ? { personId: item.ownerId, slackUserId: item.ownerSlackId } : null;
    return { ok: true, value: editWorkFormSpec(item, owner, people.value) };
  },
  async submit(ctx, id, read) {
    const r = await editWorkItem(ctx, {
      workItemId: id ?? '',
      title: read('title') ?? '',
      description: read('description') ?? '',
      owner: personRefOf(read('owner')),
      targetDate: read('targetDate') ?? null,
    });
    if (!r.ok) return r;
    const { reference, changed } = r.value;
    return {
      ok: true,
      value: {
        reference,
        saved: changed.length
          ? [emoji(':pencil2:'), ' ', bold(reference), ' saved.']
          : ['Nothing changed on ', bold(reference), '.'],
      },
    };
  },
};

export const progressForm: WorkForm = {
  name: 'workProgress',
  permission: 'work.update',
  async open(ctx, id) {
    const r = await workItemFor(ctx, id ?? '');
    return r.ok ? { ok: true, value: progressFormSpec(r.value) } : r;
  },
  async submit(ctx, id, read, key) {
    const r = await postProgress(ctx, {
      workItemId: id ?? '',
      note: read('note') ?? '',
      status: statusOf(read('status')),
      percentDone: percentOf(read('percentDone')),
      submissionKey: key,
    });
    if (!r.ok) return r;
    const { item, reference, openIncidents } = r.value;
    const posted: Rich = [
      emoji(':white_check_mark:'),
      ' Update posted: ',
      bold(reference),
      ` is now ${WORK_ITEM_STATUS_LABELS[item.status]} · `,
      progressText(item.percentDone),
      '.',
    ];
    if (openIncidents.length > 0 && can(ctx.actor.role, 'incident.resolve')) {
      const one = openIncidents.length === 1;
      const intro: Rich = [
        ...posted,
        `\n${openIncidents.length} linked incident${one ? ' is' : 's are'} still open. Resolve ${one ? 'it' : 'them'} now and tell the reporters?`,
      ];
      return {
        ok: true,
        value: {
          reference,
          saved: posted,
          next: { spec: resolveFormSpec(item, openIncidents, intro), id: item.id },
        },
      };
    }
    return { ok: true, value: { reference, saved: posted } };
  },
};

export const linkForm: WorkForm = {
  name: 'workLink',
  permission: 'work.manage',
  async open(ctx, id) {
    const r = await workItemFor(ctx, id ?? '');
    return r.ok ? { ok: true, value: linkFormSpec(r.value) } : r;
  },
  async submit(ctx, id, read) {
    const input = { workItemId: id ?? '', incidents: [read('incidents') ?? ''] };
    const unlink = read('linkMode') === 'unlink';
    const r = unlink ? await unlinkIncidents(ctx, input) : await linkIncidents(ctx, input);
    if (!r.ok) return r;
    const { reference, changed, unchanged } = r.value;
    const lines: Rich[] = [
      changed.length
        ? [
            emoji(':link:'),
            ` ${unlink ? 'Unlinked' : 'Linked'} ${incidentRefs(changed)} ${unlink ? 'from' : 'to'} `,
            bold(reference),
            '.',
          ]
        : ['Nothing changed on ', bold(reference), '.'],
      unchanged.length
        ? [`${incidentRefs(unchanged)} ${unlink ? 'was not linked' : 'was already linked'}.`]
        : [],
    ];
    return { ok: true, value: { reference, saved: joinRich(lines, '\n') } };
  },
};

export const resolveLinkedForm: WorkForm = {
  name: 'workResolve',
  permission: 'work.update',
  async open(ctx, id) {
    const r = await getWorkItemFull(ctx, { ref: id ?? '', timezone: 'Europe/London' });
    if (!r.ok) return r;
    const stillOpen = r.value.incidents.filter((i) => isOpen(i.status));
    if (r.value.item.kind !== 'problem' || stillOpen.length === 0) {
      return fail('VALIDATION', `${r.value.item.reference} has no open incidents to resolve.`);
    }
    return { ok: true, value: resolveFormSpec(r.value.item, stillOpen) };
  },
  async submit(ctx, id, read) {
    const r = await resolveLinkedIncidents(ctx, {
      workItemId: id ?? '',
      resolution: read('resolution') ?? '',
    });
    if (!r.ok) return r;
    const { reference, resolved, skipped } = r.value;
    const lines: Rich[] = [
      resolved.length
        ? [
            emoji(':white_check_mark:'),
            ` Resolved ${incidentRefs(resolved.map((i) => i.number))} for `,
            bold(reference),
            '; each reporter is being told.',
          ]
        : ['Nothing left to resolve on ', bold(reference), '.'],
      skipped.length ? [`Already done, left as they were: ${skipped.map(skippedLine).join(', ')}.`] : [],
    ];
    return { ok: true, value: { reference, saved: joinRich(lines, '\n') } };
  },
};
