/**
 * The reporter's one status message about a fault: a status line for each state, what it asks of
 * them, the buttons that fit, the day it was reported in the school's time zone ("Mon 14 Dec
 * 2026"), and the step lines under it, which carry no buttons.
 */
import { describe, expect, it } from 'vitest';
import type { Status } from '../../../src/domain/incidents/state-machine';
import {
  presentReporterAnswer,
  presentStatusMessage,
  presentStatusStep,
} from '../../../src/domain/presenters/notices';
import type { Presentation, Rich } from '../../../src/domain/presenters/presentation';
import { incidentDetail } from '../../support/incident-detail';

const words = (rich: Rich): string =>
  rich
    .map((s) => {
      if (typeof s === 'string') return s;
      if ('max' in s) return s.text;
      if ('bold' in s) return words(s.bold);
      if ('quote' in s) return words(s.quote);
      if ('person' in s) return s.person.name;
      if ('command' in s) return `/${s.command}`;
      return '';
    })
    .join('');
const said = (p: Presentation) => p.sections.map((s) => ('text' in s ? words(s.text) : '')).join('\n');
const ids = (p: Presentation) => p.actions.map((a) => a.id);
const LONDON = 'Europe/London';

describe('the status message', () => {
  it('says where the fault stands, in a line per state, with the buttons that fit', () => {
    const line: Record<Status, string> = {
      new: 'Status: Reported — waiting for someone to pick it up',
      triaged: 'Status: Reported — waiting for someone to pick it up',
      assigned: 'Status: Passed to Sam Tech',
      in_progress: 'Status: Claimed by Sam Tech — being worked on',
      escalated: 'Status: With County ICT',
      on_hold: 'Status: On hold — Waiting for parts (new lamp)',
      resolved: 'Status: Fixed — please check',
      reopened: 'Status: Open again — the ICT team knows it is still broken',
      closed: 'Status: Closed on Tue 1 Dec 2026',
    };
    for (const [status, expected] of Object.entries(line) as Array<[Status, string]>) {
      const p = presentStatusMessage(
        incidentDetail({
          status,
          assigneeName: 'Sam Tech',
          providerName: 'County ICT',
          holdReason: 'Waiting for parts (new lamp)',
          resolution: status === 'resolved' || status === 'closed' ? 'New lamp fitted' : null,
          closedAt: new Date('2026-12-01T10:00:00Z'),
        }),
        LONDON,
      );
      expect(said(p), status).toContain(expected);
      const buttons =
        status === 'resolved'
          ? ['reporter.fixed', 'reporter.stillBroken']
          : status === 'closed'
            ? []
            : ['reporter.comment'];
      expect(ids(p), status).toEqual(buttons);
    }
  });

  it('dates the report in the school’s time zone, as people read it', () => {
    // 23:30 UTC on 30 June is already 1 July in London.
    const p = presentStatusMessage(incidentDetail({ createdAt: new Date('2026-06-30T23:30:00Z') }), LONDON);
    expect(said(p)).toContain('Reported Wed 1 Jul 2026');
    expect(said(p)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('asks to check a fix, and says how a fault ended', () => {
    const fixed = presentStatusMessage(
      incidentDetail({ status: 'resolved', resolution: 'New lamp fitted' }),
      LONDON,
    );
    expect(said(fixed)).toContain(
      'It has been fixed:\nNew lamp fitted\nIs it working now? Press Fixed or Still broken',
    );
    const withoutFix = presentStatusMessage(incidentDetail({ status: 'closed', resolution: null }), LONDON);
    expect(said(withoutFix)).toContain(
      'It was closed without a fix. If it is still a problem, report it again with /fault.',
    );
  });

  it('shows what the reporter’s press did on it, without a second comment button', () => {
    const reopened = incidentDetail({ status: 'reopened' });
    const p = presentStatusMessage(
      reopened,
      LONDON,
      presentReporterAnswer('still_broken', 'reopened', reopened),
    );
    expect(said(p)).toContain('Status: Open again');
    expect(said(p)).toContain('is open again and the ICT team has been told');
    expect(ids(p)).toEqual(['reporter.comment']);
  });
});

describe('a step under it', () => {
  it('says who and what with no buttons; the fix asks them to press on the status message', () => {
    const i = incidentDetail({ status: 'resolved', resolution: 'New lamp fitted', assigneeName: 'Sam Tech' });
    const fixed = presentStatusStep('resolved', i);
    expect(fixed.actions).toEqual([]);
    expect(said(fixed)).toContain('has been fixed.\nNew lamp fitted\nIs it working now?');
    expect(said(fixed)).toContain('on its status message above');
    const claimed = presentStatusStep('claimed', { ...i, status: 'in_progress' });
    expect(claimed.actions).toEqual([]);
    expect(said(claimed)).toContain('Sam Tech is now working on your fault');
  });
});
