/**
 * The service report as a spreadsheet: one row per figure (Section, Item, Measure, Value, In
 * words), so it opens straight in Excel and pivots or filters without reshaping. Times are whole
 * school minutes in Value (for sums and charts) and "1h 30m" in In words; dates are UK (30/11/2026).
 * A BOM makes Excel read UTF-8; any cell a spreadsheet would run as a formula is neutralised.
 */
import { stringify } from 'csv-stringify/sync';
import { neutraliseCell } from '../imports/fields';
import { formatSchoolMinutes } from '../incidents/sla';
import { ukDate, ukDateTime } from '../presenters/format';
import type { SatisfactionTally } from './satisfaction';
import type { ServiceReport } from './service-report';
import type { TargetTally, TimeStats } from './stats';

export const REPORT_CSV_HEADERS = ['Section', 'Item', 'Measure', 'Value', 'In words'] as const;

type Row = [section: string, item: string, measure: string, value: string | number | null, words?: string];

/** Moment as local school wall-clock time, e.g. `30/11/2026 09:15`. */
export function localMoment(at: Date, timezone: string): string {
  return ukDateTime(at, timezone);
}

function timeRows(section: string, item: string, t: TimeStats, dayMinutes: number): Row[] {
  const words = (m: number | null) => (m === null ? '' : formatSchoolMinutes(m, dayMinutes));
  return [
    [section, item, 'Incidents measured', t.measured],
    [section, item, 'Median (school minutes)', t.medianMinutes, words(t.medianMinutes)],
    [section, item, '90th percentile (school minutes)', t.p90Minutes, words(t.p90Minutes)],
  ];
}

function targetRows(section: string, item: string, t: TargetTally, target?: [number, number]): Row[] {
  const rows: Row[] = [];
  if (target)
    rows.push([
      section,
      item,
      'Target (school minutes)',
      target[0],
      formatSchoolMinutes(target[0], target[1]),
    ]);
  rows.push(
    [section, item, 'Met', t.met],
    [section, item, 'Measured', t.measured],
    [
      section,
      item,
      '% met',
      t.percent,
      t.percent === null ? 'nothing measured yet' : `${t.met} of ${t.measured}`,
    ],
    [section, item, 'Open, within target (not measured yet)', t.notYet],
  );
  return rows;
}

export function reportRows(r: ServiceReport): Row[] {
  const day = r.dayMinutes;
  const rows: Row[] = [
    ['Report', 'School', 'Name', r.schoolName],
    ['Report', 'Period', 'Name', r.period.name],
    ['Report', 'Period', 'From', ukDate(r.period.from)],
    ['Report', 'Period', 'To', ukDate(r.period.to)],
    ['Report', 'Figures', 'As at', localMoment(r.generatedAt, r.timezone)],
    [
      'Report',
      'Figures',
      'Method',
      'School time (school hours on school days); median and 90th percentile by nearest rank',
    ],
  ];
  if (r.period.assumed) {
    rows.push([
      'Report',
      'Period',
      'Term dates',
      'Assumed: record the school holidays with spoc term add (/spoc term add in Slack)',
    ]);
  }
  rows.push(
    ['Summary', 'Incidents', 'Reported', r.reported],
    ['Summary', 'Incidents', 'Still open', r.open],
    ['Summary', 'Incidents', 'Resolved or closed', r.resolved],
    ['Summary', 'Incidents', 'Reopened', r.reopened],
    ['Summary', 'Escalations', 'Made', r.escalations],
  );
  for (const t of r.byPriority) rows.push(['By priority', t.label, 'Incidents', t.count]);
  for (const t of r.byCategory) rows.push(['By category', t.label, 'Incidents', t.count]);
  for (const t of r.byLocation) rows.push(['By location', t.label, 'Incidents', t.count]);
  for (const t of r.byStatus) rows.push(['By status', t.label, 'Incidents', t.count]);
  rows.push(...timeRows('First response', 'All', r.response, day));
  for (const p of r.priorities) rows.push(...timeRows('First response', p.priority, p.response, day));
  rows.push(...timeRows('Resolution', 'All', r.resolution, day));
  for (const p of r.priorities) rows.push(...timeRows('Resolution', p.priority, p.resolution, day));
  rows.push(...targetRows('Response target', 'All', r.responseTarget));
  for (const p of r.priorities) {
    rows.push(...targetRows('Response target', p.priority, p.responseTarget, [p.respondTargetMinutes, day]));
  }
  rows.push(...targetRows('Resolution target', 'All', r.resolutionTarget));
  for (const p of r.priorities) {
    rows.push(
      ...targetRows('Resolution target', p.priority, p.resolutionTarget, [p.resolveTargetMinutes, day]),
    );
  }
  for (const p of r.providers) {
    const m = p.response.medianMinutes;
    rows.push(
      ['Escalations', p.providerName, 'Escalations', p.escalations],
      ['Escalations', p.providerName, 'Answered within target', p.withinTarget.met],
      ['Escalations', p.providerName, 'Measured against a target', p.withinTarget.measured],
      ['Escalations', p.providerName, '% within target', p.withinTarget.percent],
      ['Escalations', p.providerName, 'Not due an answer yet', p.withinTarget.notYet],
      ['Escalations', p.providerName, 'No contract response target', p.withoutTarget],
      [
        'Escalations',
        p.providerName,
        'Median time to first response (school minutes)',
        m,
        m === null ? '' : formatSchoolMinutes(m, day),
      ],
      ['Escalations', p.providerName, 'Still open', p.stillOpen],
    );
  }
  for (const a of r.topAssets) rows.push(['Top assets', `${a.tag} (${a.description})`, 'Incidents', a.count]);
  rows.push(['Known fixes', 'All', 'Faults settled with nothing reported', r.knownFixes.deflections]);
  for (const f of r.knownFixes.top) {
    const item = f.retired ? `${f.title} (retired)` : f.title;
    rows.push(
      ['Known fixes', item, 'Uses', f.uses],
      ['Known fixes', item, 'Settled with nothing reported', f.deflections],
    );
  }
  rows.push(...satisfactionRows(r));
  return rows;
}

function tallyRows(section: string, item: string, t: SatisfactionTally): Row[] {
  return [
    [section, item, 'Asked', t.asked],
    [section, item, 'Answered', t.answered],
    [section, item, 'Thumbs up', t.up],
    [section, item, 'Thumbs down', t.down],
    [
      section,
      item,
      '% thumbs up',
      t.upPercent,
      t.upPercent === null ? 'no answers yet' : `${t.up} of ${t.answered}`,
    ],
  ];
}

/**
 * Satisfaction: the period, each school week (by its Monday), and, when the report was made for
 * the office, each technician and every comment.
 */
function satisfactionRows(r: ServiceReport): Row[] {
  const s = r.satisfaction;
  const rows: Row[] = tallyRows('Satisfaction', 'All', s.all);
  for (const w of s.weeks)
    rows.push(...tallyRows('Satisfaction by week', `Week of ${ukDate(w.from)}`, w.tally));
  for (const t of s.byTechnician ?? [])
    rows.push(...tallyRows('Satisfaction by technician', t.name, t.tally));
  for (const c of s.comments ?? []) {
    rows.push([
      'Satisfaction comments',
      `INC-${c.incidentNumber}`,
      c.rating === 'up' ? 'Thumbs up' : 'Thumbs down',
      c.comment,
      `${localMoment(c.answeredAt, r.timezone)}${c.technicianName ? ` · ${c.technicianName}` : ''}`,
    ]);
  }
  return rows;
}

/** The report as CSV text: BOM, headings, CRLF line ends, formula-like cells neutralised. */
export function reportCsv(r: ServiceReport): string {
  const cells = reportRows(r).map(([section, item, measure, value, words = '']) =>
    [section, item, measure, value === null ? '' : String(value), words].map(neutraliseCell),
  );
  return stringify([[...REPORT_CSV_HEADERS], ...cells], {
    bom: true,
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/,
  });
}

/** A file name that says which school period it covers. */
export function reportFileName(r: ServiceReport): string {
  return `spoc-report-${r.period.from}-to-${r.period.to}.csv`;
}
