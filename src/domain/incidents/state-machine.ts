/**
 * The incident lifecycle (DESIGN.md §2), as one pure function. Every status change in every
 * command goes through `transition`; an illegal one is a domain error, never a crash.
 *
 * new → triaged → assigned → in_progress → (escalated ⇄ in_progress) → resolved → closed,
 * on_hold from any open state, reopened → assigned from resolved.
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
  | 'resolve'
  | 'reopen'
  | 'close';

interface Rule {
  from: readonly Status[];
  to: Status;
}

const RULES: Record<Action, Rule> = {
  triage: { from: ['new'], to: 'triaged' },
  assign: { from: ['new', 'triaged', 'assigned', 'in_progress', 'reopened'], to: 'assigned' },
  // Claiming means "I'm on it": the claimer owns it and work has started.
  claim: { from: ['new', 'triaged', 'assigned', 'reopened'], to: 'in_progress' },
  start: { from: ['assigned', 'reopened'], to: 'in_progress' },
  escalate: { from: ['triaged', 'assigned', 'in_progress'], to: 'escalated' },
  hold: { from: ['new', 'triaged', 'assigned', 'in_progress', 'escalated', 'reopened'], to: 'on_hold' },
  resume: { from: ['on_hold', 'escalated'], to: 'in_progress' },
  resolve: {
    from: ['new', 'triaged', 'assigned', 'in_progress', 'escalated', 'on_hold', 'reopened'],
    to: 'resolved',
  },
  reopen: { from: ['resolved'], to: 'reopened' },
  close: {
    from: ['new', 'triaged', 'assigned', 'in_progress', 'escalated', 'on_hold', 'reopened', 'resolved'],
    to: 'closed',
  },
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
  resolve: 'resolved',
  reopen: 'reopened',
  close: 'closed',
};

export type Transition = { ok: true; to: Status } | { ok: false; error: DomainError };

export function transition(from: Status, action: Action): Transition {
  const rule = RULES[action];
  if (rule.from.includes(from)) return { ok: true, to: rule.to };
  if (action === 'triage' && RETRIAGE_FROM.includes(from)) return { ok: true, to: from };
  return {
    ok: false,
    error: {
      code: 'INCIDENT.ILLEGAL_TRANSITION',
      message: `This incident is ${STATUS_LABELS[from].toLowerCase()}, so it can't be ${ACTION_VERBS[action]}.`,
    },
  };
}
