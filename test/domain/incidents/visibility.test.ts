import { describe, expect, it } from 'vitest';
import type { Status } from '../../../src/domain/incidents/state-machine';
import {
  eventForViewer,
  type HistoryEvent,
  historyForViewer,
  incidentForViewer,
  liaisonForViewer,
  viewerOf,
} from '../../../src/domain/incidents/visibility';

const SECRET = 'staff only: spare key in drawer 3';
const event = (kind: string, data: Record<string, unknown> = {}, fromStatus: Status | null = null) =>
  ({ kind, fromStatus, data }) satisfies HistoryEvent;

describe('viewerOf', () => {
  const incident = { reporterId: 'P-REPORTER' };
  it.each([
    ['teacher', 'P-REPORTER', 'reporter'],
    ['teacher', 'P-OTHER', null],
    ['technician', 'P-OTHER', 'staff'],
    ['office', 'P-OTHER', 'staff'],
    ['admin', 'P-OTHER', 'staff'],
    // Staff who reported a fault themselves still see all of it.
    ['technician', 'P-REPORTER', 'staff'],
  ] as const)('%s %s sees it as %s', (role, personId, viewer) => {
    expect(viewerOf({ role, personId }, incident)).toBe(viewer);
  });
});

describe('eventForViewer: the reporter', () => {
  const provider = { id: 'PR1', name: 'County ICT' };
  it.each([
    ['a staff note', event('comment', { note: SECRET, link: 'https://x.example/p.jpg', byReporter: false })],
    ['what the provider said', event('provider_update', { note: 'ok', provider })],
    ['a chase', event('chased', { provider, chase: 2, respondBy: '2026-12-01T09:00:00Z' })],
    ['an event kind nobody has listed yet', event('audited', { note: 'x' })],
  ])('does not see %s at all', (_what, e) => {
    expect(eventForViewer('reporter', e)).toBeNull();
  });

  it.each([
    ['escalated', { provider, note: SECRET, reference: 'CAS-9', respondBy: '2026-12-01T09:00:00Z' }],
    ['handed_back', { provider, note: SECRET, reference: 'CAS-9' }],
    ['forwarded', { provider, note: SECRET, submissionKey: 'V1' }],
  ])('sees who has it after %s, not the note, the reference or the deadline', (kind, data) => {
    expect(eventForViewer('reporter', event(kind, data))?.data).toEqual({ provider });
  });

  it('sees their own comments, with the link', () => {
    const mine = event('comment', { note: 'Still blank', link: 'https://x.example/p.jpg', byReporter: true });
    expect(eventForViewer('reporter', mine)).toEqual(mine);
  });

  it('sees what they are told by DM: the hold reason, the resolution, why it was closed without a fix', () => {
    const held = event('on_hold', { reason: 'parts', note: 'Waiting for parts' });
    const fixed = event('resolved', { resolution: 'New lamp' });
    const closed = event('closed', { note: 'Duplicate of INC-3' }, 'in_progress');
    for (const e of [held, fixed, closed]) expect(eventForViewer('reporter', e)).toEqual(e);
  });

  it('does not see a note closing a fault that was already fixed (they were not told it)', () => {
    expect(eventForViewer('reporter', event('closed', { note: SECRET }, 'resolved'))?.data).toEqual({});
    const auto = event('closed', { auto: true, note: 'No reply for 5 school days' }, 'resolved');
    expect(eventForViewer('reporter', auto)?.data).toEqual({ auto: true });
  });

  it('keeps the event’s other fields (who, when, status)', () => {
    const e = { ...event('claimed', { assignee: { from: null, to: 'P1' } }), id: 7, actorName: 'sam.tech' };
    expect(eventForViewer('reporter', e)).toEqual(e);
  });
});

describe('historyForViewer', () => {
  const history = [
    event('reported', { priority: 'P2' }),
    event('comment', { note: SECRET, byReporter: false }),
    event('escalated', { provider: { name: 'County ICT' }, note: SECRET }),
    event('provider_update', { note: SECRET }),
    event('comment', { note: 'It smells of burning', byReporter: true }),
  ];

  it('staff see everything as it is', () => {
    expect(historyForViewer('staff', history)).toEqual(history);
  });

  it('the reporter sees only what is meant for them, in order, with no staff note anywhere', () => {
    const seen = historyForViewer('reporter', history);
    expect(seen.map((e) => e.kind)).toEqual(['reported', 'escalated', 'comment']);
    expect(JSON.stringify(seen)).not.toContain(SECRET);
  });
});

describe('the incident and its liaison', () => {
  it('the reporter is not given the provider’s reference or the escalation records', () => {
    const incident = { id: 'I1', providerRef: 'CAS-9', providerName: 'County ICT' };
    expect(incidentForViewer('reporter', incident)).toEqual({ ...incident, providerRef: null });
    expect(incidentForViewer('staff', incident)).toBe(incident);
    const live = { now: new Date(0), openEscalation: { note: SECRET }, escalations: [{ note: SECRET }] };
    expect(liaisonForViewer('reporter', live)).toEqual({
      now: new Date(0),
      openEscalation: null,
      escalations: [],
    });
    expect(liaisonForViewer('staff', live)).toBe(live);
  });
});
