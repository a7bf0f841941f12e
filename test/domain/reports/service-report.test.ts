import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA, slaTargetsOf } from '../../../src/domain/incidents/sla';
import { parsePeriod, type ReportPeriod } from '../../../src/domain/reports/period';
import { REPORT_CSV_HEADERS, reportCsv } from '../../../src/domain/reports/report-csv';
import {
  computeServiceReport,
  type ReportIncident,
  type ReportInput,
  type ServiceReport,
} from '../../../src/domain/reports/service-report';
import { nearestRank, tally, timeStats } from '../../../src/domain/reports/stats';
import { makeCalendar } from '../../../src/domain/school-time';
import {
  ESCALATIONS,
  EXPECTED,
  HOLIDAYS,
  INCIDENTS,
  NOW,
  reportEscalationsOf,
  reportIncidentsOf,
} from '../../fixtures/service-report/autumn-term';

const calendar = makeCalendar({ holidays: HOLIDAYS });

function termPeriod(): ReportPeriod {
  const parsed = parsePeriod('term', '2026-11-30', HOLIDAYS);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.period;
}

function fixtureReport(overrides: Partial<ReportInput> = {}): ServiceReport {
  return computeServiceReport({
    schoolName: 'Hillside Primary',
    period: termPeriod(),
    calendar,
    sla: DEFAULT_SLA,
    now: new Date(NOW),
    // Only the term's rows: the query selects by period; the database test checks that part.
    incidents: reportIncidentsOf(INCIDENTS),
    escalations: reportEscalationsOf([]),
    ...overrides,
  });
}

const pairs = (tallies: ServiceReport['byCategory']) => tallies.map((t) => [t.label, t.count]);

describe('nearest-rank percentiles', () => {
  it.each([
    [[], 50, null],
    [[7], 50, 7],
    [[7], 90, 7],
    [[4, 1, 3, 2], 50, 2], // even count: the lower middle value, never an average
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10], // rank ⌈9.9⌉ = 10
    [[3, 1, 2], 100, 3],
  ])('%j p%i = %s', (values, p, expected) => {
    expect(nearestRank(values, p)).toBe(expected);
  });

  it('refuses a percentile outside (0, 100]', () => {
    expect(() => nearestRank([1], 0)).toThrow(RangeError);
    expect(() => nearestRank([1], 101)).toThrow(RangeError);
  });

  it('tallies met, measured and not yet', () => {
    expect(tally([true, false, null, true])).toEqual({ met: 2, measured: 3, percent: 67, notYet: 1 });
    expect(tally([null])).toEqual({ met: 0, measured: 0, percent: null, notYet: 1 });
    expect(timeStats([])).toEqual({ measured: 0, medianMinutes: null, p90Minutes: null });
  });
});

describe('the autumn term report matches the hand-computed fixture', () => {
  // The escalations made in the term (the fixture's July one is not).
  const inTerm = ESCALATIONS.filter((e) => e.at.startsWith('2026-11'));
  const report = fixtureReport({ escalations: reportEscalationsOf(inTerm) });

  it('counts', () => {
    expect(report.period).toEqual(EXPECTED.period);
    expect([report.reported, report.open, report.resolved, report.reopened, report.escalations]).toEqual([
      EXPECTED.reported,
      EXPECTED.open,
      EXPECTED.resolved,
      EXPECTED.reopened,
      EXPECTED.escalations,
    ]);
    expect(pairs(report.byCategory)).toEqual(EXPECTED.byCategory);
    expect(pairs(report.byLocation)).toEqual(EXPECTED.byLocation);
    expect(pairs(report.byPriority)).toEqual(EXPECTED.byPriority);
    expect(pairs(report.byStatus)).toEqual(EXPECTED.byStatus);
  });

  it('first response and fix times, overall and per priority', () => {
    expect(report.response).toEqual(EXPECTED.response);
    expect(report.resolution).toEqual(EXPECTED.resolution);
    for (const p of report.priorities) {
      expect(p.response, p.priority).toEqual(EXPECTED.responseByPriority[p.priority]);
      expect(p.resolution, p.priority).toEqual(EXPECTED.resolutionByPriority[p.priority]);
    }
  });

  it('targets met, overall and per priority', () => {
    expect(report.responseTarget).toEqual(EXPECTED.responseTarget);
    expect(report.resolutionTarget).toEqual(EXPECTED.resolutionTarget);
    for (const p of report.priorities) {
      expect(p.responseTarget, p.priority).toEqual(EXPECTED.responseTargetByPriority[p.priority]);
      expect(p.resolutionTarget, p.priority).toEqual(EXPECTED.resolutionTargetByPriority[p.priority]);
    }
    expect(report.priorities.map((p) => [p.respondTargetMinutes, p.resolveTargetMinutes])).toEqual([
      [30, 240],
      [120, 480],
      [480, 1440],
      [1440, 4800],
    ]);
  });

  it('escalations by provider and the top assets', () => {
    expect(report.providers).toEqual(EXPECTED.providers);
    expect(report.topAssets).toEqual(EXPECTED.topAssets);
  });

  it('as CSV: one row per figure, with times in school minutes and in words', () => {
    const csv = reportCsv(report);
    expect(csv.startsWith('\uFEFFSection,Item,Measure,Value,In words\r\n')).toBe(true);
    const rows = parse(csv.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0] ?? {})).toEqual([...REPORT_CSV_HEADERS]);
    const value = (section: string, item: string, measure: string) =>
      rows.find((r) => r.Section === section && r.Item === item && r.Measure === measure);
    expect(value('Report', 'Period', 'From')?.Value).toBe('02/09/2026');
    expect(value('Report', 'Figures', 'As at')?.Value).toBe('30/11/2026 09:15');
    expect(value('Summary', 'Incidents', 'Reported')?.Value).toBe('13');
    expect(value('By category', 'Hardware', 'Incidents')?.Value).toBe('5');
    expect(value('First response', 'All', 'Median (school minutes)')).toMatchObject({
      Value: '60',
      'In words': '1h',
    });
    expect(value('Resolution', 'All', 'Median (school minutes)')).toMatchObject({
      Value: '600',
      'In words': '1 day 2h',
    });
    expect(value('Response target', 'All', '% met')).toMatchObject({ Value: '83', 'In words': '10 of 12' });
    expect(value('Resolution target', 'P3', 'Target (school minutes)')).toMatchObject({
      Value: '1440',
      'In words': '3 days',
    });
    expect(value('Escalations', 'County ICT', 'Answered within target')?.Value).toBe('1');
    expect(value('Escalations', 'AV Supplies Ltd', '% within target')?.Value).toBe('');
    expect(value('Top assets', 'PRJ-1 (Projector, Epson EB-680)', 'Incidents')?.Value).toBe('3');
    expect(rows.some((r) => r.Section === 'Report' && r.Measure === 'Term dates')).toBe(false);
  });
});

describe('rules', () => {
  const base: ReportIncident = reportIncidentsOf(INCIDENTS).find((i) => i.number === 1) as ReportIncident;
  const one = (i: Partial<ReportIncident>, extra: Partial<ReportInput> = {}) =>
    fixtureReport({ incidents: [{ ...base, ...i }], ...extra });

  it('an incident closed without a recorded fix counts from its closing', () => {
    // Reported 09:00 BST (08:00Z), closed as a duplicate at 10:00 BST.
    const later = one({
      resolvedAt: null,
      firstResponseAt: null,
      closedAt: new Date('2026-09-07T09:00:00Z'),
    });
    expect(later.response.medianMinutes).toBe(60);
    expect(later.resolution.medianMinutes).toBe(60);
    expect(later.resolutionTarget).toMatchObject({ met: 1, measured: 1 });
  });

  it('a reopened incident is open: an old fix time is not counted', () => {
    const r = one({ status: 'reopened', closedAt: null, reopenCount: 2 });
    expect(r.resolution.measured).toBe(0);
    expect(r.open).toBe(1);
    expect(r.reopened).toBe(1);
    // Long past its 4h target at now: missed.
    expect(r.resolutionTarget).toEqual({ met: 0, measured: 1, percent: 0, notYet: 0 });
  });

  it("an older row without targets takes the school's own targets", () => {
    const strict = slaTargetsOf({ P1: { respondMinutes: 10, resolveMinutes: 60 } });
    const r = one({}, { sla: strict });
    expect(r.responseTarget).toMatchObject({ met: 0, measured: 1 }); // 20 > 10
    expect(r.resolutionTarget).toMatchObject({ met: 0, measured: 1 }); // 120 > 60
    expect(r.priorities[0]).toMatchObject({ respondTargetMinutes: 10, resolveTargetMinutes: 60 });
    // The incident's own targets win over the school's.
    const own = one({ slaRespondMinutes: 30, slaResolveMinutes: 240 }, { sla: strict });
    expect(own.responseTarget).toMatchObject({ met: 1, measured: 1 });
  });

  it('an escalation still unanswered within its target is not measured yet', () => {
    const r = fixtureReport({
      escalations: [
        {
          providerId: 'p',
          providerName: 'County ICT',
          incidentNumber: 10,
          escalatedAt: new Date('2026-11-30T09:00:00Z'),
          respondedAt: null,
          returnedAt: null,
          responseTargetHours: 4,
        },
      ],
    });
    expect(r.providers[0]).toMatchObject({
      withinTarget: { met: 0, measured: 0, percent: null, notYet: 1 },
      response: { measured: 0, medianMinutes: null },
      stillOpen: 1,
    });
  });

  it('an empty period gives zeros, not errors', () => {
    const r = fixtureReport({ incidents: [] });
    expect(r.reported).toBe(0);
    expect(r.response).toEqual({ measured: 0, medianMinutes: null, p90Minutes: null });
    expect(r.responseTarget).toEqual({ met: 0, measured: 0, percent: null, notYet: 0 });
    expect(r.byCategory).toEqual([]);
    expect(r.topAssets).toEqual([]);
  });

  it('only the top five assets are listed', () => {
    const incidents = Array.from({ length: 7 }, (_, n) => ({
      ...base,
      number: n + 1,
      asset: { id: `a${n}`, tag: `PC-${n}`, type: 'desktop' as const, make: '', model: '' },
    }));
    const r = fixtureReport({ incidents });
    expect(r.topAssets).toHaveLength(5);
    expect(r.topAssets[0]).toEqual({ tag: 'PC-0', description: 'Desktop', count: 1 });
  });

  it('a formula-like name is neutralised in the CSV', () => {
    const r = one({ locationName: '=HYPERLINK("http://evil","x")' });
    const rows = parse(reportCsv(r).replace(/^\uFEFF/, ''), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(rows.find((row) => row.Section === 'By location')?.Item).toBe(`'=HYPERLINK("http://evil","x")`);
  });

  it('assumed term dates are said in the CSV', () => {
    const assumed = parsePeriod('term', '2026-11-30', []);
    if (!assumed.ok) throw new Error(assumed.reason);
    const rows = parse(reportCsv(fixtureReport({ period: assumed.period })).replace(/^\uFEFF/, ''), {
      columns: true,
    }) as Array<Record<string, string>>;
    expect(rows.find((r) => r.Measure === 'Term dates')?.Value).toContain('/spoc term add');
  });
});
