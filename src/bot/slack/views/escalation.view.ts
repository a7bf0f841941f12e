/**
 * What a support provider receives: the escalation summary posted in their chat channel, or the
 * ready-to-send email the SPOC copies when they have none — and the same for a chase. Plain text
 * for email; names rather than Slack mentions, since the provider is outside the school.
 */
import type { KnownBlock, ModalView, RichTextBlock } from '@slack/types';
import type { EscalationSummaryData } from '../../../db/queries/escalations';
import type { IncidentEventDetail } from '../../../db/queries/incidents';
import type { ProviderRow } from '../../../db/queries/supply';
import { CATEGORY_LABELS, IMPACT_LABELS, URGENCY_LABELS } from '../../../domain/incidents/priority';
import { formatReference } from '../../../domain/incidents/reference';
import { ACTION } from '../ids';
import { clip, esc, escClip, md, plain, sectionsOf } from './format';
import type { SlackMessage } from './incident-card.view';

export interface EmailDraft {
  /** The provider's email address; empty when the register has none. */
  to: string;
  subject: string;
  body: string;
}

/** Date and time as the school reads it: "Mon 30 Nov 2026, 09:15". */
export function plainDateTime(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

const HISTORY_LABELS: Record<string, string> = {
  reported: 'Reported',
  triaged: 'Triaged',
  claimed: 'Taken on',
  assigned: 'Given to a technician',
  forwarded: 'Forwarded to first-line support',
  escalated: 'Escalated',
  provider_update: 'Update from the provider',
  handed_back: 'Handed back',
  chased: 'Chased',
  on_hold: 'Put on hold',
  resumed: 'Taken off hold',
  comment: 'Note',
  resolved: 'Resolved',
  reopened: 'Reopened',
  confirmed: 'Confirmed fixed',
  closed: 'Closed',
};

/** The incident's history as plain lines (newest last), for someone outside the school. */
export function historyLines(events: IncidentEventDetail[], timezone: string, max = 15): string[] {
  const lines = events.map((e) => {
    const label = HISTORY_LABELS[e.kind] ?? e.kind;
    const note =
      typeof e.data.note === 'string' && e.data.note
        ? `: ${clip(e.data.note.replace(/\s+/g, ' '), 300)}`
        : typeof e.data.resolution === 'string'
          ? `: ${clip(e.data.resolution.replace(/\s+/g, ' '), 300)}`
          : '';
    return `${plainDateTime(e.createdAt, timezone)} — ${label}${e.actorName ? ` by ${e.actorName}` : ''}${note}`;
  });
  return lines.length > max ? [`(${lines.length - max} earlier entries)`, ...lines.slice(-max)] : lines;
}

/** The facts a provider needs, as plain "Label: value" lines. */
function factLines(s: EscalationSummaryData): string[] {
  const i = s.incident;
  const asset = s.asset
    ? [
        s.asset.tag,
        [s.asset.make, s.asset.model].filter(Boolean).join(' '),
        s.asset.serial ? `serial ${s.asset.serial}` : '',
      ]
        .filter(Boolean)
        .join(' — ')
    : null;
  return [
    `Our reference: ${formatReference(i.number)} (${s.schoolName})`,
    `Your reference: ${s.escalation.providerRef || 'please send us yours'}`,
    `Summary: ${i.summary}`,
    `Priority: ${i.priority} (${IMPACT_LABELS[i.impact].toLowerCase()}; ${URGENCY_LABELS[i.urgency].toLowerCase()})`,
    ...(i.category ? [`Category: ${CATEGORY_LABELS[i.category]}`] : []),
    `Location: ${i.locationName ?? 'not given'}`,
    `Asset: ${asset ?? 'none recorded'}`,
    `Reported: ${plainDateTime(i.createdAt, s.timezone)} by ${i.reporterName}`,
  ];
}

function signOff(s: EscalationSummaryData): string[] {
  return [
    'Thank you,',
    s.contactName || 'The ICT support team',
    `${s.schoolName} — ICT single point of contact`,
  ];
}

/** The email to send a provider with no chat channel: subject and a plain-text body. */
export function escalationEmail(s: EscalationSummaryData): EmailDraft {
  const i = s.incident;
  const ref = formatReference(i.number);
  const theirs = s.escalation.providerRef ? ` (your ref ${s.escalation.providerRef})` : '';
  const body = [
    `Hello ${s.provider.contactName || s.provider.name},`,
    '',
    `${s.schoolName} would like your help with a fault we cannot fix ourselves.`,
    '',
    ...factLines(s),
    '',
    'What is wrong:',
    i.description || i.summary,
    '',
    'Our note:',
    s.escalation.note || '—',
    '',
    'History so far:',
    ...historyLines(s.events, s.timezone).map((l) => `- ${l}`),
    '',
    `Please reply with your reference number and quote ${ref} in any reply.`,
    '',
    ...signOff(s),
  ].join('\n');
  return { to: s.provider.email, subject: `${ref}${theirs}: ${i.summary} — ${s.schoolName}`, body };
}

/** The email chasing a provider who has not answered. */
export function chaseEmail(s: EscalationSummaryData): EmailDraft {
  const i = s.incident;
  const ref = formatReference(i.number);
  const theirs = s.escalation.providerRef ? ` (your ref ${s.escalation.providerRef})` : '';
  const due = s.escalation.lastChasedAt ? null : s.escalation.respondBy;
  const body = [
    `Hello ${s.provider.contactName || s.provider.name},`,
    '',
    `We passed you ${ref}${theirs} — "${i.summary}" — on ${plainDateTime(s.escalation.escalatedAt, s.timezone)}` +
      (due ? ` and hoped to hear back by ${plainDateTime(due, s.timezone)}.` : '.'),
    "We haven't had an answer yet. Could you let us know where it is up to, and when you expect to respond?",
    '',
    ...factLines(s),
    '',
    ...signOff(s),
  ].join('\n');
  return { to: s.provider.email, subject: `Chasing ${ref}${theirs}: ${i.summary}`, body };
}

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

/** A mailto: link with the draft filled in, kept within Slack's 3000-character button URL. */
export function mailtoOf(draft: EmailDraft): string | null {
  if (!draft.to) return null;
  const base = `mailto:${encodeURIComponent(draft.to)}?subject=${encodeURIComponent(draft.subject)}`;
  let body = draft.body;
  for (;;) {
    const url = `${base}&body=${encodeURIComponent(body)}`;
    if (url.length <= 3000) return url;
    if (body.length < 200) return base.length <= 3000 ? base : null;
    body = `${body.slice(0, Math.floor(body.length * 0.8))}\n…`;
  }
}

/** Blocks that show an email ready to copy: who to, subject, the body as preformatted text, a mailto button. */
function emailBlocks(draft: EmailDraft, provider: ProviderRow): KnownBlock[] {
  const body: RichTextBlock = {
    type: 'rich_text',
    elements: [
      { type: 'rich_text_preformatted', elements: [{ type: 'text', text: clip(draft.body, 2900) }] },
    ],
  };
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: md(
        draft.to
          ? `*To:* ${esc(draft.to)}\n*Subject:* ${escClip(draft.subject, 500)}`
          : `*No email address is recorded for ${escClip(provider.name, 100)}* — add one with \`/spoc providers\`.${provider.phone ? ` Their phone: ${esc(provider.phone)}.` : ''}\n*Subject:* ${escClip(draft.subject, 500)}`,
      ),
    },
    body,
  ];
  const url = mailtoOf(draft);
  if (url) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: ACTION.emailLink, text: plain('Open in my email'), url }],
    });
  }
  if (provider.phone && draft.to)
    blocks.push({ type: 'context', elements: [md(`Or phone ${esc(provider.phone)}.`)] });
  return blocks;
}

/** Replaces the escalate form once submitted, when the provider has no chat channel: the email to send. */
export function escalationEmailModalView(s: EscalationSummaryData): ModalView {
  const draft = escalationEmail(s);
  return {
    type: 'modal',
    title: plain('Send this email'),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: md(
          `:telephone_receiver: *${formatReference(s.incident.number)}* is escalated to *${escClip(s.provider.name, 100)}*. They have no chat channel here, so send them this email (copy it, or open it in your email app):`,
        ),
      },
      ...emailBlocks(draft, s.provider),
    ],
  };
}

/** Replaces the escalate form when the summary goes to the provider's chat channel. */
export function escalationPostedModalView(s: EscalationSummaryData): ModalView {
  return {
    type: 'modal',
    title: plain('Escalated'),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: md(
          `:telephone_receiver: *${formatReference(s.incident.number)}* is escalated to *${escClip(s.provider.name, 100)}*. The summary is being posted in <#${s.provider.chatChannel}>.`,
        ),
      },
    ],
  };
}

/** What the person who pressed Chase sees: the email to send, or where the chase was posted. */
export function chaseReplyView(s: EscalationSummaryData, via: 'channel' | 'email'): SlackMessage {
  const ref = formatReference(s.incident.number);
  if (via === 'channel') {
    const text = `:mega: Chased *${escClip(s.provider.name, 100)}* about *${ref}* in <#${s.provider.chatChannel}>.${s.provider.phone ? ` Their phone: ${esc(s.provider.phone)}.` : ''}`;
    return { text: `Chased ${s.provider.name} about ${ref}`, blocks: [{ type: 'section', text: md(text) }] };
  }
  const draft = chaseEmail(s);
  return {
    text: `Chase ${s.provider.name} about ${ref}: send this email`,
    blocks: [
      {
        type: 'section',
        text: md(`:mega: Chase *${escClip(s.provider.name, 100)}* about *${ref}* — send them this email:`),
      },
      ...emailBlocks(draft, s.provider),
    ],
  };
}
