/**
 * Out of hours, as worded once for every platform: the reporter's status message says when the
 * office will see a fault reported outside school time (in the school's time zone, only while
 * nobody has picked it up), the on-call person's message about a P1, the channel topic and the
 * settings' out-of-hours line.
 */
import { describe, expect, it } from 'vitest';
import { presentNotice, presentStatusMessage } from '../../../src/domain/presenters/notices';
import type { Presentation, Rich } from '../../../src/domain/presenters/presentation';
import { channelTopic } from '../../../src/domain/presenters/service-hours';
import { incidentDetail } from '../../support/incident-detail';

const words = (rich: Rich): string =>
  rich
    .map((s) => {
      if (typeof s === 'string') return s;
      if ('max' in s) return s.text;
      if ('bold' in s) return words(s.bold);
      if ('person' in s) return s.person.name;
      if ('emoji' in s) return s.emoji;
      return '';
    })
    .join('');
const said = (p: Presentation) => p.sections.map((s) => ('text' in s ? words(s.text) : '')).join('\n');

describe('the status message of a fault reported out of hours', () => {
  // Reported on Saturday 28 March 2026; the clocks go forward on Sunday: Monday opens at 08:00 BST.
  const outOfHours = { officeOpensAt: new Date('2026-03-30T07:00:00Z'), onCallTold: false };

  it('says when the office will see it, in the school’s time', () => {
    const p = presentStatusMessage({ ...incidentDetail({ status: 'new' }), outOfHours }, 'Europe/London');
    expect(said(p)).toContain(
      ':sunrise: It was reported out of school time: the office will see it on Mon 30 Mar 2026 at 08:00.',
    );
    expect(said(p)).not.toContain('person on call');
  });

  it('says the person on call knows of an urgent one', () => {
    const p = presentStatusMessage(
      { ...incidentDetail({ status: 'new' }), outOfHours: { ...outOfHours, onCallTold: true } },
      'Europe/London',
    );
    expect(said(p)).toContain('It is urgent, so the person on call has been told now.');
  });

  it('says nothing of it once someone has looked at it, or for a report in school time', () => {
    for (const status of ['triaged', 'in_progress', 'resolved'] as const) {
      const p = presentStatusMessage({ ...incidentDetail({ status }), outOfHours }, 'Europe/London');
      expect(said(p), status).not.toContain('out of school time');
    }
    expect(said(presentStatusMessage(incidentDetail({ status: 'new' }), 'Europe/London'))).not.toContain(
      'out of school time',
    );
  });
});

describe("the on-call person's message", () => {
  it('names the P1, who reported it and where, and points to its card; no buttons', () => {
    const p = presentNotice(
      'on_call',
      incidentDetail({ priority: 'P1', reporterName: 'Ms Patel', locationName: 'Server room' }),
    );
    expect(p.text).toEqual(['P1 out of school time: INC-7']);
    expect(said(p)).toBe(
      ':rotating_light: P1 out of school time: INC-7 — Projector <in> Room 4 & no signal, reported by Ms Patel in Server room.\nYou are on call for P1s, so you are told at once; the office will see it when it opens. Its card is in the SPOC channel: press Claim there if you take it.',
    );
    expect(p.actions).toEqual([]);
  });
});

describe('the channel topic', () => {
  it('says the hours and how to report, within Slack’s 250 characters', () => {
    expect(channelTopic({ dayStart: '08:30', dayEnd: '15:30' }, '/fault')).toBe(
      'ICT help: Mon–Fri 08:30–15:30 in term time · /fault to report',
    );
  });
});
