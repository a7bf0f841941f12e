import { describe, expect, it } from 'vitest';
import type { IncidentEventDetail } from '../../../src/db/queries/incidents';
import { eventForViewer } from '../../../src/domain/incidents/visibility';
import { eventLine } from '../../../src/domain/presenters/incident-event';
import { presentNotice, presentReporterAnswer } from '../../../src/domain/presenters/notices';
import type { Rich } from '../../../src/domain/presenters/presentation';
import { incidentDetail } from '../../support/incident-detail';

/** The words of rich text, with markup dropped (a person by name, a date as ISO). */
const words = (rich: Rich): string =>
  rich
    .map((s) => {
      if (typeof s === 'string') return s;
      if ('max' in s) return s.text;
      if ('bold' in s) return words(s.bold);
      if ('italic' in s) return words(s.italic);
      if ('quote' in s) return words(s.quote);
      if ('person' in s) return s.person.name;
      if ('date' in s) return s.date.toISOString();
      if ('link' in s) return s.link;
      if ('command' in s) return s.command;
      return '';
    })
    .join('');
const body = (p: { sections: Array<{ kind: string; text?: Rich }> }) =>
  p.sections.map((s) => (s.text ? words(s.text) : '')).join('\n');

describe('notice presenters', () => {
  it('asks the reporter Fixed / Still broken only while the fault is still resolved', () => {
    const resolved = incidentDetail({ status: 'resolved', resolution: 'Replaced the HDMI cable' });
    const notice = presentNotice('resolved', resolved);
    expect(notice.actions.map((a) => [a.id, a.label, a.style])).toEqual([
      ['reporter.fixed', 'Fixed', 'primary'],
      ['reporter.stillBroken', 'Still broken', undefined],
    ]);
    expect(body(notice)).toContain('Replaced the HDMI cable');
    expect(body(notice)).toContain("I'll close it after 5 school days");
    // Sent after it was reopened: no buttons that no longer apply, only "add a comment".
    const reopened = presentNotice('resolved', { ...resolved, status: 'reopened' });
    expect(reopened.actions.map((a) => a.id)).toEqual(['reporter.comment']);
    expect(presentNotice('resolved', { ...resolved, status: 'closed' }).actions).toEqual([]);
  });

  it('offers the reporter a comment button while open, and the assignee none', () => {
    const open = incidentDetail({ status: 'in_progress', assigneeName: 'tech', assigneeSlackId: 'U0TECH' });
    expect(presentNotice('claimed', open).actions).toEqual([
      { id: 'reporter.comment', label: 'Add a comment or photo link', value: open.id },
    ]);
    expect(presentNotice('assigned', open).actions).toEqual([]);
    expect(presentNotice('commented', open).actions).toEqual([]);
  });

  it('offers no comment button on any notice, nor any answer, once the fault is closed', () => {
    const closed = incidentDetail({ status: 'closed', closedAt: new Date('2026-12-01T10:00:00Z') });
    for (const event of ['reported', 'claimed', 'escalated', 'on_hold', 'resolved', 'closed'] as const) {
      expect(presentNotice(event, closed).actions).toEqual([]);
    }
    for (const outcome of ['confirmed', 'already_closed'] as const) {
      expect(presentReporterAnswer('fixed', outcome, closed).actions).toEqual([]);
      expect(presentReporterAnswer('still_broken', outcome, closed).actions).toEqual([]);
    }
  });

  it('quotes a closing note only as given, so a staff note filtered out never reaches the reporter', () => {
    const closed = incidentDetail({ status: 'closed', closedAt: new Date('2026-12-01T10:00:00Z') });
    const event = {
      kind: 'comment',
      fromStatus: null,
      data: { note: 'Staff only: the head wants this left', byReporter: false },
    };
    const shown = eventForViewer('reporter', event);
    expect(shown).toBeNull();
    const notice = presentNotice('closed', closed, undefined);
    expect(body(notice)).toBe(
      'Your fault INC-7 — Projector <in> Room 4 & no signal was closed without a fix.\nIf it is still a problem, report it again with fault.',
    );
    expect(JSON.stringify(notice)).not.toContain('Staff only');
    expect(body(presentNotice('closed', closed, 'Duplicate of INC-6'))).toContain(
      'closed without a fix: Duplicate of INC-6',
    );
  });

  it('names the command to report again as a command, which each platform writes its own way', () => {
    const answer = presentReporterAnswer(
      'still_broken',
      'already_closed',
      incidentDetail({ status: 'closed', closedAt: new Date('2026-12-01T10:00:00Z') }),
    );
    expect(answer.sections[0]?.kind === 'text' && answer.sections[0].text).toContainEqual({
      command: 'fault',
    });
    expect(answer.actions).toEqual([]);
  });
});

describe('the event line presenter', () => {
  const event = (kind: string, data: Record<string, unknown>): IncidentEventDetail =>
    ({
      id: 1,
      schoolId: 's',
      incidentId: 'i',
      kind,
      fromStatus: null,
      toStatus: null,
      data,
      actorId: 'p',
      actorName: 'mr.jones',
      actorSlackId: null,
      createdAt: new Date('2026-11-30T09:15:00Z'),
      submissionKey: null,
    }) as unknown as IncidentEventDetail;

  it('says who did what, with the time only when asked', () => {
    expect(words(eventLine(event('claimed', {})))).toBe(' Claimed by mr.jones');
    expect(words(eventLine(event('claimed', {}), true))).toBe(
      ' Claimed by mr.jones · 2026-11-30T09:15:00.000Z',
    );
  });

  it('keeps only web links a person added', () => {
    const line = (link: string) => eventLine(event('comment', { note: 'photo', link, byReporter: true }));
    expect(line('https://photos.example/1')).toContainEqual({
      link: 'https://photos.example/1',
      label: ['link'],
    });
    expect(JSON.stringify(line('javascript:alert(1)'))).not.toContain('javascript');
  });
});
