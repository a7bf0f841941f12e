import { describe, expect, it } from 'vitest';
import { STATUSES, transition } from '../../../src/domain/incidents/state-machine';

describe('state machine: liaison actions', () => {
  it('a note keeps the status, from every status but closed', () => {
    for (const status of STATUSES) {
      const step = transition(status, 'note');
      if (status === 'closed') {
        expect(step).toMatchObject({ ok: false, error: { code: 'INCIDENT.ILLEGAL_TRANSITION' } });
        if (!step.ok)
          expect(step.error.message).toBe("This incident is closed, so it can't be commented on.");
      } else {
        expect(step).toEqual({ ok: true, to: status });
      }
    }
  });

  it('provider updates and chases keep the status while it is with a provider, and only then', () => {
    for (const action of ['provider_update', 'chase'] as const) {
      expect(transition('escalated', action)).toEqual({ ok: true, to: 'escalated' });
      expect(transition('on_hold', action)).toEqual({ ok: true, to: 'on_hold' });
      for (const status of [
        'new',
        'triaged',
        'assigned',
        'in_progress',
        'resolved',
        'reopened',
        'closed',
      ] as const)
        expect(transition(status, action).ok).toBe(false);
    }
  });

  it('off hold goes back to work, or back to the provider; hand-back resumes an escalation', () => {
    expect(transition('on_hold', 'resume')).toEqual({ ok: true, to: 'in_progress' });
    expect(transition('on_hold', 'resume_escalated')).toEqual({ ok: true, to: 'escalated' });
    expect(transition('escalated', 'resume')).toEqual({ ok: true, to: 'in_progress' });
    expect(transition('in_progress', 'resume_escalated').ok).toBe(false);
    expect(transition('escalated', 'resume_escalated').ok).toBe(false);
  });

  it('escalation needs a triaged, assigned or in-progress incident; forwarding is assigning', () => {
    expect(transition('triaged', 'escalate')).toEqual({ ok: true, to: 'escalated' });
    expect(transition('assigned', 'escalate')).toEqual({ ok: true, to: 'escalated' });
    expect(transition('new', 'escalate').ok).toBe(false);
    expect(transition('escalated', 'escalate').ok).toBe(false);
    expect(transition('escalated', 'assign').ok).toBe(false);
    expect(transition('new', 'assign')).toEqual({ ok: true, to: 'assigned' });
    expect(transition('escalated', 'hold')).toEqual({ ok: true, to: 'on_hold' });
  });
});
