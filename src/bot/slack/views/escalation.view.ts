/**
 * What a support provider receives, in Slack: the escalation summary posted in their chat channel,
 * or the ready-to-send email the SPOC copies when they have none — and the same for a chase. The
 * email itself (to, subject, body, mailto link) is `presenters/escalation-email.ts`, and the words
 * of what replaces the escalate form are `presenters/incident-forms.ts`, both shared with Teams;
 * this file lays them out as Block Kit. Names rather than Slack mentions in what the provider
 * reads, since they are outside the school.
 */
import type { KnownBlock, ModalView, RichTextBlock } from '@slack/types';
import type { EscalationSummaryData } from '../../../db/queries/escalations';
import type { ProviderRow } from '../../../db/queries/supply';
import { formatReference } from '../../../domain/incidents/reference';
import {
  chasedInChannelLead,
  chasedInChannelTail,
  chaseEmail,
  chaseEmailIntro,
  type EmailDraft,
  escalationEmail,
  factLines,
  historyLines,
  mailtoOf,
} from '../../../domain/presenters/escalation-email';
import {
  ESCALATE_FORM,
  emailHeading,
  escalationEmailIntro,
  escalationPostedLead,
  orPhone,
} from '../../../domain/presenters/incident-forms';
import { ACTION } from '../ids';
import { clip, esc, escClip, md, plain, sectionsOf } from './format';
import type { SlackMessage } from './incident-card.view';
import { mrkdwn } from './render';

/**
 * The email drafts, kept importable from here for callers written before they moved to the
 * presenters; new code imports `presenters/escalation-email.ts`.
 */
export { type EmailDraft, escalationEmail, mailtoOf } from '../../../domain/presenters/escalation-email';

/** The escalation (or a chase) posted in the provider's chat channel. */
export function providerChannelView(s: EscalationSummaryData, chase?: number): SlackMessage {
  const i = s.incident;
  const ref = formatReference(i.number);
  const heading = chase
    ? `:mega: *Chasing ${ref}* from ${esc(s.schoolName)}${s.escalation.providerRef ? ` (your ref ${escClip(s.escalation.providerRef, 100)})` : ''}: we haven't had an answer yet. Could you let us know where it is up to?`
    : `:telephone_receiver: *${esc(s.schoolName)}* has escalated *${ref}* to you: ${escClip(i.summary, 200)}`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(heading) },
    {
      type: 'section',
      text: md(
        factLines(s)
          .map((l) => escClip(l, 400))
          .join('\n'),
      ),
    },
  ];
  if (!chase) {
    if (i.description)
      blocks.push({ type: 'section', text: md(`*What is wrong*\n${escClip(i.description, 1500)}`) });
    if (s.escalation.note)
      blocks.push({ type: 'section', text: md(`*Our note*\n${escClip(s.escalation.note, 1500)}`) });
    blocks.push(
      ...sectionsOf(['*History*', ...historyLines(s.events, s.timezone).map((l) => `• ${escClip(l, 400)}`)]),
    );
  }
  blocks.push({
    type: 'context',
    elements: [
      md(
        `Contact: ${esc(s.contactName || 'the ICT support team')}, ${esc(s.schoolName)}. Please reply in this channel and quote ${ref}.`,
      ),
    ],
  });
  return {
    text: chase
      ? `Chasing ${ref} from ${s.schoolName}`
      : `${s.schoolName} escalated ${ref}: ${clip(i.summary, 150)}`,
    blocks: blocks.slice(0, 50),
  };
}

/** Blocks that show an email ready to copy: who to, subject, the body as preformatted text, a mailto button. */
function emailBlocks(draft: EmailDraft, provider: ProviderRow): KnownBlock[] {
  const body: RichTextBlock = {
    type: 'rich_text',
    elements: [
      { type: 'rich_text_preformatted', elements: [{ type: 'text', text: clip(draft.body, 2900) }] },
    ],
  };
  const blocks: KnownBlock[] = [{ type: 'section', text: md(mrkdwn(emailHeading(draft, provider))) }, body];
  const url = mailtoOf(draft);
  if (url) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: ACTION.emailLink, text: plain(ESCALATE_FORM.openEmail), url }],
    });
  }
  if (provider.phone && draft.to)
    blocks.push({ type: 'context', elements: [md(mrkdwn(orPhone(provider.phone)))] });
  return blocks;
}

/** Replaces the escalate form once submitted, when the provider has no chat channel: the email to send. */
export function escalationEmailModalView(s: EscalationSummaryData): ModalView {
  const draft = escalationEmail(s);
  return {
    type: 'modal',
    title: plain(ESCALATE_FORM.emailTitle),
    close: plain(ESCALATE_FORM.done),
    blocks: [
      { type: 'section', text: md(mrkdwn(escalationEmailIntro(s))) },
      ...emailBlocks(draft, s.provider),
    ],
  };
}

/** Replaces the escalate form when the summary goes to the provider's chat channel. */
export function escalationPostedModalView(s: EscalationSummaryData): ModalView {
  return {
    type: 'modal',
    title: plain(ESCALATE_FORM.postedTitle),
    close: plain(ESCALATE_FORM.done),
    blocks: [
      // Slack links the channel itself, so the presenter's words stop short of its name.
      { type: 'section', text: md(`${mrkdwn(escalationPostedLead(s))}<#${s.provider.chatChannel}>.`) },
    ],
  };
}

/** What the person who pressed Chase sees: the email to send, or where the chase was posted. */
export function chaseReplyView(s: EscalationSummaryData, via: 'channel' | 'email'): SlackMessage {
  const ref = formatReference(s.incident.number);
  if (via === 'channel') {
    const text = `${mrkdwn(chasedInChannelLead(s))}<#${s.provider.chatChannel}>${mrkdwn(chasedInChannelTail(s))}`;
    return { text: `Chased ${s.provider.name} about ${ref}`, blocks: [{ type: 'section', text: md(text) }] };
  }
  const draft = chaseEmail(s);
  return {
    text: `Chase ${s.provider.name} about ${ref}: send this email`,
    blocks: [
      {
        type: 'section',
        text: md(mrkdwn(chaseEmailIntro(s))),
      },
      ...emailBlocks(draft, s.provider),
    ],
  };
}
