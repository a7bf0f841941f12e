/**
 * The words of the incident forms (the staff forms opened from an incident card, and the
 * reporter's comment form), decided once for every chat platform: each form's title, its fields'
 * labels and hints, its submit button, and the sentences said around it (no providers yet, nothing
 * to resume, a closed fault). Slack's modals and Teams' dialogs lay them out in their own way; the
 * limits are the domain's own constants, beside each command.
 */

import type { HoldReason } from '../incidents/hold-incident';
import { formatReference } from '../incidents/reference';
import type { Status } from '../incidents/state-machine';
import { REPORTER_STATUS } from './notices';
import { bold, emoji, italic, type Rich, typed } from './presentation';

/** The reference and summary a form opens with. */
export interface FormIncident {
  number: number;
  summary: string;
}

/** The line a staff form opens with: the reference in bold, then the summary. */
export const formHeading = (i: FormIncident): Rich => [
  bold(formatReference(i.number)),
  ' · ',
  typed(i.summary, 200),
];

/**
 * The lines the reporter's comment form opens with: the reference and summary, then where their
 * fault is up to in their own words. Each platform puts its own line break between them.
 */
export const commentHeading = (i: FormIncident & { status: Status }): Rich[] => [
  [bold(formatReference(i.number)), ' — ', typed(i.summary, 200)],
  [italic(REPORTER_STATUS[i.status])],
];

export const TRIAGE_FORM = {
  title: (i: FormIncident) => `Triage ${formatReference(i.number)}`,
  submit: 'Save',
  impact: 'Who is affected?',
  urgency: 'How urgent?',
  category: 'Category',
  priorityNote: 'Priority follows from who is affected and how urgent it is (FITS matrix).',
} as const;

export const RESOLVE_FORM = {
  title: (i: { number: number }) => `Resolve ${formatReference(i.number)}`,
  submit: 'Resolve',
  resolution: 'What was done?',
  resolutionHint: 'The reporter sees this, so keep it in plain words.',
  /** Offered only when triage never set one. */
  category: 'Category',
} as const;

export const FORWARD_FORM = {
  title: (i: FormIncident) => `Forward ${formatReference(i.number)}`,
  submit: 'Forward',
  technician: 'A technician',
  technicianHint: 'They are told by direct message, with a link to the card.',
  provider: '…or a first-level provider',
} as const;

export const ESCALATE_FORM = {
  title: (i: FormIncident) => `Escalate ${formatReference(i.number)}`,
  submit: 'Escalate',
  provider: 'Provider',
  providerRef: 'Their reference',
  providerRefHint: 'If they have given one yet; you can add it later with Provider update.',
  note: 'Note for the provider',
  noteHint: 'What is wrong and what has been tried. It goes to the provider with the incident’s details.',
  /** The title of what replaces the form when the summary goes to the provider's channel. */
  postedTitle: 'Escalated',
  /** What replaces the form says this before the provider's channel. */
  postedIn: ' The summary is being posted in ',
  /** The title of what replaces the form when the SPOC has an email to send. */
  emailTitle: 'Send this email',
  done: 'Done',
  openEmail: 'Open in my email',
} as const;

export const PROVIDER_UPDATE_FORM = {
  title: 'Provider update',
  submit: 'Save',
  note: 'What did they say or do?',
  noteHint: 'Staff only: the person who reported it is told where it stands, not what the provider said.',
  providerRef: 'Their reference',
} as const;

export const HAND_BACK_FORM = {
  title: 'Hand back',
  submit: 'Hand back',
  note: 'Note',
  noteHint: 'What they did, or what is left for the school to do. Staff only: the reporter is not shown it.',
  /** The line over the note, with the provider's name (or "The provider") first. */
  returned: ' has returned it to the school: it goes back in progress, ready to resolve.',
  someProvider: 'The provider',
} as const;

/** The line over the hand-back note: the provider by name (or "The provider") has returned it. */
export const handedBackLine = (providerName: string | null | undefined): Rich => [
  providerName ? bold(typed(providerName, 100)) : HAND_BACK_FORM.someProvider,
  HAND_BACK_FORM.returned,
];

export const HOLD_FORM = {
  title: 'Put on hold',
  submit: 'Put on hold',
  reason: 'What is it waiting for?',
  detail: 'Details',
  detailHint: 'Needed for “something else”. The reporter is told what it is waiting for.',
  slaNote: 'The SLA clock is paused while it is on hold.',
} as const;

/** The reasons a hold offers, as the form lists them. */
export const HOLD_REASON_LABELS: Record<HoldReason, string> = {
  parts: 'Waiting for parts',
  user: 'Waiting for the person who reported it',
  other: 'Something else (say what)',
};

export const NOTE_FORM = {
  title: (i: FormIncident) => `Staff note on ${formatReference(i.number)}`,
  submit: 'Add',
  note: 'Staff note',
  link: 'Link',
  linkPlaceholder: 'https://…',
  linkHint: 'A photo or document link, if it helps.',
  /** Who will read it, said where it is written. */
  audience:
    'Staff only: it goes in the card’s thread, and the person who reported it never sees it. To write to them, use Reply to the reporter.',
} as const;

/** The office merging a duplicate into the incident it repeats. */
export const MERGE_FORM = {
  title: (i: FormIncident) => `Merge ${formatReference(i.number)}`,
  submit: 'Merge',
  into: 'Which incident does it repeat?',
  intoPlaceholder: 'e.g. INC-13',
  intoHint:
    'This one is closed as merged. Its reporter, and anyone following it, follow that one instead and are told when it is fixed.',
} as const;

/** Staff writing to the person who reported the fault. */
export const REPLY_FORM = {
  title: (i: FormIncident) => `Reply on ${formatReference(i.number)}`,
  submit: 'Send',
  note: 'Message to the reporter',
  link: 'Link',
  linkPlaceholder: 'https://…',
  linkHint: 'A guide or a page that helps them, if any.',
  audience:
    'Sent to the person who reported it, by direct message on their fault’s status message, and kept in the incident’s history. For staff eyes only, use Add a staff note.',
} as const;

export const CLOSE_FORM = {
  title: (i: FormIncident) => `Close ${formatReference(i.number)}`,
  submit: 'Close incident',
  /** The note's label: optional once resolved, a reason when closing without a fix. */
  note: (resolved: boolean) => (resolved ? 'Note' : 'Why is it being closed without a fix?'),
  noteHint: 'e.g. Duplicate of INC-3, or not an ICT fault. The reporter is told.',
  noteMax: 3000,
} as const;

export const COMMENT_FORM = {
  /** Slack cuts a modal's title at 24 characters; every platform shows the same. */
  title: (i: FormIncident) => `Add to ${formatReference(i.number)}`.slice(0, 24),
  submit: 'Send',
  note: 'What would you like to add?',
  notePlaceholder: 'e.g. It is still showing "No signal" after a restart',
  link: 'Link to a photo',
  linkHint: 'A link to a photo or screenshot, e.g. from OneDrive or Google Drive.',
  linkPlaceholder: 'https://…',
  sentTitle: 'Sent',
  done: 'Done',
} as const;

/** What replaces the reporter's comment form once it is recorded. */
export function commentSentText(i: { number: number }, toldSomeone: boolean): Rich {
  return [
    emoji(':speech_balloon:'),
    ' Thanks — that is added to ',
    bold(formatReference(i.number)),
    toldSomeone ? ' and whoever is fixing it has been told.' : ' for the ICT team.',
  ];
}

/** Escalate, when the register has nobody to escalate to. */
export const NO_ESCALATION_PROVIDERS: Rich = [
  'There are no second-level providers or suppliers in the register yet: add one with ',
  { command: 'spoc providers' },
  '.',
];

/** Forward, when the register has no first-level providers. */
export const NO_FIRST_LEVEL_PROVIDERS: Rich = [
  'No first-level providers in the register yet (',
  { command: 'spoc providers' },
  ').',
];

/** Resume pressed again (or a double click): someone already took it off hold. */
export function notOnHoldAnyMore(i: { number: number }): string {
  return `${formatReference(i.number)} is not on hold any more, so there is nothing to resume.`;
}

/** The reporter's comment button on a closed fault. */
export const COMMENT_CLOSED: Rich = [
  'That fault is closed, so it cannot take comments any more. If it is broken again, report it with ',
  { command: 'fault' },
  '.',
];

/** Who an escalation went to, as what replaces the escalate form names them. */
export interface EscalatedTo {
  incident: { number: number };
  provider: { name: string; chatChannel: string; phone: string };
}

const escalatedTo = (s: EscalatedTo): Rich => [
  emoji(':telephone_receiver:'),
  ' ',
  bold(formatReference(s.incident.number)),
  ' is escalated to ',
  bold(typed(s.provider.name, 100)),
  '.',
];

/**
 * What replaces the escalate form when the summary goes to the provider's chat channel, up to the
 * channel's name: a platform that links a channel its own way (Slack's `<#C…>`) puts it after this,
 * then a full stop.
 */
export function escalationPostedLead(s: EscalatedTo): Rich {
  return [...escalatedTo(s), ESCALATE_FORM.postedIn];
}

/** Replaces the escalate form when the summary goes to the provider's chat channel. */
export function escalationPostedText(s: EscalatedTo): Rich {
  return [...escalationPostedLead(s), `#${s.provider.chatChannel}.`];
}

/** Replaces the escalate form when the provider has no chat channel: the email comes next. */
export function escalationEmailIntro(s: EscalatedTo): Rich {
  return [
    ...escalatedTo(s),
    ' They have no chat channel here, so send them this email (copy it, or open it in your email app):',
  ];
}

/** Who the email goes to and its subject, or that the register has no address for them. */
export function emailHeading(
  draft: { to: string; subject: string },
  provider: { name: string; phone: string },
): Rich {
  const subject: Rich = [bold('Subject:'), ' ', typed(draft.subject, 500)];
  if (draft.to) return [bold('To:'), ' ', draft.to, '\n', ...subject];
  return [
    bold('No email address is recorded for ', typed(provider.name, 100)),
    ' — add one with ',
    { command: 'spoc providers' },
    '.',
    provider.phone ? ` Their phone: ${provider.phone}.` : '',
    '\n',
    ...subject,
  ];
}

/** Under an email with an address: the provider's phone, when the register has one. */
export const orPhone = (phone: string): Rich => [`Or phone ${phone}.`];

/** A press on a card posted before its button opened a form: the card comes back with it. */
export const PRESS_AGAIN = 'That button opens a form now: press it again.';
