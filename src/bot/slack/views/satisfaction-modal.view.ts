/**
 * The reporter's optional comment on their satisfaction answer, and what replaces it once sent.
 * The words come from `presenters/satisfaction.ts`, shared with the Teams dialog.
 */
import type { ModalView } from '@slack/types';
import { SATISFACTION_COMMENT_MAX } from '../../../domain/incidents/satisfaction';
import { SATISFACTION_FORM, satisfactionCommentSent } from '../../../domain/presenters/satisfaction';
import { ACTION, CALLBACK, SATISFACTION_BLOCK } from '../ids';
import { md, plain } from './format';
import { mrkdwn } from './render';

/** What the form carries between opening and submitting. */
export interface SatisfactionModalMetadata {
  incidentId: string;
}

export function satisfactionModalView(i: { id: string; number: number }, rating: 'up' | 'down'): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.satisfactionComment,
    title: plain(SATISFACTION_FORM.title(i)),
    submit: plain(SATISFACTION_FORM.submit),
    close: plain(SATISFACTION_FORM.cancel),
    private_metadata: JSON.stringify({ incidentId: i.id } satisfies SatisfactionModalMetadata),
    blocks: [
      { type: 'section', text: md(mrkdwn(SATISFACTION_FORM.heading(i, rating))) },
      {
        type: 'input',
        block_id: SATISFACTION_BLOCK.comment,
        label: plain(SATISFACTION_FORM.comment),
        hint: plain(SATISFACTION_FORM.hint),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          multiline: true,
          max_length: SATISFACTION_COMMENT_MAX,
          placeholder: plain(SATISFACTION_FORM.placeholder),
        },
      },
    ],
  };
}

/** Replaces the form once the comment is kept. */
export function satisfactionSentView(i: { number: number }): ModalView {
  return {
    type: 'modal',
    title: plain(SATISFACTION_FORM.sentTitle),
    close: plain(SATISFACTION_FORM.done),
    blocks: [{ type: 'section', text: md(mrkdwn(satisfactionCommentSent(i))) }],
  };
}
