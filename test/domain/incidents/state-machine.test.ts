import { describe, expect, it } from 'vitest';
import { type Action, STATUSES, type Status, transition } from '../../../src/domain/incidents/state-machine';

const ALLOWED: Array<[Status, Action, Status]> = [
  ['new', 'triage', 'triaged'],
  ['triaged', 'triage', 'triaged'],
  ['in_progress', 'triage', 'in_progress'],
  ['new', 'claim', 'in_progress'],
  ['triaged', 'claim', 'in_progress'],
  ['assigned', 'claim', 'in_progress'],
  ['reopened', 'claim', 'in_progress'],
  ['triaged', 'assign', 'assigned'],
  ['assigned', 'start', 'in_progress'],
  ['in_progress', 'escalate', 'escalated'],
  ['escalated', 'resume', 'in_progress'],
  ['in_progress', 'hold', 'on_hold'],
  ['on_hold', 'resume', 'in_progress'],
  ['new', 'resolve', 'resolved'],
  ['in_progress', 'resolve', 'resolved'],
  ['escalated', 'resolve', 'resolved'],
  ['resolved', 'reopen', 'reopened'],
  ['resolved', 'close', 'closed'],
  ['new', 'close', 'closed'],
];

const REFUSED: Array<[Status, Action]> = [
  ['closed', 'claim'],
  ['closed', 'resolve'],
  ['closed', 'reopen'],
  ['closed', 'close'],
  ['closed', 'triage'],
  ['resolved', 'claim'],
  ['resolved', 'resolve'],
  ['resolved', 'triage'],
  ['in_progress', 'claim'],
  ['escalated', 'claim'],
  ['new', 'reopen'],
  ['new', 'escalate'],
  ['on_hold', 'hold'],
  ['new', 'start'],
];

describe('incident state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, action, to) => {
    expect(transition(from, action)).toEqual({ ok: true, to });
  });

  it.each(REFUSED)('%s refuses %s with a clear error', (from, action) => {
    const result = transition(from, action);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INCIDENT.ILLEGAL_TRANSITION');
      expect(result.error.message).toMatch(/^This incident is .+, so it can't be .+\.$/);
    }
  });

  it('closed is terminal', () => {
    const actions: Action[] = [
      'triage',
      'assign',
      'claim',
      'start',
      'escalate',
      'hold',
      'resume',
      'resolve',
      'reopen',
      'close',
    ];
    for (const action of actions) expect(transition('closed', action).ok).toBe(false);
  });

  it('every open status can be put on hold or resolved, except on hold itself for hold', () => {
    for (const status of STATUSES) {
      if (status === 'resolved' || status === 'closed') continue;
      expect(transition(status, 'resolve').ok).toBe(true);
      expect(transition(status, 'hold').ok).toBe(status !== 'on_hold');
    }
  });
});
