/**
 * The incident lifecycle, as one pure function. Every status change in every
 * command goes through `transition`; an illegal one is a domain error, never a crash.
 *
 * new → triaged → assigned → in_progress → (escalated ⇄ in_progress) → resolved → closed,
 * on_hold from any open state, reopened → assigned from resolved.
 *
 * Some actions record something without moving the incident (a note, a provider's update, a
 * chase): their rule keeps the status, but they are still refused where they make no sense.
 */
import type { DomainError } from '../result';

export const STATUSES = [
  'new',
  'triaged',
  'assigned',
  'in_progress',
  'escalated',
  'on_hold',
  'resolved',
  'reopened',
  'closed',
] as const;
export type Status = (typeof STATUSES)[number];

export const OPEN_STATUSES: readonly Status[] = STATUSES.filter((s) => s !== 'resolved' && s !== 'closed');

export function isOpen(status: Status): boolean {
  return OPEN_STATUSES.includes(status);
}

/** What a person does to an incident; each action has its own allowed source statuses. */
export type Action =
  | 'triage'
  | 'assign'
  | 'claim'
  | 'start'
  | 'escalate'
  | 'hold'
  | 'resume'
  /** Off hold, back with the provider who still has it (an escalation was open when it was held). */
  | 'resume_escalated'
  | 'resolve'
  | 'reopen'
  | 'close'
  /** A staff note or the reporter's comment: any status but closed; the status stays. */
  | 'note'
  /** The provider's update on an escalation; the status stays. */
  | 'provider_update'
  /** The SPOC chases the provider; the status stays. */
  | 'chase';

interface Rule {
  from: readonly Status[];
  /** Where the action leads; `'same'` records it without moving the incident. */
  to: Status | 'same';
}

const NOT_CLOSED: readonly Status[] = [
  'new',
  'triaged',
  'assigned',
  'in_progress',
  'escalated',
  'on_hold',
  'resolved',
  'reopened',
];

const RULES: Record<Action, Rule> = {
  triage: { from: ['new'], to: 'triaged' },
  assign: { from: ['new', 'triaged', 'assigned', 'in_progress', 'reopened'], to: 'assigned' },
  // Claiming means "I'm on it": the claimer owns it and work has started.
  claim: { from: ['new', 'triaged', 'assigned', 'reopened'], to: 'in_progress' },
  start: { from: ['assigned', 'reopened'], to: 'in_progress' },
  escalate: { from: ['triaged', 'assigned', 'in_progress'], to: 'escalated' },
  hold: { from: ['new', 'triaged', 'assigned', 'in_progress', 'escalated', 'reopened'], to: 'on_hold' },
  resume: { from: ['on_hold', 'escalated'], to: 'in_progress' },
  resume_escalated: { from: ['on_hold'], to: 'escalated' },
  resolve: {
    from: ['new', 'triaged', 'assigned', 'in_progress', 'escalated', 'on_hold', 'reopened'],
    to: 'resolved',
  },
  reopen: { from: ['resolved'], to: 'reopened' },
  close: {
    from: ['new', 'triaged', 'assigned', 'in_progress', 'escalated', 'on_hold', 'reopened', 'resolved'],
    to: 'closed',
  },
  note: { from: NOT_CLOSED, to: 'same' },
  // Held while with the provider (waiting for their parts): their updates and chases still count.
  provider_update: { from: ['escalated', 'on_hold'], to: 'same' },
  chase: { from: ['escalated', 'on_hold'], to: 'same' },
};

/** Re-triaging (changing priority or category) is allowed on any open incident without moving it. */
const RETRIAGE_FROM: readonly Status[] = [
  'triaged',
  'assigned',
  'in_progress',
  'escalated',
  'on_hold',
  'reopened',
];

export const STATUS_LABELS: Record<Status, string> = {
  new: 'New',
  triaged: 'Triaged',
  assigned: 'Assigned',
  in_progress: 'In progress',
  escalated: 'Escalated',
  on_hold: 'On hold',
  resolved: 'Resolved',
  reopened: 'Reopened',
  closed: 'Closed',
};

const ACTION_VERBS: Record<Action, string> = {
  triage: 'triaged',
  assign: 'assigned',
  claim: 'claimed',
  start: 'started',
  escalate: 'escalated',
  hold: 'put on hold',
  resume: 'resumed',
  resume_escalated: 'resumed',
  resolve: 'resolved',
  reopen: 'reopened',
  close: 'closed',
  note: 'commented on',
  provider_update: 'updated by a provider',
  chase: 'chased',
};

export type Transition = { ok: true; to: Status } | { ok: false; error: DomainError };

export function transition(from: Status, action: Action): Transition {
  const rule = RULES[action];
  if (rule.from.includes(from)) return { ok: true, to: rule.to === 'same' ? from : rule.to };
  if (action === 'triage' && RETRIAGE_FROM.includes(from)) return { ok: true, to: from };
  return {
    ok: false,
    error: {
      code: 'INCIDENT.ILLEGAL_TRANSITION',
      message: `This incident is ${STATUS_LABELS[from].toLowerCase()}, so it can't be ${ACTION_VERBS[action]}.`,
    },
  };
}
