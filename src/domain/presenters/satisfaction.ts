/**
 * The satisfaction question on the reporter's status message, worded once for every platform:
 * after Fixed, "are you happy with how it was dealt with?" with 👍 / 👎 (one press answers), then
 * the thanks with an optional "Add a comment" (a form). The buttons are a row inside the message
 * (a `buttons` section), so they sit under the question they answer.
 */

import { formatReference } from '../incidents/reference';
import type { SatisfactionQuestion } from '../incidents/satisfaction';
import {
  bold,
  emoji,
  type Presentation,
  type PresentedAction,
  type Rich,
  type Section,
} from './presentation';

type Incident = { id: string; number: number };
type Rating = 'up' | 'down';

/** 👍 / 👎: the answer, in one press. */
export function satisfactionActions(incidentId: string): PresentedAction[] {
  return [
    { id: 'satisfaction.up', label: '👍 Yes', value: incidentId },
    { id: 'satisfaction.down', label: '👎 No', value: incidentId },
  ];
}

/** Opens the optional comment form on an answer. */
export const satisfactionCommentAction = (incidentId: string): PresentedAction => ({
  id: 'satisfaction.comment',
  label: 'Add a comment',
  value: incidentId,
});

const said = (rating: Rating): string => (rating === 'up' ? '👍' : '👎');

/** Who reads the answers, said wherever the reporter answers or comments. */
export const SATISFACTION_READERS = 'Only the school office sees answers; the technician is not shown yours.';

/** The thanks for an answer, with the comment button while it has no comment. */
function thanks(i: Incident, rating: Rating, commented: boolean, again: boolean): Section[] {
  const text: Rich = again
    ? [
        emoji(':pray:'),
        ` You have already answered ${said(rating)} about `,
        bold(formatReference(i.number)),
        ' — thank you.',
      ]
    : [emoji(':pray:'), ` Thank you for your answer (${said(rating)}).`];
  if (commented) return [{ kind: 'text', text: [...text, ' Your comment is with the school office.'] }];
  return [
    { kind: 'text', text: [...text, ' If you like, add a comment for the school office.'] },
    { kind: 'buttons', actions: [satisfactionCommentAction(i.id)] },
  ];
}

/** The question's part of the status message as it stands: asked, thanked, or nothing. */
export function satisfactionSections(i: Incident, question: SatisfactionQuestion): Section[] {
  switch (question.state) {
    case 'ask':
      return [
        {
          kind: 'text',
          text: [
            bold('One quick question:'),
            ' are you happy with how ',
            bold(formatReference(i.number)),
            ` was dealt with? ${SATISFACTION_READERS}`,
          ],
        },
        { kind: 'buttons', actions: satisfactionActions(i.id) },
      ];
    case 'answered':
      return thanks(i, question.rating, question.commented, false);
    case 'none':
      return [];
  }
}

/** An answer to Fixed with the satisfaction question under it (when there is one to show). */
export function withSatisfaction(
  answer: Presentation,
  i: Incident,
  question?: SatisfactionQuestion,
): Presentation {
  if (!question) return answer;
  return { ...answer, sections: [...answer.sections, ...satisfactionSections(i, question)] };
}

/** What a press of 👍 / 👎 did: thanked, or told it was answered before (the first answer stands). */
export function presentSatisfactionAnswer(
  i: Incident,
  out: { outcome: 'recorded' | 'already_answered'; rating: Rating; commented: boolean },
): Presentation {
  const ref = formatReference(i.number);
  return {
    text: [
      out.outcome === 'recorded' ? `Thank you for your answer about ${ref}` : `${ref} was answered already`,
    ],
    sections: thanks(i, out.rating, out.commented, out.outcome === 'already_answered'),
    actions: [],
  };
}

/** The comment form's words, shared by Slack's modal and the Teams dialog. */
export const SATISFACTION_FORM = {
  /** Slack cuts a modal's title at 24 characters; every platform shows the same. */
  title: (i: { number: number }) => `Comment on ${formatReference(i.number)}`.slice(0, 24),
  heading: (i: { number: number }, rating: Rating): Rich => [
    `You answered ${said(rating)} about `,
    bold(formatReference(i.number)),
    '. Anything the school office should know about how it was dealt with?',
  ],
  comment: 'Your comment',
  placeholder: 'e.g. Fixed before my next lesson, thank you',
  hint: SATISFACTION_READERS,
  submit: 'Send',
  cancel: 'Cancel',
  sentTitle: 'Thank you',
  done: 'Done',
} as const;

/** What replaces the comment form once the comment is kept. */
export const satisfactionCommentSent = (i: { number: number }): Rich => [
  emoji(':pray:'),
  ' Thank you — your comment on ',
  bold(formatReference(i.number)),
  ' is with the school office.',
];
