/**
 * The service report (`spoc report week|term|…`): what a head teacher reads, worded once for
 * every platform. Within every platform's limits: at most 10 figures a group, the 20 providers
 * with the most escalations, the top assets.
 */
import { formatSchoolMinutes } from '../incidents/sla';
import type { SatisfactionFigures, SatisfactionTally } from '../reports/satisfaction';
import type { ServiceReport, Tally } from '../reports/service-report';
import type { TargetTally, TimeStats } from '../reports/stats';
import { schoolToday } from '../school-time';
import { dayDate } from './format';
import { REPORT_FIX_WORDS } from './known-fixes';
import {
  bold,
  code,
  date,
  emoji,
  italic,
  type Presentation,
  type Rich,
  type Section,
  typed,
} from './presentation';

const MAX_FIELDS = 10;
const MAX_PROVIDERS = 20;
const NAME = 80;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

type Field = { label: string; value: Rich };

/** A titled group of figures: its title, then at most ten figures. */
function group(title: Rich, fields: Field[]): Section[] {
  return [
    { kind: 'text', text: title },
    { kind: 'fields', fields: fields.slice(0, MAX_FIELDS) },
  ];
}

/** Tallies as figures; past ten, the smallest are summed into one "Others". */
function tallyFields(tallies: Tally[]): Field[] {
  const field = (t: Tally): Field => ({ label: cut(t.label, NAME), value: [String(t.count)] });
  if (tallies.length <= MAX_FIELDS) return tallies.map(field);
  const shown = tallies.slice(0, MAX_FIELDS - 1);
  const rest = tallies.slice(MAX_FIELDS - 1);
  const others = rest.reduce((n, t) => n + t.count, 0);
  return [...shown.map(field), { label: `Others (${rest.length} more)`, value: [String(others)] }];
}

function times(t: TimeStats, day: number): Rich {
  if (t.medianMinutes === null || t.p90Minutes === null) return ['none yet'];
  const f = (m: number) => formatSchoolMinutes(m, day);
  return [`${f(t.medianMinutes)} · ${f(t.p90Minutes)} `, italic(`(${t.measured} measured)`)];
}

function met(t: TargetTally): string {
  const share = t.percent === null ? 'none measured yet' : `${t.met} of ${t.measured} (${t.percent}%)`;
  return t.notYet ? `${share} · ${t.notYet} not due yet` : share;
}

function periodLine(r: ServiceReport): Rich {
  const today = schoolToday(r.generatedAt, r.timezone);
  const soFar = r.period.to >= today ? ' (so far)' : '';
  const dates = `${dayDate(r.period.from)} – ${dayDate(r.period.to)}${soFar}`;
  const name = r.period.kind === 'range' ? dates : `${r.period.name}: ${dates}`;
  return [bold(name), ' · figures as at ', date(r.generatedAt)];
}

function providerLine(p: ServiceReport['providers'][number], day: number): Rich {
  const t = p.withinTarget;
  const parts = [`${p.escalations} ${p.escalations === 1 ? 'escalation' : 'escalations'}`];
  if (t.percent !== null) parts.push(`answered within target ${t.met} of ${t.measured} (${t.percent}%)`);
  if (t.notYet) parts.push(`${t.notYet} not due an answer yet`);
  if (p.withoutTarget) {
    parts.push(
      p.withoutTarget === p.escalations
        ? 'no response target in the contract'
        : `${p.withoutTarget} with no target`,
    );
  }
  parts.push(
    p.response.medianMinutes === null
      ? 'no answer yet'
      : `median first answer ${formatSchoolMinutes(p.response.medianMinutes, day)}`,
  );
  if (p.stillOpen) parts.push(`${p.stillOpen} still with them`);
  return ['• ', bold(typed(p.providerName, NAME)), `: ${parts.join(' · ')}`];
}

/** At most this many weeks, technicians and comments in the message; the CSV has them all. */
const MAX_WEEKS = 20;
const MAX_TECHNICIANS = 15;
const MAX_COMMENTS = 5;
const COMMENT = 300;

/** "3 of 4 answered · 👍 2 of 3 (67%)". */
function satisfactionWords(t: SatisfactionTally): string {
  const answered = `${t.answered} of ${t.asked} answered`;
  return t.upPercent === null ? answered : `${answered} · 👍 ${t.up} of ${t.answered} (${t.upPercent}%)`;
}

/**
 * Satisfaction: the period, each school week in it, and for the office (only when the report was
 * made for someone who may see them) each technician and the comments.
 */
function satisfactionSections(s: SatisfactionFigures): Section[] {
  const title: Rich = [bold('Satisfaction'), ' (asked once, when the reporter presses Fixed)'];
  if (s.all.asked === 0) {
    return [
      { kind: 'lines', lines: [title, ['Nobody pressed Fixed in this period, so nobody was asked yet.']] },
    ];
  }
  const weeks: Rich[] = s.weeks
    .slice(-MAX_WEEKS)
    .map((w) => [`• Week of ${dayDate(w.from)}: ${satisfactionWords(w.tally)}`]);
  if (s.weeks.length > MAX_WEEKS)
    weeks.unshift([`…${s.weeks.length - MAX_WEEKS} earlier weeks: see the CSV.`]);
  const sections: Section[] = [
    { kind: 'lines', lines: [title, [bold('All'), `: ${satisfactionWords(s.all)}`], ...weeks] },
  ];
  if (s.byTechnician && s.byTechnician.length > 0) {
    const lines: Rich[] = s.byTechnician
      .slice(0, MAX_TECHNICIANS)
      .map((t) => ['• ', bold(typed(t.name, NAME)), `: ${satisfactionWords(t.tally)}`]);
    if (s.byTechnician.length > MAX_TECHNICIANS)
      lines.push([`…and ${s.byTechnician.length - MAX_TECHNICIANS} more: see the CSV.`]);
    sections.push({
      kind: 'lines',
      lines: [[bold('Satisfaction per technician'), ' (office and admins only)'], ...lines],
    });
  }
  if (s.comments && s.comments.length > 0) {
    const lines: Rich[] = s.comments
      .slice(0, MAX_COMMENTS)
      .map((c) => [
        `• ${c.rating === 'up' ? '👍' : '👎'} `,
        bold(`INC-${c.incidentNumber}`),
        ...(c.technicianName ? [' (', typed(c.technicianName, NAME), ')'] : []),
        ', ',
        date(c.answeredAt),
        ': ',
        typed(c.comment, COMMENT),
      ]);
    if (s.comments.length > MAX_COMMENTS)
      lines.push([`…and ${s.comments.length - MAX_COMMENTS} more: see the CSV.`]);
    sections.push({
      kind: 'lines',
      lines: [[bold('Comments from reporters'), ' (newest first; office and admins only)'], ...lines],
    });
  }
  return sections;
}

/** Known fixes used in the period, once any was: deflections, then the most-used fixes. */
function knownFixSections(r: ServiceReport): Section[] {
  const k = r.knownFixes;
  if (k.deflections === 0 && k.top.length === 0) return [];
  const uses = (n: number) => (n === 1 ? '1 use' : `${n} uses`);
  return [
    {
      kind: 'lines',
      lines: [
        [bold(REPORT_FIX_WORDS.heading)],
        [`${REPORT_FIX_WORDS.deflections}: `, bold(String(k.deflections))],
        ...(k.top.length ? [[`${REPORT_FIX_WORDS.top}:`]] : []),
        ...k.top.map(
          (f): Rich => [
            '• ',
            bold(typed(f.title, NAME)),
            `: ${uses(f.uses)}`,
            ...(f.deflections ? [` (${f.deflections} with nothing reported)`] : []),
            ...(f.retired ? [' ', italic('retired')] : []),
          ],
        ),
      ],
    },
  ];
}

export function presentServiceReport(r: ServiceReport): Presentation {
  const day = r.dayMinutes;
  const sections: Section[] = [
    { kind: 'heading', text: [bold('Service report: ', typed(r.schoolName, 130))] },
    { kind: 'context', text: periodLine(r) },
  ];
  if (r.period.assumed) {
    sections.push({
      kind: 'context',
      text: [
        emoji(':warning:'),
        ' Term dates assumed (autumn 1 Sep–31 Dec, spring 1 Jan–31 Mar, summer 1 Apr–31 Aug). Record your holidays with ',
        { command: 'spoc term add' },
        ' for your real terms.',
      ],
    });
  }
  sections.push({
    kind: 'fields',
    fields: [
      { label: 'Faults reported', value: [String(r.reported)] },
      { label: 'Still open', value: [String(r.open)] },
      { label: 'Fixed or closed', value: [String(r.resolved)] },
      { label: 'Reopened', value: [String(r.reopened)] },
      { label: 'Escalated to providers', value: [String(r.escalations)] },
    ],
  });
  if (r.reported > 0) {
    const used = r.priorities.filter((p) => p.reported > 0);
    sections.push(
      ...group(
        [bold('Targets met'), ' (first response · fixed)'],
        [
          {
            label: 'All',
            value: [`Response: ${met(r.responseTarget)}\nFixed: ${met(r.resolutionTarget)}`],
          },
          ...used.map((p) => ({
            label: `${p.priority} (respond ${formatSchoolMinutes(p.respondTargetMinutes, day)}, fix ${formatSchoolMinutes(p.resolveTargetMinutes, day)})`,
            value: [`Response: ${met(p.responseTarget)}\nFixed: ${met(p.resolutionTarget)}`],
          })),
        ],
      ),
      ...group(
        [bold('Time to first response'), ' (median · 90th percentile)'],
        [
          { label: 'All', value: times(r.response, day) },
          ...used.map((p) => ({ label: p.priority, value: times(p.response, day) })),
        ],
      ),
      ...group(
        [bold('Time to fix'), ' (median · 90th percentile; time on hold left out)'],
        [
          { label: 'All', value: times(r.resolution, day) },
          ...used.map((p) => ({ label: p.priority, value: times(p.resolution, day) })),
        ],
      ),
      ...group([bold('By priority')], tallyFields(r.byPriority)),
      ...group([bold('By category')], tallyFields(r.byCategory)),
      ...group([bold('By location')], tallyFields(r.byLocation)),
      ...group([bold('By status')], tallyFields(r.byStatus)),
    );
  } else {
    sections.push({ kind: 'text', text: ['No faults were reported in this period.'] });
  }
  sections.push(...satisfactionSections(r.satisfaction));
  if (r.providers.length > 0) {
    const lines = r.providers.slice(0, MAX_PROVIDERS).map((p) => providerLine(p, day));
    if (r.providers.length > MAX_PROVIDERS) {
      lines.push([`…and ${r.providers.length - MAX_PROVIDERS} more providers: see the CSV.`]);
    }
    sections.push({ kind: 'lines', lines: [[bold('Escalations to support providers')], ...lines] });
  }
  if (r.topAssets.length > 0) {
    sections.push({
      kind: 'lines',
      lines: [
        [bold('Assets with the most faults')],
        ...r.topAssets.map(
          (a): Rich => ['• ', bold(typed(a.tag, NAME)), ' (', typed(a.description, NAME), `): ${a.count}`],
        ),
      ],
    });
  }
  sections.push(...knownFixSections(r));
  sections.push({
    kind: 'context',
    text: [
      'Times are school time: school hours on school days, weekends and holidays left out. Median and 90th percentile by the nearest-rank method. Add ',
      code('csv'),
      ' to the command to get this as a spreadsheet.',
    ],
  });
  return { text: ['Service report for ', r.schoolName, `: ${r.period.name}`], sections, actions: [] };
}
