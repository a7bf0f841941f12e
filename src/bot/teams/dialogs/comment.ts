/**
 * The reporter's "Add a comment or photo link", as a Teams dialog opened from the button on their
 * personal notice: the same fields, words and limits as Slack's comment modal, and the same
 * command (`commentOnIncident`, which checks that they reported it). Recorded once per form id
 * (kind `teams.comment`); once sent the dialog says so, as Slack's modal does.
 */
import { commentOnIncident, LINK_MAX, NOTE_MAX } from '../../../domain/incidents/comment-incident';
import { getIncident } from '../../../domain/incidents/list-incidents';
import {
  COMMENT_CLOSED,
  COMMENT_FORM,
  commentHeading,
  commentSentText,
} from '../../../domain/presenters/incident-forms';
import { plainText, renderText } from '../render/adaptive-card';
import { taskCard } from './dialog';
import { incidentFormDialog } from './incident-form';

export const commentDialog = incidentFormDialog({
  verb: 'reporter.comment',
  kind: 'teams.comment',
  fields: ['note', 'link'],
  fallbackField: 'note',
  logged: 'reporter commented',
  async view(ctx, incidentId) {
    const found = await getIncident(ctx, { ref: incidentId });
    if (!found.ok) return { refusal: found.error.message };
    const i = found.value.incident;
    if (i.status === 'closed') return { refusal: plainText(COMMENT_CLOSED) };
    return {
      title: COMMENT_FORM.title(i),
      heading: commentHeading(i)
        .map((line) => renderText(line))
        .join('\n\n'),
      submit: COMMENT_FORM.submit,
      items: [
        {
          kind: 'text',
          id: 'note',
          label: COMMENT_FORM.note,
          required: true,
          multiline: true,
          max: NOTE_MAX,
          placeholder: COMMENT_FORM.notePlaceholder,
        },
        {
          kind: 'text',
          id: 'link',
          label: COMMENT_FORM.link,
          max: LINK_MAX,
          placeholder: COMMENT_FORM.linkPlaceholder,
          hint: COMMENT_FORM.linkHint,
        },
      ],
    };
  },
  run: (ctx, incidentId, v, formId) =>
    commentOnIncident(ctx, { incidentId, note: v.note ?? '', link: v.link, submissionKey: formId }),
  keep: (out, ctx) => {
    const { incident } = out;
    // commentOnIncident tells whoever has the incident when its reporter adds something.
    const told =
      incident.reporterId === ctx.actor.personId &&
      Boolean(incident.assigneeId && incident.assigneeId !== ctx.actor.personId);
    return { number: incident.number, told };
  },
  after: async (_deps, _ctx, kept) =>
    taskCard(COMMENT_FORM.sentTitle, {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: [
        {
          type: 'TextBlock',
          text: renderText(commentSentText({ number: Number(kept.number) }, kept.told === true)),
          wrap: true,
        },
      ],
    }),
});
