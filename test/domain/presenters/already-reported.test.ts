/**
 * The words of "Already reported" as every platform shows them: the card's lines (merged into,
 * others affected, merged into this), the history lines, what the duplicate's reporter may see of
 * the merge, the notices, and the answer to a merge.
 */
import { describe, expect, it } from 'vitest';
import type { IncidentEventDetail } from '../../../src/db/queries/incidents';
import { eventForViewer } from '../../../src/domain/incidents/visibility';
import { presentMerged } from '../../../src/domain/presenters/already-reported';
import { duplicateLines } from '../../../src/domain/presenters/card-duplicates';
import { presentIncidentCard } from '../../../src/domain/presenters/incident-card';
import { eventLine } from '../../../src/domain/presenters/incident-event';
import { presentNotice } from '../../../src/domain/presenters/notices';
import { incidentDetail } from '../../support/incident-detail';

const person = (name: string, slackUserId: string | null = null) => ({ person: { name, slackUserId } });

describe('the card says what was merged and who else it affects', () => {
  it('names up to five followers and counts the rest', () => {
    const followers = ['Ms A', 'Mr B', 'Ms C', 'Mr D', 'Ms E', 'Mr F', 'Ms G'].map((name) => ({
      name,
      slackUserId: null,
    }));
    const lines = duplicateLines(incidentDetail(), { followers, mergedFrom: [14, 15] });
    expect(lines).toEqual([
      [
        { emoji: ':raising_hand:' },
        ' 7 others affected: ',
        person('Ms A'),
        ', ',
        person('Mr B'),
        ', ',
        person('Ms C'),
        ', ',
        person('Mr D'),
        ', ',
        person('Ms E'),
        ' and 2 more',
      ],
      [{ emoji: ':link:' }, ' ', { bold: ['INC-14'] }, ', ', { bold: ['INC-15'] }, ' merged into this'],
    ]);
    expect(duplicateLines(incidentDetail(), { followers: followers.slice(0, 1), mergedFrom: [] })[0]).toEqual(
      [{ emoji: ':raising_hand:' }, ' 1 other affected: ', person('Ms A')],
    );
  });

  it('a merged duplicate says where it went; an incident with neither shows nothing new', () => {
    expect(duplicateLines(incidentDetail({ mergedIntoNumber: 13 }))).toEqual([
      [{ emoji: ':link:' }, ' Merged into ', { bold: ['INC-13'] }, ' (a duplicate)'],
    ]);
    const plain = presentIncidentCard(incidentDetail());
    expect(presentIncidentCard(incidentDetail({ mergedIntoNumber: null }))).toEqual(plain);
  });
});

describe('history lines and what the reporter sees of them', () => {
  const event = (kind: string, data: Record<string, unknown>): IncidentEventDetail => ({
    id: 1,
    schoolId: 's',
    incidentId: 'i',
    actorId: 'p',
    kind,
    fromStatus: 'new',
    toStatus: kind === 'merged' ? 'closed' : 'new',
    data,
    createdAt: new Date('2026-11-30T10:00:00Z'),
    actorName: 'Mrs Office',
    actorSlackId: 'U0OFFICE',
  });

  it('says who followed, and each side of a merge', () => {
    expect(eventLine(event('followed', {}))).toEqual([
      { emoji: ':raising_hand:' },
      ' ',
      person('Mrs Office', 'U0OFFICE'),
      ' says it affects them too (Me too)',
    ]);
    expect(eventLine(event('merged', { into: 'INC-13', intoId: 'x' }))).toEqual([
      { emoji: ':link:' },
      ' Merged into ',
      { bold: ['INC-13'] },
      ' by ',
      person('Mrs Office', 'U0OFFICE'),
      ': a duplicate, closed',
    ]);
    expect(eventLine(event('merged_in', { from: 'INC-14', fromId: 'y', followersAdded: 2 }))).toEqual([
      { emoji: ':link:' },
      ' ',
      { bold: ['INC-14'] },
      ' merged into this by ',
      person('Mrs Office', 'U0OFFICE'),
      ' (2 more people follow it now)',
    ]);
  });

  it('the reporter sees where theirs was merged, not the other side nor who followed', () => {
    expect(eventForViewer('reporter', event('merged', { into: 'INC-13', intoId: 'x' }))?.data).toEqual({
      into: 'INC-13',
    });
    expect(eventForViewer('reporter', event('merged_in', { from: 'INC-14' }))).toBeNull();
    expect(eventForViewer('reporter', event('followed', {}))).toBeNull();
  });
});

describe('notices and the merge answer', () => {
  it('tells the duplicate’s reporter where it went, and a follower it is fixed', () => {
    const merged = presentNotice(
      'merged',
      incidentDetail({ number: 14, mergedIntoNumber: 13, status: 'closed' }),
    );
    expect(merged.text).toEqual(['Your fault INC-14 was merged into INC-13']);
    expect(JSON.stringify(merged.sections)).toContain(
      '" had already been reported as ",{"bold":["INC-13"]},", so the ICT team has merged the two',
    );
    expect(merged.actions).toEqual([]);
    const fixed = presentNotice(
      'follower_fixed',
      incidentDetail({ number: 13, assetTag: 'PRJ-1', locationName: 'Hall', status: 'resolved' }),
    );
    expect(fixed.text).toEqual(['INC-13, the fault you are following, was fixed']);
    expect(fixed.actions).toEqual([]);
  });

  it('says how many now follow, or that everyone already did', () => {
    const out = (moved: number, already = false) =>
      presentMerged({
        duplicate: { number: 14 } as never,
        target: { number: 13 } as never,
        already,
        moved,
      }).text;
    expect(out(2)).toContain(' 2 people now follow ');
    expect(out(1)).toContain(' 1 person now follows ');
    expect(out(0)).toContain(' Everyone on it already follows ');
    expect(out(0, true)).toEqual([
      { emoji: ':link:' },
      ' ',
      { bold: ['INC-14'] },
      ' is already merged into ',
      { bold: ['INC-13'] },
      '.',
    ]);
  });
});
