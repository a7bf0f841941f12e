import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA } from '../../../src/domain/incidents/sla';
import { cardActions, presentIncidentCard } from '../../../src/domain/presenters/incident-card';
import type { Rich } from '../../../src/domain/presenters/presentation';
import type { Role } from '../../../src/domain/roles';
import { makeCalendar } from '../../../src/domain/school-time';
import { incidentDetail } from '../../support/incident-detail';

const incident = incidentDetail();
/** The actions a role may take on the card, by id. */
const forRole = (role: Role, i = incident) =>
  cardActions(i)
    .filter((a) => a.roles?.includes(role))
    .map((a) => a.id);

describe('the incident card presenter', () => {
  it('offers a new fault’s actions in order, the everyday ones first and the rest secondary', () => {
    expect(cardActions(incident).map((a) => [a.id, a.label, a.secondary ?? false, a.style])).toEqual([
      ['incident.claim', 'Claim', false, 'primary'],
      ['incident.triage', 'Triage', false, undefined],
      ['incident.forward', 'Forward', false, undefined],
      ['incident.resolve', 'Resolve', false, undefined],
      ['incident.note', 'Add a staff note', true, undefined],
      ['incident.reply', 'Reply to the reporter', true, undefined],
      ['incident.hold', 'Put on hold', true, undefined],
      ['incident.merge', 'Merge into another incident', true, undefined],
      ['incident.close', 'Close', true, undefined],
    ]);
    expect(cardActions(incident).every((a) => a.value === incident.id)).toBe(true);
  });

  it('says which roles each action is for: a teacher none, a technician the hands-on steps, the SPOC all', () => {
    expect(forRole('teacher')).toEqual([]);
    expect(forRole('technician')).toEqual([
      'incident.claim',
      'incident.resolve',
      'incident.note',
      'incident.reply',
      'incident.hold',
    ]);
    const all = cardActions(incident).map((a) => a.id);
    expect(forRole('office')).toEqual(all);
    expect(forRole('admin')).toEqual(all);
    const escalated = incidentDetail({ status: 'escalated', assigneeId: 'p' });
    expect(forRole('technician', escalated)).toEqual([
      'incident.resolve',
      'incident.note',
      'incident.reply',
      'incident.hold',
    ]);
    expect(forRole('office', escalated)).toEqual([
      'incident.providerUpdate',
      'incident.handBack',
      'incident.resolve',
      'incident.note',
      'incident.reply',
      'incident.triage',
      'incident.hold',
      'incident.merge',
      'incident.close',
    ]);
  });

  it('offers no Claim once someone is working it, Resume while on hold, and nothing once closed', () => {
    const working = incidentDetail({ status: 'in_progress', assigneeId: 'p' });
    expect(cardActions(working).map((a) => a.id)).not.toContain('incident.claim');
    const held = incidentDetail({ status: 'on_hold', assigneeId: 'p' });
    expect(cardActions(held)[0]).toMatchObject({ id: 'incident.resume', style: 'primary' });
    expect(cardActions(incidentDetail({ status: 'closed' }))).toEqual([]);
  });

  it('shows the fields in order, with what a person typed as typed text to be escaped by each platform', () => {
    const card = presentIncidentCard(incident);
    expect(card.sections.map((s) => s.kind)).toEqual(['heading', 'fields', 'text', 'context']);
    const fields = card.sections.find((s) => s.kind === 'fields');
    expect(fields?.kind === 'fields' && fields.fields.map((f) => f.label)).toEqual([
      'Status',
      'Priority',
      'Location',
      'Reported by',
      'Assignee',
      'Category',
    ]);
    expect(card.sections[0]).toEqual({
      kind: 'heading',
      text: [
        { emoji: ':large_orange_circle:' },
        ' ',
        { bold: ['INC-7'] },
        ' · ',
        { text: 'Projector <in> Room 4 & no signal', max: 200 },
      ],
    });
    const reporter = fields && fields.kind === 'fields' ? fields.fields[3]?.value : [];
    expect(reporter).toEqual([{ person: { name: 'ms.patel', slackUserId: 'U0TEACHER1' } }]);
  });

  it('says who has it and the time left in school time when given the live state', () => {
    const escalated = incidentDetail({
      status: 'escalated',
      assigneeId: 'p',
      firstResponseAt: new Date('2026-11-30T09:20:00Z'),
    });
    const card = presentIncidentCard(escalated, {
      now: new Date('2026-11-30T10:00:00Z'),
      calendar: makeCalendar(),
      sla: DEFAULT_SLA,
      openEscalation: {
        providerName: 'Acme IT',
        providerRef: '',
        escalatedAt: new Date('2026-11-30T09:30:00Z'),
        respondBy: new Date('2026-11-30T09:45:00Z'),
        respondedAt: null,
      },
    });
    const status = card.sections.find(
      (s): s is { kind: 'text'; text: Rich } => s.kind === 'text' && JSON.stringify(s.text).includes('With'),
    );
    const words = status?.text.map((s) => (typeof s === 'string' ? s : JSON.stringify(s))).join('');
    expect(words).toContain(' With {"bold":[{"text":"Acme IT","max":100}]} (no reference yet) since ');
    expect(words).toContain('{"bold":["no answer"]} — it was due ');
    expect(words).toContain(' Resolution due ');
  });

  it('says a late first response beside the resolution clock, and a target missed before a hold stays missed', () => {
    const live = (now: string) => ({ now: new Date(now), calendar: makeCalendar(), sla: DEFAULT_SLA });
    const slaWords = (i: ReturnType<typeof incidentDetail>, now: string) =>
      JSON.stringify(presentIncidentCard(i, live(now)).sections);
    // Reported 09:15 Monday with a 30-minute response target; claimed at 10:00.
    const late = incidentDetail({
      status: 'in_progress',
      assigneeId: 'p',
      firstResponseAt: new Date('2026-11-30T10:00:00Z'),
    });
    const lateWords = slaWords(late, '2026-11-30T10:30:00Z');
    expect(lateWords).toContain('Resolution due ');
    expect(lateWords).toContain('(the first response was late)');
    const onTime = incidentDetail({
      status: 'in_progress',
      assigneeId: 'p',
      firstResponseAt: new Date('2026-11-30T09:20:00Z'),
    });
    expect(slaWords(onTime, '2026-11-30T10:30:00Z')).not.toContain('late');
    // Responded in time, then held a school day and a half after the 8-hour resolution target passed.
    const held = incidentDetail({
      status: 'on_hold',
      assigneeId: 'p',
      firstResponseAt: new Date('2026-11-30T09:20:00Z'),
      onHoldSince: new Date('2026-12-02T12:00:00Z'),
      holdReason: 'Waiting for a part',
    });
    const heldWords = slaWords(held, '2026-12-02T13:00:00Z');
    expect(heldWords).toContain('paused while on hold — the resolution target was already missed, by ');
    expect(heldWords).not.toContain('left to resolve');
  });
});
