/**
 * The email a support provider receives when they have no chat channel: the escalation, or a
 * chase when they have not answered. Decided once for every chat platform: Slack's modal and
 * Teams' dialog show the same draft (to, subject, plain-text body) and the same mailto link, each
 * laid out in its own way. Plain text, and names rather than chat mentions, since the provider is
 * outside the school. The facts and history lines are shared with the summary posted in a
 * provider's chat channel.
 */
import type { EscalationSummaryData } from '../../db/queries/escalations';
import type { IncidentEventDetail } from '../../db/queries/incidents';
import { CATEGORY_LABELS, IMPACT_LABELS, URGENCY_LABELS } from '../incidents/priority';
import { formatReference } from '../incidents/reference';
import type { EscalatedTo } from './incident-forms';
import { bold, emoji, type Rich, typed } from './presentation';

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

/** What each kind of incident event is called in the history a provider reads. */
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

/** Cuts text to `max` characters, with an ellipsis when it was longer. */
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The incident's history as plain lines (newest last), for someone outside the school. */
export function historyLines(events: IncidentEventDetail[], timezone: string, max = 15): string[] {
  const lines = events.map((e) => {
    const label = HISTORY_LABELS[e.kind] ?? e.kind;
    const note =
      typeof e.data.note === 'string' && e.data.note
        ? `: ${cut(e.data.note.replace(/\s+/g, ' '), 300)}`
        : typeof e.data.resolution === 'string'
          ? `: ${cut(e.data.resolution.replace(/\s+/g, ' '), 300)}`
          : '';
    return `${plainDateTime(e.createdAt, timezone)} — ${label}${e.actorName ? ` by ${e.actorName}` : ''}${note}`;
  });
  return lines.length > max ? [`(${lines.length - max} earlier entries)`, ...lines.slice(-max)] : lines;
}

/** The facts a provider needs, as plain "Label: value" lines (the email's, and the channel post's). */
export function factLines(s: EscalationSummaryData): string[] {
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

/**
 * The longest mailto link offered: Slack refuses a button URL over 3000 characters, and email apps
 * cope badly with longer links anyway, so every platform offers the same one.
 */
export const MAILTO_MAX = 3000;

/**
 * A mailto: link with the draft filled in, the body shortened (marked with "…") until the link
 * fits `MAILTO_MAX`; null when there is no address, or not even the subject fits.
 */
export function mailtoOf(draft: EmailDraft): string | null {
  if (!draft.to) return null;
  const base = `mailto:${encodeURIComponent(draft.to)}?subject=${encodeURIComponent(draft.subject)}`;
  let body = draft.body;
  for (;;) {
    const url = `${base}&body=${encodeURIComponent(body)}`;
    if (url.length <= MAILTO_MAX) return url;
    if (body.length < 200) return base.length <= MAILTO_MAX ? base : null;
    body = `${body.slice(0, Math.floor(body.length * 0.8))}\n…`;
  }
}

/** "📣 Chase(d) **County ICT** about **INC-1**": how the presser of Chase is told who and what. */
const chaseOf = (done: 'Chase' | 'Chased', s: EscalatedTo): Rich => [
  emoji(':mega:'),
  ` ${done} `,
  bold(typed(s.provider.name, 100)),
  ' about ',
  bold(formatReference(s.incident.number)),
];

/**
 * Said to whoever pressed Chase when the provider has a chat channel, up to the channel's name: a
 * platform that links a channel its own way (Slack's `<#C…>`) puts it after this, then
 * `chasedInChannelTail`.
 */
export const chasedInChannelLead = (s: EscalatedTo): Rich => [...chaseOf('Chased', s), ' in '];

/** What follows the channel's name: a full stop, and the provider's phone when the register has it. */
export const chasedInChannelTail = (s: EscalatedTo): Rich => [
  '.',
  s.provider.phone ? ` Their phone: ${s.provider.phone}.` : '',
];

/** Said to whoever pressed Chase when the provider has a chat channel, the channel named `#C…`. */
export const chasedInChannelText = (s: EscalatedTo): Rich => [
  ...chasedInChannelLead(s),
  `#${s.provider.chatChannel}`,
  ...chasedInChannelTail(s),
];

/** Said to whoever pressed Chase when the provider has no chat channel: the email (`chaseEmail`) comes next. */
export const chaseEmailIntro = (s: EscalatedTo): Rich => [...chaseOf('Chase', s), ' — send them this email:'];
