/**
 * The service report as a private Block Kit reply: what a head teacher reads. Within Slack's
 * limits: well under 50 blocks, at most 10 fields per section, every text under 3000 characters.
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { formatSchoolMinutes } from '../../../domain/incidents/sla';
import type { ServiceReport, Tally } from '../../../domain/reports/service-report';
import type { TargetTally, TimeStats } from '../../../domain/reports/stats';
import { schoolToday } from '../../../domain/school-time';
import { clip, esc, escClip, md, plain, sectionsOf, slackDate, ukDate } from './format';
import type { SlackMessage } from './incident-card.view';

const MAX_FIELDS = 10;
const MAX_PROVIDERS = 20;
const NAME = 80;

function fieldsSection(title: string, fields: string[]): SectionBlock {
  return {
    type: 'section',
    text: md(title),
    fields: fields.slice(0, MAX_FIELDS).map((f) => md(clip(f, 2000))),
  };
}

/** Tallies as fields; past ten, the smallest are summed into one "Others" field. */
function tallyFields(tallies: Tally[]): string[] {
  const lines = (t: Tally) => `*${escClip(t.label, NAME)}*\n${t.count}`;
  if (tallies.length <= MAX_FIELDS) return tallies.map(lines);
  const shown = tallies.slice(0, MAX_FIELDS - 1);
  const rest = tallies.slice(MAX_FIELDS - 1);
  const others = rest.reduce((n, t) => n + t.count, 0);
  return [...shown.map(lines), `*Others (${rest.length} more)*\n${others}`];
}

function times(t: TimeStats, day: number): string {
  if (t.medianMinutes === null || t.p90Minutes === null) return 'none yet';
  const f = (m: number) => formatSchoolMinutes(m, day);
  return `${f(t.medianMinutes)} · ${f(t.p90Minutes)} _(${t.measured} measured)_`;
}

function met(t: TargetTally): string {
  const share = t.percent === null ? 'none measured yet' : `${t.met} of ${t.measured} (${t.percent}%)`;
  return t.notYet ? `${share} · ${t.notYet} not due yet` : share;
}

function periodLine(r: ServiceReport): string {
  const today = schoolToday(r.generatedAt, r.timezone);
  const soFar = r.period.to >= today ? ' (so far)' : '';
  const dates = `${ukDate(r.period.from)} – ${ukDate(r.period.to)}${soFar}`;
  const name = r.period.kind === 'range' ? dates : `${r.period.name}: ${dates}`;
  return `*${name}* · figures as at ${slackDate(r.generatedAt, r.timezone)}`;
}

function providerLine(p: ServiceReport['providers'][number], day: number): string {
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
  return `• *${escClip(p.providerName, NAME)}*: ${parts.join(' · ')}`;
}

export function serviceReportView(r: ServiceReport): SlackMessage {
  const day = r.dayMinutes;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(clip(`Service report: ${r.schoolName}`, 150)) },
    { type: 'context', elements: [md(periodLine(r))] },
  ];
  if (r.period.assumed) {
    blocks.push({
      type: 'context',
      elements: [
        md(
          ':warning: Term dates assumed (autumn 1 Sep–31 Dec, spring 1 Jan–31 Mar, summer 1 Apr–31 Aug). Record your holidays with `/spoc term add` for your real terms.',
        ),
      ],
    });
  }
  blocks.push({
    type: 'section',
    fields: [
      md(`*Faults reported*\n${r.reported}`),
      md(`*Still open*\n${r.open}`),
      md(`*Fixed or closed*\n${r.resolved}`),
      md(`*Reopened*\n${r.reopened}`),
      md(`*Escalated to providers*\n${r.escalations}`),
    ],
  });
  if (r.reported > 0) {
    const used = r.priorities.filter((p) => p.reported > 0);
    blocks.push(
      { type: 'divider' },
      fieldsSection('*Targets met* (first response · fixed)', [
        `*All*\nResponse: ${met(r.responseTarget)}\nFixed: ${met(r.resolutionTarget)}`,
        ...used.map(
          (p) =>
            `*${p.priority}* (respond ${formatSchoolMinutes(p.respondTargetMinutes, day)}, fix ${formatSchoolMinutes(p.resolveTargetMinutes, day)})\nResponse: ${met(p.responseTarget)}\nFixed: ${met(p.resolutionTarget)}`,
        ),
      ]),
      fieldsSection('*Time to first response* (median · 90th percentile)', [
        `*All*\n${times(r.response, day)}`,
        ...used.map((p) => `*${p.priority}*\n${times(p.response, day)}`),
      ]),
      fieldsSection('*Time to fix* (median · 90th percentile; time on hold left out)', [
        `*All*\n${times(r.resolution, day)}`,
        ...used.map((p) => `*${p.priority}*\n${times(p.resolution, day)}`),
      ]),
      { type: 'divider' },
      fieldsSection('*By priority*', tallyFields(r.byPriority)),
      fieldsSection('*By category*', tallyFields(r.byCategory)),
      fieldsSection('*By location*', tallyFields(r.byLocation)),
      fieldsSection('*By status*', tallyFields(r.byStatus)),
    );
  } else {
    blocks.push({ type: 'section', text: md('No faults were reported in this period.') });
  }
  if (r.providers.length > 0) {
    const lines = r.providers.slice(0, MAX_PROVIDERS).map((p) => providerLine(p, day));
    if (r.providers.length > MAX_PROVIDERS) {
      lines.push(`…and ${r.providers.length - MAX_PROVIDERS} more providers: see the CSV.`);
    }
    blocks.push({ type: 'divider' }, ...sectionsOf(['*Escalations to support providers*', ...lines]));
  }
  if (r.topAssets.length > 0) {
    blocks.push(
      ...sectionsOf([
        '*Assets with the most faults*',
        ...r.topAssets.map(
          (a) => `• *${escClip(a.tag, NAME)}* (${escClip(a.description, NAME)}): ${a.count}`,
        ),
      ]),
    );
  }
  blocks.push({
    type: 'context',
    elements: [
      md(
        'Times are school time: school hours on school days, weekends and holidays left out. Median and 90th percentile by the nearest-rank method. Add `csv` to the command to get this as a spreadsheet.',
      ),
    ],
  });
  return { text: `Service report for ${esc(r.schoolName)}: ${r.period.name}`, blocks };
}
