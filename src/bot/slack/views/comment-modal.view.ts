/**
 * The reporter's "Add a comment or photo link" form, and what replaces it once sent. The words come
 * from `presenters/incident-forms.ts`, shared with the Teams dialog; this lays them out as a modal.
 */
import type { ModalView } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { LINK_MAX, NOTE_MAX } from '../../../domain/incidents/comment-incident';
import { COMMENT_FORM, commentHeading, commentSentText } from '../../../domain/presenters/incident-forms';
import { ACTION, CALLBACK, COMMENT_BLOCK } from '../ids';
import { md, plain } from './format';
import { mrkdwn } from './render';

/** What the form carries between opening and submitting. */
export interface CommentModalMetadata {
  incidentId: string;
}

export function commentModalView(i: IncidentDetail): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.commentModal,
    title: plain(COMMENT_FORM.title(i)),
    submit: plain(COMMENT_FORM.submit),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ incidentId: i.id } satisfies CommentModalMetadata),
    blocks: [
      {
        type: 'section',
        text: md(
          commentHeading(i)
            .map((line) => mrkdwn(line))
            .join('\n'),
        ),
      },
      {
        type: 'input',
        block_id: COMMENT_BLOCK.note,
        label: plain(COMMENT_FORM.note),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          multiline: true,
          max_length: NOTE_MAX,
          placeholder: plain(COMMENT_FORM.notePlaceholder),
        },
      },
      {
        type: 'input',
        block_id: COMMENT_BLOCK.link,
        optional: true,
        label: plain(COMMENT_FORM.link),
        hint: plain(COMMENT_FORM.linkHint),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          max_length: LINK_MAX,
          placeholder: plain(COMMENT_FORM.linkPlaceholder),
        },
      },
    ],
  };
}

/** Replaces the form once the comment is recorded. */
export function commentSentView(i: { number: number }, toldSomeone: boolean): ModalView {
  return {
    type: 'modal',
    title: plain(COMMENT_FORM.sentTitle),
    close: plain(COMMENT_FORM.done),
    blocks: [{ type: 'section', text: md(mrkdwn(commentSentText(i, toldSomeone))) }],
  };
}
