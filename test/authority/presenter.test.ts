/**
 * The authority's view stays within what each platform takes however many schools it has and
 * however much each holds: Slack's 50 blocks and 3,000 characters a section, Teams' card of
 * about 28 KB; those not shown are counted, and the schools needing attention come first.
 */
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/bot/slack/views/render';
import { cardMessage } from '../../src/bot/teams/render/adaptive-card';
import type { OverviewEscalation, SchoolOverview } from '../../src/domain/authority/overview';
import { presentAuthorityOverview, SCHOOLS_SHOWN } from '../../src/domain/presenters/authority';
import { textOf } from '../support/slack-app';

const now = new Date('2027-03-01T09:00:00Z');
const LONG = 'A fault whose summary goes on and on, as people write them when a lesson has stopped and';
const escalation = (number: number): OverviewEscalation => ({
  incidentId: `i${number}`,
  number,
  summary: LONG,
  priority: 'P2',
  status: 'escalated',
  providerName: 'Broadband & Co Limited of Somewhere Far Away',
  providerRef: 'REF-1',
  escalatedAt: now,
  respondBy: now,
  respondedAt: null,
});
const nine = <T>(make: (n: number) => T) => Array.from({ length: 9 }, (_, n) => make(n + 1));

function school(i: number, busy: boolean): SchoolOverview {
  return {
    schoolId: `s${i}`,
    name: `School number ${i} of the county, with a long name`,
    timezone: 'Europe/London',
    openByPriority: { P1: busy ? 3 : 0, P2: 4, P3: 5, P4: 6 },
    breaches: busy
      ? nine((n) => ({ number: n, summary: LONG, priority: 'P1', missed: ['response', 'resolution'] }))
      : [],
    toAuthority: nine(escalation),
    toOthers: nine(escalation),
    contractsInNotice: nine(() => ({
      title: 'Broadband line rental and support',
      providerName: 'Broadband & Co',
      noticeBy: '2027-03-10',
      endDate: '2027-04-10',
    })),
    overduePayments: nine(() => ({ payee: 'Broadband & Co', amountPence: 12345, dueDate: '2027-02-01' })),
  };
}

describe('the authority view', () => {
  it('fits Slack and Teams with 500 schools, the busiest first, the rest counted', () => {
    const schools = Array.from({ length: 500 }, (_, i) => school(i, i % 100 === 7));
    const view = presentAuthorityOverview({ authorityName: 'Essex ICT', now, schools });
    const slack = renderMessage(view, 'Europe/London');
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    for (const block of slack.blocks) expect(JSON.stringify(block).length).toBeLessThan(3000);
    expect(JSON.stringify(cardMessage(view, { timezone: 'Europe/London' })).length).toBeLessThan(28_000);
    const said = textOf(slack.blocks);
    // The five with breaches come first.
    for (const i of [7, 107, 207, 307, 407]) expect(said).toContain(`School number ${i} of`);
    expect(said).toContain(`…and ${500 - SCHOOLS_SHOWN} more schools`);
    expect(said).toContain(`and ${500 - SCHOOLS_SHOWN - 10} others`);
    expect(said).toContain('…and 6 more');
  });
});
