/**
 * What SPOC can do for someone, by role (`spoc help`, and the answer to words SPOC does not know),
 * worded once for every platform. Commands are `command` spans, so each platform writes them the
 * way its people type them (`/fault` in Slack, `fault` in Teams).
 */
import { can, ROLE_LABELS, type Role } from '../roles';
import { bold, emoji, type Presentation, type Rich, type Span, surface } from './presentation';

const cmd = (command: string): Span => ({ command });

/** The help's lines for a role. */
function helpLines(role: Role): Rich[] {
  const staff = can(role, 'incident.viewAll');
  const lines: Rich[] = [
    ['Your role here: ', bold(ROLE_LABELS[role]), '.'],
    [''],
    [
      cmd('fault [what is wrong]'),
      ' — report an ICT fault (or use ',
      bold('Report ICT fault'),
      ' on any message)',
    ],
    [cmd('spoc incidents [open|mine|reported|all]'), ` — ${staff ? 'the incident queue' : 'your reports'}`],
    [cmd('spoc incident INC-7'), ' — one incident and its history'],
  ];
  if (staff) lines.push([cmd('spoc incidents P1…P4'), ' — open incidents of one priority']);
  if (can(role, 'incident.claim'))
    lines.push([
      'Press ',
      bold('Claim'),
      ' on a card in the SPOC channel to take an incident; ',
      bold('Resolve'),
      ' when fixed; the ⋯ menu adds a note or puts it on hold (the SLA clock pauses).',
    ]);
  if (can(role, 'incident.triage'))
    lines.push([
      'Press ',
      bold('Triage'),
      ' to set priority and category, ',
      bold('Forward'),
      ' to give it to a technician or first-line provider, ',
      bold('Escalate'),
      ' to pass it to a second-line provider with their reference; ',
      bold('Close'),
      ' to close.',
    ]);
  if (!staff)
    lines.push([
      'When your fault is fixed, press ',
      bold('Fixed'),
      ' or ',
      bold('Still broken'),
      ' in my message; you can add a comment or photo link to an open fault from there or from ',
      surface('home'),
      '.',
    ]);
  if (can(role, 'work.view'))
    lines.push([
      cmd('spoc changes [open|all|changes|problems]'),
      ' — changes and problems, with progress; ',
      cmd('spoc change CHG-3'),
      ' or ',
      cmd('spoc problem PRB-2'),
      ' shows one',
    ]);
  if (can(role, 'report.view'))
    lines.push([
      cmd('spoc report week|last-week|term|last-term|YYYY-MM-DD..YYYY-MM-DD [csv]'),
      ' — the service report (CSV in ',
      surface('chat'),
      ')',
    ]);
  if (staff)
    lines.push(
      can(role, 'school.settings')
        ? [
            cmd('spoc settings'),
            ' — school day, SLA targets and reminder lead times (Edit, or ',
            cmd('spoc settings sla P1 30m 4h'),
            ', ',
            cmd('spoc settings hours 08:30 15:30'),
            ')',
          ]
        : [cmd('spoc settings'), ' — school day, SLA targets and reminder lead times'],
    );
  if (can(role, 'school.roles')) {
    lines.push(
      [cmd('spoc role @person teacher|technician|office|admin'), ' — give someone a role'],
      [cmd('spoc setup'), ' — make this channel the SPOC channel'],
    );
  } else {
    lines.push([
      cmd('spoc setup'),
      ' — first-time setup: makes this channel the SPOC channel (the first person becomes admin)',
    ]);
  }
  if (can(role, 'register.view')) {
    lines.push(
      [cmd('spoc locations'), ' — the locations list'],
      [
        cmd('spoc assets [location|type|text]'),
        ' — the asset register; ',
        cmd('spoc asset TAG'),
        ' shows one',
      ],
      [cmd('spoc licences'), ' — the licence list, with compliance'],
      [cmd('spoc providers'), ' — support providers and suppliers'],
      [cmd('spoc contracts'), ' — contracts, soonest ending first, with notice deadlines'],
      [cmd('spoc diary [YYYY-MM]'), ' — this month’s diary (or that month’s)'],
      [cmd('spoc export locations|assets|licences|incidents'), ' — a CSV file in ', surface('chat')],
    );
  }
  if (can(role, 'register.manage'))
    lines.push(
      [cmd('spoc import locations|assets|licences'), ' — upload a CSV, preview, then import'],
      [cmd('spoc payments [all]'), ' — scheduled payments, soonest due first; Mark paid or Cancel'],
    );
  lines.push([cmd('spoc help'), ' — this list']);
  return lines;
}

/** Lines as one paragraph, a line break between each. */
const asText = (lines: Rich[]): Rich => lines.flatMap((l, i) => (i === 0 ? l : ['\n', ...l]));

/** What the person may do, by role: one paragraph, as Slack has always shown it. */
export function presentHelp(role: Role): Presentation {
  const text = asText(helpLines(role));
  return { text, sections: [{ kind: 'text', text }], actions: [] };
}

/**
 * The help for someone SPOC cannot place in a school yet (a personal chat before their school
 * has spoken to SPOC): the first steps, and `why` (the reason SPOC cannot tell) under them.
 */
export function presentGenericHelp(why?: string): Presentation {
  const text = asText([
    ["I'm SPOC, your school's ICT helpdesk. You can say:"],
    [
      cmd('spoc setup'),
      ' — first-time setup: makes this channel the SPOC channel (the first person becomes admin)',
    ],
    [cmd('fault [what is wrong]'), ' — report an ICT fault'],
    [cmd('spoc help'), ' — this list'],
  ]);
  return {
    text,
    sections: [{ kind: 'text', text }, ...(why ? [{ kind: 'context' as const, text: [why] }] : [])],
    actions: [],
  };
}

/** A command SPOC could not follow: what was wrong, then the help for the person's role. */
export function presentUsage(problem: Rich | string, role: Role): Presentation {
  const said = typeof problem === 'string' ? [problem] : problem;
  return {
    text: said,
    sections: [
      { kind: 'text', text: [emoji(':thinking_face:'), ' ', ...said] },
      ...presentHelp(role).sections,
    ],
    actions: [],
  };
}
