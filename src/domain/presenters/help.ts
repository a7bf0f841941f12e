/**
 * What SPOC can do for someone, by role (`spoc help`, and the answer to words SPOC does not know),
 * grouped by task and worded once for every platform. Commands are `command` spans, so each
 * platform writes them the way its people type them (`/fault` in Slack, `fault` in Teams).
 */
import { can, ROLE_LABELS, type Role } from '../roles';
import {
  bold,
  emoji,
  joinRich,
  type Presentation,
  type Rich,
  type Section,
  type Span,
  surface,
} from './presentation';

const cmd = (command: string): Span => ({ command });

/** One task's part of the help: a short title, then what the person may do for it. */
interface HelpGroup {
  title: string;
  lines: Rich[];
}

/** The help's titles, in order; a role sees only the groups it can use. */
export const HELP_TITLES = {
  report: 'Report a fault',
  triage: 'Triage',
  registers: 'Registers',
  money: 'Money and contracts',
  reports: 'Reports',
  settings: 'Settings',
  authority: 'Authority (second-level support)',
} as const;

/** The help's groups for a role, by task: only those with something the role can do. */
function helpGroups(role: Role): HelpGroup[] {
  const staff = can(role, 'incident.viewAll');
  const manage = can(role, 'register.manage');
  const groups: HelpGroup[] = [];

  const report: Rich[] = [
    [
      cmd('fault [what is wrong]'),
      ' — report an ICT fault (or use ',
      bold('Report ICT fault'),
      ' on any message)',
    ],
  ];
  if (!staff)
    report.push(
      [cmd('spoc incidents [open|mine|reported|all]'), ' — your reports'],
      [
        cmd('spoc incidents closed|unassigned|breached|P1…P4|location <name>|asset <tag>'),
        ' — narrower lists; they combine (',
        cmd('spoc incidents closed location Library'),
        ')',
      ],
      [cmd('spoc incident INC-7'), ' — one incident and its history'],
      [
        'When your fault is fixed, press ',
        bold('Fixed'),
        ' or ',
        bold('Still broken'),
        ' in my message; you can add a comment or photo link to an open fault from there or from ',
        surface('home'),
        '.',
      ],
    );
  groups.push({ title: HELP_TITLES.report, lines: report });

  if (staff) {
    const triage: Rich[] = [
      [cmd('spoc incidents [open|mine|reported|all]'), ' — the incident queue'],
      [cmd('spoc incidents P1…P4'), ' — open incidents of one priority'],
      [
        cmd('spoc incidents unassigned|breached|closed'),
        ' — nobody has it, past an SLA target, or closed in the last 30 days; ',
        cmd('spoc incidents location <name>|asset <tag>|reporter @person'),
        ' — by place, device or reporter; they combine (',
        cmd('spoc incidents mine P1'),
        ')',
      ],
      [cmd('spoc incident INC-7'), ' — one incident and its history'],
    ];
    if (can(role, 'incident.claim'))
      triage.push([
        'Press ',
        bold('Claim'),
        ' on a card in the SPOC channel to take an incident; ',
        bold('Resolve'),
        ' when fixed; the ⋯ menu adds a note or puts it on hold (the SLA clock pauses).',
      ]);
    if (can(role, 'incident.triage'))
      triage.push([
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
    if (can(role, 'incident.triage'))
      triage.push([
        cmd('spoc incident INC-14 merge INC-13'),
        ' — merge a duplicate: it is closed, and its reporter and followers follow INC-13',
      ]);
    if (can(role, 'work.view'))
      triage.push([
        cmd('spoc changes [open|all|changes|problems]'),
        ' — changes and problems, with progress (',
        cmd('spoc problems'),
        ' for problems alone); ',
        cmd('spoc change CHG-3'),
        ' or ',
        cmd('spoc problem PRB-2'),
        ' shows one',
      ]);
    groups.push({ title: HELP_TITLES.triage, lines: triage });
  }

  if (can(role, 'register.view')) {
    const registers: Rich[] = [
      [cmd('spoc locations'), ' — the locations list'],
      [
        cmd('spoc assets [location|type|text]'),
        ' — the asset register; ',
        cmd('spoc asset TAG'),
        ' shows one',
      ],
      [cmd('spoc licences'), ' — the licence list, with compliance'],
      [
        cmd('spoc fixes'),
        ' — known fixes, offered to teachers as they report, with how often each was used',
        ...(manage ? ['; Add, Edit, Retire'] : []),
        ' (save one by ticking ',
        bold('Save as a known fix'),
        ' when resolving)',
      ],
      [cmd('spoc export locations|assets|licences|incidents'), ' — a CSV file in ', surface('chat')],
    ];
    if (manage)
      registers.push([cmd('spoc import locations|assets|licences'), ' — upload a CSV, preview, then import']);
    groups.push({ title: HELP_TITLES.registers, lines: registers });

    const money: Rich[] = [
      [cmd('spoc providers'), ' — support providers and suppliers'],
      [cmd('spoc contracts'), ' — contracts, soonest ending first, with notice deadlines'],
    ];
    if (manage)
      money.push([
        cmd('spoc payments [all]'),
        ' — scheduled payments, soonest due first; Mark paid or Cancel',
      ]);
    money.push([cmd('spoc diary [YYYY-MM]'), ' — this month’s diary (or that month’s)']);
    groups.push({ title: HELP_TITLES.money, lines: money });
  }

  if (can(role, 'report.view'))
    groups.push({
      title: HELP_TITLES.reports,
      lines: [
        [
          cmd('spoc report week|last-week|term|last-term|FROM..TO [csv]'),
          ' — the service report (CSV in ',
          surface('chat'),
          ')',
        ],
      ],
    });

  if (staff) {
    const settings: Rich[] = [
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
      manage
        ? [cmd('spoc term list|add|remove'), ' — the school’s holidays, when reminders and SLA clocks rest']
        : [cmd('spoc term list'), ' — the school’s holidays, when reminders and SLA clocks rest'],
    ];
    if (can(role, 'school.roles'))
      settings.push(
        [cmd('spoc role @person teacher|technician|office|admin'), ' — give someone a role'],
        [cmd('spoc setup'), ' — make this channel the SPOC channel'],
      );
    groups.push({ title: HELP_TITLES.settings, lines: settings });
  }

  if (can(role, 'authority.view'))
    groups.push({
      title: HELP_TITLES.authority,
      lines: [
        [
          cmd('spoc authority [school]'),
          ' — the member schools: open incidents by priority, SLA breaches, escalations, contracts in notice, overdue payments',
          // A school's admin has the words too, but they answer only in an authority's own workspace.
          ...(role === 'admin' ? [' (in an authority’s own workspace)'] : []),
        ],
        [
          cmd('spoc authority open|update|handback <school> INC-n'),
          ' — an incident a school escalated to the authority: see it, record what was done, hand it back',
        ],
      ],
    });
  return groups;
}

/** Lines as one paragraph, a line break between each. */
const asText = (lines: Rich[]): Rich => lines.flatMap((l, i) => (i === 0 ? l : ['\n', ...l]));

/** A group as one paragraph: its title in bold, then its lines. */
const groupText = (group: HelpGroup): Rich => asText([[bold(group.title)], ...group.lines]);

/**
 * What the person may do, by role, grouped by task (report, triage, registers, money and
 * contracts, reports, settings), each group a paragraph under its title; a role sees only the
 * groups it can use (a teacher: reporting and their own faults).
 */
export function presentHelp(role: Role): Presentation {
  const intro: Rich = ['Your role here: ', bold(ROLE_LABELS[role]), '.'];
  const groups = helpGroups(role).map(groupText);
  const end: Rich = [cmd('spoc help'), ' — this list'];
  const firstTime: Rich | null = can(role, 'school.roles')
    ? null
    : [
        cmd('spoc setup'),
        ' — first-time setup: makes this channel the SPOC channel (the first person becomes admin)',
      ];
  const text = joinRich([intro, ...groups, end, ...(firstTime ? [firstTime] : [])], '\n\n');
  return {
    text,
    sections: [
      { kind: 'text', text: intro },
      ...groups.map((g): Section => ({ kind: 'text', text: g })),
      { kind: 'text', text: end },
      ...(firstTime ? [{ kind: 'context' as const, text: firstTime }] : []),
    ],
    actions: [],
  };
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

/**
 * Words after `spoc` close to a command the person may use (`spoc incidnets`): "Did you mean
 * `spoc incidents`?", then the help for their role.
 */
export function presentDidYouMean(subcommand: string, role: Role): Presentation {
  return presentUsage(['Did you mean ', cmd(`spoc ${subcommand}`), '?'], role);
}

/** Words after `spoc` that are no command and close to none: said back, then the help for the role. */
export function presentUnknownCommand(said: string, role: Role): Presentation {
  return presentUsage(["I don't know ", cmd(`spoc ${said.slice(0, 30)}`), '.'], role);
}
