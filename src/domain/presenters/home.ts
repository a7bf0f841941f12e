/**
 * A person's home in SPOC, decided once for every platform: Slack's App Home tab and the Teams
 * home card (`spoc home`, and the welcome when SPOC is installed for them). A "Report a fault"
 * button; the person's own reports in plain words (each open one with "Add a comment", each fixed
 * one asking "Fixed" / "Still broken", then the recently closed); and, by role, the work people
 * do from it:
 *
 * - staff (technicians, office, admins): **My work** (the open incidents assigned to them, soonest
 *   due first, with status, priority and SLA time left or missed in school time, and Open,
 *   Resolve, Hold / Resume), **Unassigned** (with Claim), **SLA breaches** (⏰ and the words, never
 *   colour alone), then changes and problems;
 * - office and admins: payments due or overdue, contracts in their notice period, escalations a
 *   provider has not answered, this week's figures (reported, resolved, median first response),
 *   and what needs attention in the registers;
 * - admins: the settings' shortcuts.
 *
 * Every list is capped (a Slack home holds 100 blocks) and says how many more there are and the
 * command that lists them all, so nothing is cut silently. Buttons are the same neutral actions
 * as on the incident card and the lists, and each command checks the presser's role again.
 *
 * The home comes in parts (`HomeParts`): the top, then each part under a rule where the platform
 * draws one (Slack's dividers). `presentHome` puts them together as one presentation.
 */
import type { IncidentDetail, IncidentRow } from '../../db/queries/incidents';
import { formatReference } from '../incidents/reference';
import type { MyReports } from '../incidents/reporter-response';
import { formatSchoolMinutes, slaStatus } from '../incidents/sla';
import { isOpen, STATUS_LABELS, transition } from '../incidents/state-machine';
import { LICENCE_FLAG_LABELS } from '../registers/compliance';
import type { RegisterHealth } from '../registers/register-health';
import { ASSET_TYPE_LABELS } from '../registers/types';
import { can, ROLE_LABELS, type Role } from '../roles';
import type { WorkItemSummary } from '../work-items/list';
import { WORK_ITEM_STATUS_LABELS } from '../work-items/types';
import { dayDate, pounds, ukDate } from './format';
import { CARD_ACTION_PERMISSION, type CardLive, incidentLine, rolesWith, slaLine } from './incident-card';
import { answerActions, commentAction, REPORTER_STATUS } from './notices';
import {
  bold,
  date,
  emoji,
  italic,
  type Presentation,
  type PresentedAction,
  person,
  type Rich,
  type Section,
  typed,
} from './presentation';
import { KIND_EMOJI, progressText } from './work-items';

/** A scheduled payment due soon, today or overdue. */
export interface HomePayment {
  id: string;
  payee: string;
  amountPence: number;
  /** `YYYY-MM-DD`. */
  dueDate: string;
}

/** A contract whose notice deadline is near: notice must be given by `noticeBy` or it runs on. */
export interface HomeContract {
  id: string;
  title: string;
  providerName: string;
  /** `YYYY-MM-DD`, the end date less the notice period. */
  noticeBy: string;
  autoRenews: boolean;
}

/** An escalation the provider has not answered. */
export interface HomeEscalation {
  incidentId: string;
  number: number;
  summary: string;
  providerName: string;
  providerRef: string;
  respondBy: Date;
}

/** This school week's figures, as the service report counts them (Monday to now, school time zone). */
export interface HomeWeek {
  /** The Monday the week starts on, `YYYY-MM-DD`. */
  from: string;
  /** Incidents reported this week. */
  reported: number;
  /** Of those, resolved or closed. */
  resolved: number;
  /** Median school minutes to the first response, of those answered; null when none were. */
  medianFirstResponseMinutes: number | null;
  /** The school day in minutes, to say "1 day 2h". */
  dayMinutes: number;
}

/** What the office's home adds. */
export interface OfficeHome {
  /** Now, and today in the school's time zone (`YYYY-MM-DD`). */
  now: Date;
  today: string;
  /** Scheduled payments due within the school's "due soon" lead time or overdue, soonest first. */
  payments: HomePayment[];
  /** Active contracts whose notice deadline is within the reminders' notice window, soonest first. */
  contracts: HomeContract[];
  /** Escalations with no answer from the provider yet, the answer due soonest first. */
  escalations: HomeEscalation[];
  /** This week's figures; absent when the report could not be made. */
  week?: HomeWeek;
}

export interface HomeInput {
  role: Role;
  schoolName: string;
  /** Whether the school has its SPOC channel yet (where reports appear). */
  hasSpocChannel: boolean;
  /** The school's timezone, for dates. */
  timezone: string;
  /** The person's own reports: open ones (newest first), then the last few closed. */
  myReports: MyReports;
  /** For staff: the school's open incidents, most urgent first. */
  queue: IncidentDetail[];
  /** For staff: the person's own id, to tell their work from the rest of the queue. */
  personId?: string;
  /** For staff: the moment, calendar and targets, for SLA time left in school time. */
  live?: CardLive;
  /** For staff: open changes and problems, overdue first. */
  work?: readonly WorkItemSummary[];
  /** For office/admin: what needs attention in the registers. */
  health?: RegisterHealth;
  /** For office/admin: money, contracts, providers and the week. */
  office?: OfficeHome;
}

export interface HomeParts {
  /** The heading, the "Report a fault" button and the person's role. */
  top: Section[];
  /** Each part (your reports, your work, the queue, …), in order. */
  parts: Section[][];
}

/** Open changes and problems shown on the home, at most. */
const WORK_SHOWN = 10;
/** The person's open reports shown, at most (fewer for staff, whose home has their work too). */
const MINE_SHOWN = 15;
const STAFF_MINE_SHOWN = 3;
/** Rows of each staff list (my work, unassigned, breaches, payments, …) shown, at most. */
export const HOME_LIST_SHOWN = 8;

/** The home's button that opens the fault form. */
export const reportFaultAction = (): PresentedAction => ({
  id: 'fault.report',
  label: 'Report a fault',
  value: '',
  style: 'primary',
});

/** The person's home in parts: the top, then each part the role sees. */
export function presentHomeParts(input: HomeInput): HomeParts {
  const top: Section[] = [
    { kind: 'heading', text: ['ICT support · ', typed(input.schoolName, 136)] },
    { kind: 'buttons', actions: [reportFaultAction()] },
    {
      kind: 'context',
      text: [
        'Your role: ',
        bold(ROLE_LABELS[input.role]),
        '. Type ',
        { command: 'spoc help' },
        ' for everything you can do.',
      ],
    },
  ];
  if (!input.hasSpocChannel) {
    top.push({
      kind: 'text',
      text: [
        emoji(':warning:'),
        ' No SPOC channel yet: reports are kept and will appear there once someone runs ',
        { command: 'spoc setup' },
        ' in it.',
      ],
    });
  }
  const staff = can(input.role, 'incident.viewAll');
  const parts: Section[][] = [];
  if (staff) parts.push(...staffParts(input));
  parts.push([
    { kind: 'text', text: [bold('Your reports')] },
    ...myReportSections(input.myReports, staff ? STAFF_MINE_SHOWN : MINE_SHOWN),
  ]);
  if (input.work) {
    parts.push([
      { kind: 'text', text: [bold('Changes and problems'), ` (${input.work.length} open)`] },
      ...workProgressSections(input.work),
    ]);
  }
  if (input.office) parts.push(...officeParts(input.office));
  if (input.health) parts.push(registerHealthSections(input.health));
  if (can(input.role, 'school.settings')) parts.push(settingsSections());
  return { top, parts };
}

/** The person's home as one presentation, with `notice` (the answer to what they just did) under the top. */
export function presentHome(input: HomeInput, notice: readonly Section[] = []): Presentation {
  const { top, parts } = presentHomeParts(input);
  return {
    text: ['ICT support · ', typed(input.schoolName, 136)],
    sections: [...top, ...notice, ...parts.flat()],
    actions: [],
  };
}

/** "…and 4 more — `spoc incidents mine`", under a list cut to what the home shows. */
function more(total: number, shown: number, command: string): Section[] {
  return total > shown ? [{ kind: 'context', text: [`…and ${total - shown} more — `, { command }] }] : [];
}

/** A part's title with its count: "*My work* (3)". */
const titled = (title: string, count: number): Section => ({
  kind: 'text',
  text: [bold(title), ` (${count})`],
});

/** Where an incident stands against its SLA now: the measure running, and whether it is missed. */
function slaNow(i: IncidentDetail, live: CardLive): { dueAt: Date; breached: boolean } {
  const measure = i.firstResponseAt ? 'resolution' : 'response';
  const s = slaStatus(live.calendar, i, live.sla, measure, live.now);
  return { dueAt: s.dueAt, breached: !s.paused && live.now > s.dueAt };
}

/** The card's action `id` for the incident, with the roles its command accepts. */
const incidentAction = (
  i: IncidentDetail,
  id: keyof typeof CARD_ACTION_PERMISSION,
  label: string,
  style?: 'primary',
): PresentedAction => ({
  id,
  label,
  value: i.id,
  roles: rolesWith(CARD_ACTION_PERMISSION[id]),
  ...(style ? { style } : {}),
});

/** Open shows the incident with its history; anyone on the staff may. */
const openAction = (i: IncidentDetail): PresentedAction => ({
  id: 'incident.open',
  label: 'Open',
  value: i.id,
  roles: rolesWith('incident.viewAll'),
});

/** The staff's lists: their own work, what nobody has picked up, and the SLA breaches. */
function staffParts(input: HomeInput): Section[][] {
  const { queue, live, personId } = input;
  const byDue = (list: IncidentDetail[]) =>
    live ? [...list].sort((a, b) => slaNow(a, live).dueAt.getTime() - slaNow(b, live).dueAt.getTime()) : list;
  const mine = byDue(queue.filter((i) => personId !== undefined && i.assigneeId === personId));
  const unassigned = queue.filter((i) => !i.assigneeId && transition(i.status, 'claim').ok);
  const breaches = live ? byDue(queue.filter((i) => slaNow(i, live).breached)) : [];

  const work: Section[] = [titled('My work', mine.length)];
  if (mine.length === 0) work.push({ kind: 'text', text: [italic('Nothing assigned to you.')] });
  for (const i of mine.slice(0, HOME_LIST_SHOWN)) {
    const sla = live ? slaLine(i, live) : null;
    work.push(
      {
        kind: 'text',
        text: [...incidentLine(i), `\n${STATUS_LABELS[i.status]}`, ...(sla ? [' · ', ...sla] : [])],
      },
      {
        kind: 'buttons',
        actions: [
          openAction(i),
          incidentAction(i, 'incident.resolve', 'Resolve', 'primary'),
          i.status === 'on_hold'
            ? incidentAction(i, 'incident.resume', 'Resume')
            : incidentAction(i, 'incident.hold', 'Hold'),
        ],
      },
    );
  }
  work.push(...more(mine.length, HOME_LIST_SHOWN, 'spoc incidents mine'));

  const waiting: Section[] = [titled('Unassigned', unassigned.length)];
  if (unassigned.length === 0)
    waiting.push({
      kind: 'text',
      text: [italic('Nothing waiting to be picked up.'), ' ', emoji(':sparkles:')],
    });
  for (const i of unassigned.slice(0, HOME_LIST_SHOWN)) {
    waiting.push({
      kind: 'item',
      text: [...incidentLine(i), `\n${STATUS_LABELS[i.status]} · reported `, date(i.createdAt)],
      actions: [incidentAction(i, 'incident.claim', 'Claim', 'primary')],
    });
  }
  waiting.push(...more(unassigned.length, HOME_LIST_SHOWN, 'spoc incidents unassigned'));

  const late: Section[] = [titled('SLA breaches', breaches.length)];
  if (!live || breaches.length === 0) {
    late.push({
      kind: 'text',
      text: [emoji(':white_check_mark:'), ' No open incident has missed its target.'],
    });
  } else {
    late.push({
      kind: 'lines',
      tone: 'alert',
      lines: breaches.slice(0, HOME_LIST_SHOWN).map((i): Rich => breachLine(i, live)),
    });
    late.push(...more(breaches.length, HOME_LIST_SHOWN, 'spoc incidents breached'));
  }
  late.push({
    kind: 'context',
    text: [`${queue.length} open in all — `, { command: 'spoc incidents' }, ' lists them.'],
  });
  return [work, [...waiting, ...late]];
}

/**
 * A breach, marked with ⏰ and the words "SLA breached" (never by colour alone): the incident,
 * who has it, and the card's own words for the target missed.
 */
function breachLine(i: IncidentDetail, live: CardLive): Rich {
  const sla = slaLine(i, live) ?? [];
  return [
    emoji(':alarm_clock:'),
    ' ',
    bold('SLA breached'),
    ' · ',
    ...incidentLine(i),
    ' · ',
    i.assigneeId ? person(i.assigneeName, i.assigneeSlackId) : italic('nobody has it'),
    // The card's line without its own symbol: "Resolution target missed — breached by …".
    ' ·',
    ...sla.slice(1),
  ];
}

/** What the office watches: money, contracts, the providers, and the week. */
function officeParts(o: OfficeHome): Section[][] {
  const payments: Rich[] = o.payments.slice(0, HOME_LIST_SHOWN).map((p): Rich => {
    const what: Rich = ['• ', bold(pounds(p.amountPence)), ' to ', bold(typed(p.payee, 100)), ' — '];
    if (p.dueDate < o.today)
      return [...what, emoji(':warning:'), ' ', bold('overdue'), ` since ${dayDate(p.dueDate)}`];
    if (p.dueDate === o.today) return [...what, 'due ', bold('today')];
    return [...what, `due ${dayDate(p.dueDate)}`];
  });
  const contracts: Rich[] = o.contracts
    .slice(0, HOME_LIST_SHOWN)
    .map(
      (c): Rich => [
        '• ',
        bold(typed(c.title, 120)),
        ' · ',
        typed(c.providerName, 100),
        ` — give notice by ${dayDate(c.noticeBy)}`,
        ...(c.autoRenews ? [' (it renews itself otherwise)'] : []),
      ],
    );
  const money: Section[] = [
    titled('Payments due', o.payments.length),
    o.payments.length
      ? { kind: 'lines', lines: payments }
      : { kind: 'text', text: [emoji(':white_check_mark:'), ' No payments due soon.'] },
    ...more(o.payments.length, HOME_LIST_SHOWN, 'spoc payments'),
    titled('Contracts in their notice period', o.contracts.length),
    o.contracts.length
      ? { kind: 'lines', lines: contracts }
      : { kind: 'text', text: [emoji(':white_check_mark:'), ' No notice to give soon.'] },
    ...more(o.contracts.length, HOME_LIST_SHOWN, 'spoc contracts'),
  ];
  const providers: Section[] = [titled('Escalations not answered', o.escalations.length)];
  if (o.escalations.length === 0) {
    providers.push({ kind: 'text', text: [emoji(':white_check_mark:'), ' Every provider has answered.'] });
  } else {
    providers.push({
      kind: 'lines',
      lines: o.escalations
        .slice(0, HOME_LIST_SHOWN)
        .map(
          (e): Rich => [
            '• ',
            bold(formatReference(e.number)),
            ' — ',
            typed(e.summary, 100),
            ' · with ',
            bold(typed(e.providerName, 100)),
            ...(e.providerRef ? [' (ref ', typed(e.providerRef, 100), ')'] : []),
            ...(e.respondBy <= o.now
              ? [' · ', bold('no answer'), ' — it was due ', date(e.respondBy)]
              : [' · answer due ', date(e.respondBy)]),
          ],
        ),
    });
    providers.push(...more(o.escalations.length, HOME_LIST_SHOWN, 'spoc incidents open'));
  }
  const parts: Section[][] = [money, providers];
  if (o.week) parts.push(weekSections(o.week));
  return parts;
}

/** This week's figures, as the service report counts them. */
function weekSections(w: HomeWeek): Section[] {
  const median =
    w.medianFirstResponseMinutes === null
      ? ['no first responses yet']
      : [
          'median first response ',
          bold(formatSchoolMinutes(w.medianFirstResponseMinutes, w.dayMinutes)),
          ' of school time',
        ];
  return [
    { kind: 'text', text: [bold('This week'), ` (from ${dayDate(w.from)})`] },
    {
      kind: 'text',
      text: [
        bold(String(w.reported)),
        ' reported · ',
        bold(String(w.resolved)),
        ' of them resolved · ',
        ...median,
      ],
    },
    { kind: 'context', text: [{ command: 'spoc report week' }, ' gives the full service report.'] },
  ];
}

/** The admin's shortcuts to the school's settings. */
function settingsSections(): Section[] {
  return [
    { kind: 'text', text: [bold('Settings')] },
    {
      kind: 'buttons',
      actions: [
        { id: 'settings.edit', label: 'Edit settings', value: 'edit', roles: rolesWith('school.settings') },
      ],
    },
    {
      kind: 'context',
      text: [
        { command: 'spoc settings' },
        ' shows the school day, targets and reminders · ',
        { command: 'spoc term list' },
        ' the holidays · ',
        { command: 'spoc role @person office' },
        ' gives someone a role',
      ],
    },
  ];
}

const reportTitle = (i: IncidentRow): Rich => [bold(formatReference(i.number)), ' — ', typed(i.summary, 150)];

/**
 * The person's own reports in plain words: each open one with "Add a comment", each fixed one
 * asking "Fixed" / "Still broken"; then the recently closed, one line each.
 */
function myReportSections(mine: MyReports, shown: number): Section[] {
  if (mine.open.length === 0 && mine.closed.length === 0) {
    return [
      {
        kind: 'text',
        text: [italic('None yet. Press ', bold('Report a fault'), ' when something is not working.')],
      },
    ];
  }
  const sections: Section[] = [];
  for (const i of mine.open.slice(0, shown)) {
    const text: Rich = [...reportTitle(i), `\n${REPORTER_STATUS[i.status]} · reported `, date(i.createdAt)];
    if (i.status === 'resolved') {
      sections.push({ kind: 'text', text }, { kind: 'buttons', actions: answerActions(i.id) });
    } else if (isOpen(i.status)) {
      sections.push({ kind: 'item', text, actions: [commentAction(i.id, 'Add a comment')] });
    } else {
      sections.push({ kind: 'text', text });
    }
  }
  sections.push(...more(mine.open.length, shown, 'spoc incidents reported'));
  if (mine.closed.length > 0) {
    sections.push({
      kind: 'lines',
      lines: [
        [italic('Recently closed')],
        ...mine.closed.map(
          (i): Rich => [...reportTitle(i), ' · closed', ...(i.closedAt ? [' ', date(i.closedAt)] : [])],
        ),
      ],
    });
  }
  return sections;
}

/** Open changes and problems at a glance: reference, title, progress, status, target, overdue. */
export function workProgressSections(items: readonly WorkItemSummary[]): Section[] {
  if (items.length === 0) return [{ kind: 'text', text: [italic('No open changes or problems.')] }];
  const sections: Section[] = [
    {
      kind: 'lines',
      lines: items.slice(0, WORK_SHOWN).map((i): Rich => {
        const target: Rich = i.targetDate
          ? i.overdue
            ? [' · ', emoji(':warning:'), ` overdue since ${ukDate(i.targetDate)}`]
            : [` · by ${ukDate(i.targetDate)}`]
          : [];
        return [
          emoji(KIND_EMOJI[i.kind]),
          ' ',
          bold(i.reference),
          ' ',
          typed(i.title, 80),
          // The bar set apart as code where the platform can, as the work list shows it.
          '\n',
          progressText(i.percentDone),
          ` ${WORK_ITEM_STATUS_LABELS[i.status]}`,
          ...target,
        ];
      }),
    },
  ];
  if (items.length > WORK_SHOWN) {
    sections.push({
      kind: 'context',
      text: [`…and ${items.length - WORK_SHOWN} more: `, { command: 'spoc changes' }],
    });
  }
  return sections;
}

/** What needs attention in the registers, with the office's Add buttons. */
function registerHealthSections(h: RegisterHealth): Section[] {
  const warranty = h.warrantiesEnding.map(
    (a): Rich => [
      '• ',
      bold(typed(a.tag, 64)),
      ` ${ASSET_TYPE_LABELS[a.type]} — warranty ends ${ukDate(a.warrantyEnd)}`,
    ],
  );
  const licences = h.licenceProblems.map(
    (l): Rich => [
      '• ',
      bold(typed(l.title, 120)),
      ` — ${l.compliance.flags.map((f) => LICENCE_FLAG_LABELS[f]).join(', ')}`,
      ...(l.quantity !== null && l.type !== 'site' ? [` (${l.seatsInUse} of ${l.quantity} seats)`] : []),
    ],
  );
  return [
    { kind: 'text', text: [bold('Registers')] },
    {
      kind: 'lines',
      lines: [
        warranty.length
          ? [
              emoji(':hourglass:'),
              ' ',
              bold('Warranties ending in the next 30 days'),
              ` (${warranty.length})`,
            ]
          : [emoji(':white_check_mark:'), ' No warranties ending in the next 30 days.'],
        ...warranty,
      ],
    },
    {
      kind: 'lines',
      lines: [
        licences.length
          ? [emoji(':warning:'), ' ', bold('Licences needing attention'), ` (${licences.length})`]
          : [emoji(':white_check_mark:'), ' Licences are in order.'],
        ...licences,
      ],
    },
    {
      kind: 'buttons',
      actions: [
        { id: 'location.add', label: 'Add a location', value: '' },
        { id: 'asset.add', label: 'Register an asset', value: '' },
        { id: 'licence.add', label: 'Add a licence', value: '' },
      ],
    },
  ];
}

/**
 * What everyone else in a Teams channel sees of someone's home card, which is shown to its owner
 * alone (their Teams asks SPOC for it when they look at it).
 */
export function presentHomeShownToOwner(name: string): Presentation {
  const text: Rich = [person(name, null), ' asked for their home card; it is shown to them alone.'];
  return { text, sections: [{ kind: 'context', text }], actions: [] };
}

/**
 * What someone SPOC does not know yet is told when it is installed for them in Teams (no school
 * it can tell them to be in): how to report a fault, and how their school gets set up.
 */
export function presentWelcome(): Presentation {
  const hello: Rich = ["Hello, I'm SPOC, your school's ICT helpdesk."];
  return {
    text: hello,
    sections: [
      { kind: 'heading', text: hello },
      {
        kind: 'text',
        text: [
          bold('To report a fault'),
          ': say ',
          { command: 'fault' },
          ' and what is wrong, here in this chat, for example ',
          italic('fault the projector in room 12 shows no picture'),
          '.',
        ],
      },
      {
        kind: 'text',
        text: [
          bold('To get set up'),
          ": I don't know which school you are in yet. Add SPOC to your school's team and say @SPOC ",
          { command: 'spoc setup' },
          ' in the channel where reports should go. If your school already uses SPOC, say something to me with @SPOC in a channel of its team, then come back here and say ',
          { command: 'spoc home' },
          '.',
        ],
      },
    ],
    actions: [],
  };
}
