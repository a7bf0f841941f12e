/**
 * The frame of a register form's modal: its callback, title, submit and Cancel, and the record it
 * is about in `private_metadata`. The forms themselves are the domain's (`OfficeForm`), laid out
 * by `office-form.view.ts`.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { plain } from '../format';

/** What a register form carries from opening to submitting: the record being edited, if any. */
export interface RegisterModalMetadata {
  id?: string;
}

/** A register form: its callback, title, submit label, the record being edited (if any) and its blocks. */
export function modal(
  callbackId: string,
  title: string,
  submit: string,
  id: string | undefined,
  blocks: KnownBlock[],
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title),
    submit: plain(submit),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ ...(id ? { id } : {}) } satisfies RegisterModalMetadata),
    blocks,
  };
}
