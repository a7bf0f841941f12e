/**
 * The authority's view of its member schools, worded once for every platform: each school's open
 * incidents by priority, SLA breaches, open escalations (to the authority, with the commands that
 * open, update and hand one back; to other providers), contracts in their notice period and
 * overdue payments. Many schools are shown those needing attention first, at most `SCHOOLS_SHOWN`,
 * and a group of one school at most `GROUP_SHOWN` lines, each saying how many more there are.
 */
import type { AuthorityOverview, OverviewEscalation, SchoolOverview } from '../authority/overview';
import { PRIORITIES } from '../incidents/priority';
import { formatReference } from '../incidents/reference';
import { STATUS_LABELS } from '../incidents/state-machine';
import { pounds, ukDate } from './format';
import {
  bold,
  date,
  italic,
  type Presentation,
  type Rich,
  type Section,
  sentence,
  typed,
} from './presentation';

export const SCHOOLS_SHOWN = 6;
export const GROUP_SHOWN = 3;
/** The most names of the schools not shown (a Teams card holds about 28 KB, a Slack message 50 blocks). */
const NAMES_SHOWN = 10;
const SUMMARY_MAX = 80;

/** How a school is named in a command: quoted when it has spaces. */
export const schoolWord = (name: string) => (/\s/.test(name) ? `"${name}"` : name);

const attention = (s: SchoolOverview) =>
  s.breaches.length * 100 +
  s.toAuthority.length * 50 +
  s.overduePayments.length * 10 +
  s.contractsInNotice.length * 5 +
  PRIORITIES.reduce((n, p) => n + s.openByPriority[p], 0);

function capped<T>(items: readonly T[], line: (item: T) => Rich): Rich[] {
  const lines = items.slice(0, GROUP_SHOWN).map((i) => ['• ', ...line(i)]);
  if (items.length > GROUP_SHOWN) lines.push([italic(`…and ${items.length - GROUP_SHOWN} more`)]);
  return lines;
}

const escalationLine = (e: OverviewEscalation): Rich => [
  bold(formatReference(e.number)),
  ` ${e.priority} `,
  typed(e.summary, SUMMARY_MAX),
  ` — ${STATUS_LABELS[e.status]}, since `,
  date(e.escalatedAt),
  ...(e.respondedAt ? [', answered'] : e.respondBy ? [', answer due ', date(e.respondBy)] : []),
];

function schoolSections(s: SchoolOverview): Section[] {
  const open = PRIORITIES.map((p) => `${p} ${s.openByPriority[p]}`).join(' · ');
  const lines: Rich[] = [[bold(s.name)], [`Open incidents: ${open}`]];
  lines.push([`SLA breaches: ${s.breaches.length === 0 ? 'none' : s.breaches.length}`]);
  const sections: Section[] = [{ kind: 'lines', lines }];
  if (s.breaches.length > 0) {
    sections.push({
      kind: 'lines',
      tone: 'alert',
      lines: capped(s.breaches, (b) => [
        '⏰ ',
        bold(formatReference(b.number)),
        ` ${b.priority} `,
        typed(b.summary, SUMMARY_MAX),
        ` — ${b.missed.join(' and ')} target missed`,
      ]),
    });
  }
  const more: Rich[] = [];
  more.push([`Escalated to you: ${s.toAuthority.length === 0 ? 'none' : s.toAuthority.length}`]);
  more.push(
    ...capped(s.toAuthority, (e) => [
      ...escalationLine(e),
      ' — ',
      { command: `spoc authority open ${schoolWord(s.name)} ${formatReference(e.number)}` },
    ]),
  );
  more.push([`With other providers: ${s.toOthers.length === 0 ? 'none' : s.toOthers.length}`]);
  more.push(...capped(s.toOthers, (e) => [...escalationLine(e), ' — ', typed(e.providerName, 60)]));
  more.push([
    `Contracts in their notice period: ${s.contractsInNotice.length === 0 ? 'none' : s.contractsInNotice.length}`,
  ]);
  more.push(
    ...capped(s.contractsInNotice, (c) => [
      typed(c.title, 60),
      ' (',
      typed(c.providerName, 60),
      `) — notice by ${ukDate(c.noticeBy)}, ends ${ukDate(c.endDate)}`,
    ]),
  );
  more.push([`Overdue payments: ${s.overduePayments.length === 0 ? 'none' : s.overduePayments.length}`]);
  more.push(
    ...capped(s.overduePayments, (p) => [
      typed(p.payee, 60),
      ` ${pounds(p.amountPence)} — due ${ukDate(p.dueDate)}`,
    ]),
  );
  sections.push({ kind: 'lines', lines: more });
  return sections;
}

/** The overview: every school it may read, or the one asked for. */
export function presentAuthorityOverview(o: AuthorityOverview, only?: string): Presentation {
  const title: Rich = [
    `${o.authorityName || 'Authority'}: `,
    only ? only : `${o.schools.length} member schools`,
  ];
  if (o.schools.length === 0) {
    return sentence(
      only
        ? ['None of your member schools is called that.']
        : [
            `${o.authorityName || 'This authority'} has no member schools yet: whoever runs SPOC adds them with `,
            { code: 'npm run spoc -- authority add-member' },
            '.',
          ],
    );
  }
  const ranked = [...o.schools].sort((a, b) => attention(b) - attention(a) || a.name.localeCompare(b.name));
  const shown = ranked.slice(0, SCHOOLS_SHOWN);
  const sections: Section[] = [{ kind: 'heading', text: title }];
  for (const s of shown) sections.push(...schoolSections(s));
  const rest = ranked.slice(SCHOOLS_SHOWN);
  if (rest.length > 0) {
    sections.push({
      kind: 'context',
      text: [
        `…and ${rest.length} more schools, with less open: ${rest
          .slice(0, NAMES_SHOWN)
          .map((s) => s.name)
          .join(', ')}${rest.length > NAMES_SHOWN ? ` and ${rest.length - NAMES_SHOWN} others` : ''}. Say `,
        { command: 'spoc authority <school>' },
        ' to see one.',
      ],
    });
  }
  sections.push({
    kind: 'context',
    text: [
      'On an incident escalated to you: ',
      { command: 'spoc authority update <school> INC-n <what you did>' },
      ' records your update; ',
      { command: 'spoc authority handback <school> INC-n [note]' },
      ' hands it back to the school.',
    ],
  });
  return { text: title, sections, actions: [] };
}
