/** `spoc settings`: the school day, service targets and reminder lead times, worded once. */
import { PRIORITIES } from '../incidents/priority';
import { formatSchoolMinutes } from '../incidents/sla';
import type { LeadTimes } from '../reminders/rules';
import { serviceHoursWords } from '../school-time';
import type { SchoolSettings } from '../schools/settings';
import { PRIORITY_EMOJI } from './incident-card';
import { bold, emoji, type Presentation, person, type Rich, type Section, typed } from './presentation';

const cmd = (command: string) => ({ command });

/** How the settings are changed, and how targets are written. */
export const SETTINGS_USAGE: Rich = [
  'Usage: ',
  cmd('spoc settings'),
  ' to see them; admins: ',
  cmd('spoc settings sla P1 30m 4h'),
  ' (respond, resolve) or ',
  cmd('spoc settings hours 08:30 15:30'),
  '. Targets are school time: 30m, 2h, 1 day, 3 days (a day is the school day).',
];

/** The length of the school day, "8h" or "7h 30m" (never "1 day"). */
const hoursText = (m: number) => `${Math.floor(m / 60)}h${m % 60 ? ` ${m % 60}m` : ''}`;
const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

function leadLine(lead: LeadTimes): string {
  return [
    `payments due soon: ${days(lead.paymentDueSoonDays)} ahead`,
    `contract notice deadline: ${lead.contractNoticeDays.join(', ')} days before`,
    `contract end: ${days(lead.contractEndDays)} before`,
    `licence expiry: ${lead.licenceExpiryDays.join(', ')} days before`,
    `warranty end: ${days(lead.warrantyDays)} before`,
  ].join(' · ');
}

/** Each priority's targets, one line each. */
export function targetLines(s: SchoolSettings): Rich[] {
  return PRIORITIES.map(
    (p): Rich => [
      emoji(PRIORITY_EMOJI[p]),
      ' ',
      bold(p),
      ' — respond within ',
      bold(formatSchoolMinutes(s.sla[p].respondMinutes, s.dayMinutes)),
      ', fix within ',
      bold(formatSchoolMinutes(s.sla[p].resolveMinutes, s.dayMinutes)),
    ],
  );
}

/** The service's hours and who is on call for P1s outside them. */
export function outOfHoursText(s: SchoolSettings): Rich {
  return [
    bold('Out of hours'),
    `: the service's hours are ${serviceHoursWords(s)}; a fault reported outside them is seen when the office next opens.`,
    // Absent when not read: say nothing rather than "nobody".
    ...(s.onCall === undefined
      ? []
      : s.onCall
        ? [' A P1 out of hours goes at once to ', person(s.onCall.name, s.onCall.slackUserId), ' (on call).']
        : [' Nobody is on call: a P1 out of hours waits for the office.']),
  ];
}

/** Lines as one paragraph. */
export const asParagraph = (lines: Rich[]): Rich => lines.flatMap((l, i) => (i === 0 ? l : ['\n', ...l]));

/** The settings as a private answer; the Edit button is there for admins (the form checks again). */
export function presentSettings(s: SchoolSettings, canEdit: boolean): Presentation {
  const sections: Section[] = [
    { kind: 'text', text: [bold('School settings'), ' · ', typed(s.schoolName, 100)] },
    {
      kind: 'text',
      text: [
        bold('School day'),
        `: ${s.dayStart}–${s.dayEnd} (${hoursText(s.dayMinutes)}), `,
        typed(s.timezone, 60),
        '. Weekends, bank holidays and ',
        cmd('spoc term'),
        ' holidays are not school time.',
      ],
    },
    {
      kind: 'text',
      text: asParagraph([
        [bold('Service targets'), ` (school time; a day is the ${hoursText(s.dayMinutes)} school day)`],
        ...targetLines(s),
      ]),
    },
    { kind: 'text', text: outOfHoursText(s) },
    { kind: 'text', text: [bold('Reminders'), `: ${leadLine(s.leadTimes)}`] },
    {
      kind: 'text',
      text: [
        bold('Ticket from a message'),
        ': in Slack, react with ',
        { code: `:${s.ticketEmoji}:` },
        ' to a message in a channel I am in, and I log it as a fault.',
      ],
    },
  ];
  if (canEdit) {
    sections.push(
      {
        kind: 'buttons',
        actions: [{ id: 'settings.edit', label: 'Edit', value: 'edit', style: 'primary' }],
      },
      { kind: 'context', text: SETTINGS_USAGE },
    );
  } else {
    sections.push({ kind: 'context', text: ['Only an admin can change these.'] });
  }
  return { text: [`School settings for ${s.schoolName}`], sections, actions: [] };
}
