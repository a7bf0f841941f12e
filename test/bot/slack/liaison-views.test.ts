import { describe, expect, it } from 'vitest';
import { escalationEmail, mailtoOf } from '../../../src/bot/slack/views/escalation.view';
import { incidentCardView } from '../../../src/bot/slack/views/incident-card.view';
import { incidentEventText } from '../../../src/bot/slack/views/incident-event.view';
import type { EscalationSummaryData } from '../../../src/db/queries/escalations';
import type { IncidentEventDetail } from '../../../src/db/queries/incidents';
import { DEFAULT_SLA } from '../../../src/domain/incidents/sla';
import { escalationChases } from '../../../src/domain/reminders/escalation-chase';
import { makeCalendar } from '../../../src/domain/school-time';
import { incidentDetail } from '../../support/incident-detail';
import { textOf } from '../../support/slack-app';

const calendar = makeCalendar();
const incident = incidentDetail({
  summary: 'Projector in Room 4',
  description: '',
  locationId: null,
  urgency: 'today',
  priority: 'P2', // respond 2h, resolve 1 school day
  status: 'in_progress',
  assigneeId: 'a1a1a1a1-0000-4000-8000-000000000002',
  slaRespondMinutes: 120,
  submissionKey: null,
  createdAt: new Date('2027-03-01T09:00:00Z'), // Monday
  firstResponseAt: new Date('2027-03-01T09:30:00Z'),
  lastActivityAt: new Date('2027-03-01T09:30:00Z'),
  locationName: null,
  assigneeName: 'sam.tech',
  assigneeSlackId: 'U0TECH0001',
});
const live = (now: string) => ({ now: new Date(now), calendar, sla: DEFAULT_SLA });

describe('the card’s SLA line, in school time', () => {
  it('counts down, says by how much it breached, and says when the clock is paused', () => {
    expect(
      textOf(incidentCardView(incident, 'Europe/London', live('2027-03-01T14:00:00Z')).blocks),
    ).toContain(
      `Resolution due <!date^${Date.parse('2027-03-02T09:00:00Z') / 1000}^{date_short_pretty} {time}|2 Mar, 09:00> — 3h of school time left`,
    );
    // Due Tuesday 09:00; Tuesday 11:30 is 2h 30m of school time late.
    expect(
      textOf(incidentCardView(incident, 'Europe/London', live('2027-03-02T11:30:00Z')).blocks),
    ).toContain('Resolution target missed — breached by 2h 30m of school time');
    // Held an hour into its day: 7h left, however long it waits.
    const held = { ...incident, status: 'on_hold' as const, onHoldSince: new Date('2027-03-01T10:00:00Z') };
    expect(textOf(incidentCardView(held, 'Europe/London', live('2027-03-02T11:30:00Z')).blocks)).toContain(
      'SLA clock paused while on hold — 7h of school time left to resolve',
    );
    const waiting = { ...incident, firstResponseAt: null };
    expect(textOf(incidentCardView(waiting, 'Europe/London', live('2027-03-01T10:00:00Z')).blocks)).toContain(
      'First response due',
    );
  });
});

describe('thread lines for liaison events', () => {
  const event = (kind: string, data: Record<string, unknown>): IncidentEventDetail => ({
    id: 1,
    schoolId: incident.schoolId,
    incidentId: incident.id,
    actorId: null,
    kind,
    fromStatus: null,
    toStatus: null,
    data,
    createdAt: new Date('2027-03-01T10:00:00Z'),
    actorName: 'Mrs Office',
    actorSlackId: 'U0OFFICE01',
  });
  it('names the provider, the reference and what was said', () => {
    expect(
      incidentEventText(
        event('escalated', { provider: { name: 'County <ICT>' }, reference: 'CAS-1', note: 'Help' }),
      ),
    ).toBe(':telephone_receiver: Escalated to *County &lt;ICT&gt;* (ref CAS-1) by <@U0OFFICE01> — Help');
    expect(incidentEventText(event('handed_back', { provider: { name: 'County' } }))).toBe(
      ':leftwards_arrow_with_hook: *County* handed it back (recorded by <@U0OFFICE01>)',
    );
    expect(
      incidentEventText(
        event('comment', { note: 'Photo', link: 'https://x.example/a|b', byReporter: false }),
      ),
    ).toBe(':spiral_note_pad: Staff note from <@U0OFFICE01> — Photo · <https://x.example/a%7Cb|link>');
    expect(incidentEventText(event('resumed', { pausedMinutes: 545 }))).toContain(
      'paused for 1 day 1h 5m of school time',
    );
  });

  it('says a closure was automatic rather than naming nobody', () => {
    const auto = {
      ...event('closed', { auto: true, note: 'Closed automatically' }),
      actorName: null,
      actorSlackId: null,
    };
    expect(incidentEventText(auto)).toBe(
      ':lock: Closed automatically: no reply from the reporter for 5 school days',
    );
    expect(incidentEventText(event('closed', { note: 'Duplicate of INC-2' }))).toBe(
      ':lock: Closed by <@U0OFFICE01> — Duplicate of INC-2',
    );
  });
});

describe('chase reminders and email text', () => {
  it('are due once the respond-by time passes, never while on hold, keyed by the chase count', () => {
    const e = {
      id: 'e1',
      incidentId: 'i1',
      number: 3,
      summary: 'Printer',
      status: 'escalated',
      providerName: 'County',
      providerRef: '',
      respondBy: new Date('2027-03-02T09:00:00Z'),
      chaseCount: 2,
    };
    expect(escalationChases([e], new Date('2027-03-02T08:59:00Z'))).toEqual([]);
    expect(escalationChases([e], new Date('2027-03-02T09:00:00Z')).map((r) => r.key)).toEqual([
      'escalation.chase:e1:2',
    ]);
    expect(escalationChases([{ ...e, status: 'on_hold' }], new Date('2027-03-03T09:00:00Z'))).toEqual([]);
  });

  it('keeps the mailto link within Slack’s 3000 characters', () => {
    const long = { to: 'help@county.example', subject: 'INC-1', body: 'é'.repeat(5000) };
    const url = mailtoOf(long);
    expect(url?.length).toBeLessThanOrEqual(3000);
    expect(url).toMatch(/^mailto:help%40county\.example\?subject=INC-1&body=/);
    expect(mailtoOf({ ...long, to: '' })).toBeNull();
  });

  it('writes the email with the asset’s make, model and serial', () => {
    const s = {
      schoolName: 'Hillside Primary',
      timezone: 'Europe/London',
      incident: { ...incident, locationName: 'Room 4', description: 'No picture' },
      events: [],
      asset: { tag: 'PRJ-4', type: 'projector', make: 'Epson', model: 'EB-X41', serial: 'SN123' },
      escalation: { providerRef: 'CAS-9', note: 'Lamp replaced' },
      provider: { name: 'County', contactName: '', email: 'help@county.example' },
      contactName: 'Mrs Office',
    } as unknown as EscalationSummaryData;
    const mail = escalationEmail(s);
    expect(mail.subject).toBe('INC-7 (your ref CAS-9): Projector in Room 4 — Hillside Primary');
    expect(mail.body).toContain('Asset: PRJ-4 — Epson EB-X41 — serial SN123');
    expect(mail.body).toContain('Location: Room 4');
    expect(mail.body).toContain('Mrs Office\nHillside Primary — ICT single point of contact');
  });
});
