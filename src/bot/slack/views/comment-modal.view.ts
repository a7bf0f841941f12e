/** The reporter's "Add a comment or photo link" form, and what replaces it once sent. */
import type { ModalView } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { LINK_MAX, NOTE_MAX } from '../../../domain/incidents/comment-incident';
import { formatReference } from '../../../domain/incidents/reference';
import { ACTION, CALLBACK, COMMENT_BLOCK } from '../ids';
import { escClip, md, plain } from './format';
import { REPORTER_STATUS } from './reporter-notice.view';

/** What the form carries between opening and submitting. */
export interface CommentModalMetadata {
  incidentId: string;
}

export function commentModalView(i: IncidentDetail): ModalView {
  const ref = formatReference(i.number);
  return {
    type: 'modal',
    callback_id: CALLBACK.commentModal,
    title: plain(`Add to ${ref}`.slice(0, 24)),
    submit: plain('Send'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ incidentId: i.id } satisfies CommentModalMetadata),
    blocks: [
      {
        type: 'section',
        text: md(`*${ref}* — ${escClip(i.summary, 200)}\n_${REPORTER_STATUS[i.status]}_`),
      },
      {
        type: 'input',
        block_id: COMMENT_BLOCK.note,
        label: plain('What would you like to add?'),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          multiline: true,
          max_length: NOTE_MAX,
          placeholder: plain('e.g. It is still showing "No signal" after a restart'),
        },
      },
      {
        type: 'input',
        block_id: COMMENT_BLOCK.link,
        optional: true,
        label: plain('Link to a photo (optional)'),
        hint: plain('A link to a photo or screenshot, e.g. from OneDrive or Google Drive.'),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.input,
          max_length: LINK_MAX,
          placeholder: plain('https://…'),
        },
      },
    ],
  };
}

/** Replaces the form once the comment is recorded. */
export function commentSentView(i: { number: number }, toldSomeone: boolean): ModalView {
  const ref = formatReference(i.number);
  return {
    type: 'modal',
    title: plain('Sent'),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: md(
          `:speech_balloon: Thanks — that is added to *${ref}*${toldSomeone ? ' and whoever is fixing it has been told' : ' for the ICT team'}.`,
        ),
      },
    ],
  };
}
