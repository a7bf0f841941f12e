/**
 * Changes and problems in Slack: the list and one item in full (the domain's presentations, laid
 * out as blocks), the forms (the domain's specs as modals), the App Home block and the diary
 * notice to staff. Pure: data in, Block Kit out; the words are the domain's
 * (`presenters/work-items.ts`, `forms/work-items.ts`).
 */
import type { ModalView } from '@slack/types';
import type { DiaryAnnouncement } from '../../../db/queries/work-items';
import type { FormSpec } from '../../../domain/forms/form';
import { presentDiaryAnnouncement } from '../../../domain/presenters/diary-announcement';
import type { Presentation } from '../../../domain/presenters/presentation';
import { percentBar } from '../../../domain/presenters/work-items';
import type { WorkItemKind } from '../../../domain/work-items/types';
import { clip, md, plain } from './format';
import type { SlackMessage } from './incident-card.view';
import { officeFormModal } from './office-form.view';
import { renderMessage } from './render';

export { percentBar };

/** `/spoc changes`: a page of the list (or the refusal), its buttons in one block. */
export function workListView(p: Presentation, timezone: string): SlackMessage {
  return renderMessage(p, timezone, 'work_list_actions');
}

/** `/spoc change CHG-3`: one item in full, within Slack's 50 blocks, its buttons last. */
export function workDetailView(p: Presentation, timezone: string): SlackMessage {
  const { text, blocks } = renderMessage(p, timezone, 'work_actions');
  const last = blocks.at(-1);
  if (blocks.length <= 50 || last?.type !== 'actions') return { text, blocks: blocks.slice(0, 50) };
  return { text, blocks: [...blocks.slice(0, 49), last] };
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

/** A work form's spec as a modal, carrying `meta`; `close` is its Cancel button's label. */
export function workFormModal(
  callbackId: string,
  spec: FormSpec,
  meta: WorkFormMetadata,
  close = 'Cancel',
): ModalView {
  return {
    ...officeFormModal(callbackId, spec, meta.id),
    close: plain(clip(close, 24)),
    private_metadata: JSON.stringify(meta),
  };
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

/** The notice staff see in a channel: a diary entry, usually planned downtime for a change. */
export function diaryAnnounceView(a: DiaryAnnouncement): SlackMessage {
  return renderMessage(presentDiaryAnnouncement(a));
}
