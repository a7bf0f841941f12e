/**
 * A person's home in SPOC, decided once for every platform: Slack's App Home tab and the Teams
 * home card (`spoc home`, and the welcome when SPOC is installed for them). A "Report a fault"
 * button; the person's own reports in plain words (each open one with "Add a comment", each fixed
 * one asking "Fixed" / "Still broken", then the recently closed); and, by role, the open queue,
 * changes and problems, and what needs attention in the registers.
 *
 * The home comes in parts (`HomeParts`): the top, then each part under a rule where the platform
 * draws one (Slack's dividers). `presentHome` puts them together as one presentation.
 */
import type { IncidentDetail, IncidentRow } from '../../db/queries/incidents';
import { formatReference } from '../incidents/reference';
import type { MyReports } from '../incidents/reporter-response';
import { isOpen, STATUS_LABELS } from '../incidents/state-machine';
import { LICENCE_FLAG_LABELS } from '../registers/compliance';
import type { RegisterHealth } from '../registers/register-health';
import { ASSET_TYPE_LABELS } from '../registers/types';
import { can, ROLE_LABELS, type Role } from '../roles';
import type { WorkItemSummary } from '../work-items/list';
import { WORK_ITEM_STATUS_LABELS } from '../work-items/types';
import { ukDate } from './format';
import { incidentLine } from './incident-card';
import { answerActions, commentAction, REPORTER_STATUS } from './notices';
import {
  bold,
  date,
  emoji,
  italic,
  type Presentation,
  type PresentedAction,
  type Rich,
  type Section,
  typed,
} from './presentation';
import { KIND_EMOJI, progressText } from './work-items';

export interface HomeInput {
  role: Role;
  schoolName: string;
  /** Whether the school has its SPOC channel yet (where reports appear). */
  hasSpocChannel: boolean;
  /** The school's timezone, for dates. */
  timezone: string;
  /** The person's own reports: open ones (newest first), then the last few closed. */
  myReports: MyReports;
  /** For staff: the open queue, most urgent first. */
  queue: IncidentDetail[];
  /** For staff: open changes and problems, overdue first. */
  work?: readonly WorkItemSummary[];
  /** For office/admin: what needs attention in the registers. */
  health?: RegisterHealth;
}

export interface HomeParts {
  /** The heading, the "Report a fault" button and the person's role. */
  top: Section[];
  /** Each part (your reports, the queue, changes and problems, the registers), in order. */
  parts: Section[][];
}

/** Open changes and problems shown on the home, at most. */
const WORK_SHOWN = 10;
/** The person's open reports shown, at most. */
const MINE_SHOWN = 15;
/** The queue's incidents shown, at most. */
const QUEUE_SHOWN = 20;

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
  const parts: Section[][] = [
    [{ kind: 'text', text: [bold('Your reports')] }, ...myReportSections(input.myReports)],
  ];
  if (can(input.role, 'incident.viewAll')) {
    parts.push([
      { kind: 'text', text: [bold('Open queue'), ` (${input.queue.length})`] },
      {
        kind: 'lines',
        lines: input.queue.length
          ? input.queue
              .slice(0, QUEUE_SHOWN)
              .map((i) => [...incidentLine(i), ` · ${STATUS_LABELS[i.status]}`])
          : [['Nothing open. ', emoji(':sparkles:')]],
      },
    ]);
  }
  if (input.work) {
    parts.push([
      { kind: 'text', text: [bold('Changes and problems'), ` (${input.work.length} open)`] },
      ...workProgressSections(input.work),
    ]);
  }
  if (input.health) parts.push(registerHealthSections(input.health));
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

const reportTitle = (i: IncidentRow): Rich => [bold(formatReference(i.number)), ' — ', typed(i.summary, 150)];

/**
 * The person's own reports in plain words: each open one with "Add a comment", each fixed one
 * asking "Fixed" / "Still broken"; then the recently closed, one line each.
 */
function myReportSections(mine: MyReports): Section[] {
  if (mine.open.length === 0 && mine.closed.length === 0) {
    return [
      {
        kind: 'text',
        text: [italic('None yet. Press ', bold('Report a fault'), ' when something is not working.')],
      },
    ];
  }
  const sections: Section[] = [];
  for (const i of mine.open.slice(0, MINE_SHOWN)) {
    const text: Rich = [...reportTitle(i), `\n${REPORTER_STATUS[i.status]} · reported `, date(i.createdAt)];
    if (i.status === 'resolved') {
      sections.push({ kind: 'text', text }, { kind: 'buttons', actions: answerActions(i.id) });
    } else if (isOpen(i.status)) {
      sections.push({ kind: 'item', text, actions: [commentAction(i.id, 'Add a comment')] });
    } else {
      sections.push({ kind: 'text', text });
    }
  }
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
