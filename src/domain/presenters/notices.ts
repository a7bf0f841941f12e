/**
 * What a person is told in their own chat about an incident, in plain words without ITSM jargon:
 * the reporter at the steps that matter to them (with Fixed / Still broken once it is fixed), the
 * assignee when given it or when the reporter adds something. A notice quotes only what the
 * person may read: the caller passes the note after `eventForViewer`, never a staff note to a
 * reporter.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { IncidentDetail, IncidentRow } from '../../db/queries/incidents';
import { AUTO_CLOSE_SCHOOL_DAYS } from '../incidents/auto-close';
import { formatReference } from '../incidents/reference';
import type { ReporterOutcome } from '../incidents/reporter-response';
import { isOpen, type Status } from '../incidents/state-machine';
import type { NotifyEvent } from '../messages';
import { openingWords } from '../school-time/out-of-hours';
import { dayDate } from './format';
import {
  bold,
  date,
  emoji,
  type Presentation,
  type PresentedAction,
  person,
  type Rich,
  typed,
} from './presentation';

/** Where a fault stands, as the person who reported it would say it. */
export const REPORTER_STATUS: Record<Status, string> = {
  new: 'Waiting for someone to pick it up',
  triaged: 'Waiting for someone to pick it up',
  assigned: 'Passed to a technician',
  in_progress: 'Being worked on',
  escalated: 'With a specialist support company',
  on_hold: 'Waiting (for parts or for someone to be available)',
  resolved: 'Fixed — is it working now?',
  reopened: 'Open again',
  closed: 'Closed',
};

/** "Fixed" / "Still broken": the reporter's answer to a fix. */
export function answerActions(incidentId: string): PresentedAction[] {
  return [
    { id: 'reporter.fixed', label: 'Fixed', value: incidentId, style: 'primary' },
    { id: 'reporter.stillBroken', label: 'Still broken', value: incidentId },
  ];
}

/** Opens the comment form for the reporter's own open fault. */
export function commentAction(incidentId: string, label = 'Add a comment or photo link'): PresentedAction {
  return { id: 'reporter.comment', label, value: incidentId };
}

/**
 * Opens the fault form, filled in, for a fault made from the reporter's chat message (a ticket by
 * reaction), while nobody has picked it up: where, which device, how urgent.
 */
export function detailsAction(incidentId: string): PresentedAction {
  return { id: 'reporter.details', label: 'Add details', value: incidentId, style: 'primary' };
}

/** A fault made from a chat message that its reporter can still add details to. */
const awaitsDetails = (i: IncidentDetail) => i.sourceTs !== null && i.status === 'new';

/**
 * Which fault a follower is told about, by what they chose on their own form (the device and the
 * place), never by what someone else wrote about it.
 */
function followedWhere(i: IncidentDetail): Rich {
  const where = [i.assetTag, i.locationName].filter(Boolean).join(' in ');
  return where ? [' (', typed(where, 150), ')'] : [];
}

const said = (text: Rich, fallback: string, actions: PresentedAction[] = []): Presentation => ({
  text: [fallback],
  sections: [{ kind: 'text', text }],
  actions,
});

/** The steps told to the reporter (rather than the assignee). */
const TO_REPORTER: readonly NotifyEvent[] = [
  'reported',
  'claimed',
  'escalated',
  'on_hold',
  'resolved',
  'replied',
];

/**
 * What a person is told at one step. `note` is the words of the event that caused it (a closing
 * note, a comment) as this person may read them, with any link on its own line.
 */
export function presentNotice(event: NotifyEvent, i: IncidentDetail, note?: string): Presentation {
  const ref = formatReference(i.number);
  const what: Rich = [bold(ref), ' — ', typed(i.summary, 150)];
  let text: Rich;
  switch (event) {
    case 'reported':
      text = [
        emoji(':white_check_mark:'),
        ' Thanks — your fault is logged as ',
        ...what,
        ".\nThe ICT team has it; I'll message you here when someone picks it up.",
      ];
      break;
    case 'claimed':
      text = [
        emoji(':raising_hand:'),
        ' ',
        person(i.assigneeName, i.assigneeSlackId),
        ' is now working on your fault ',
        ...what,
        '.',
      ];
      break;
    case 'resolved':
      text = [
        emoji(':tada:'),
        ' Good news: your fault ',
        ...what,
        ' has been fixed.\n',
        { quote: [typed(i.resolution ?? '', 1500)] },
        '\nIs it working now? Press ',
        bold('Fixed'),
        ' or ',
        bold('Still broken'),
        `. If I don't hear from you, I'll close it after ${AUTO_CLOSE_SCHOOL_DAYS} school days.`,
      ];
      break;
    case 'assigned':
      text = [
        emoji(':arrow_right:'),
        ' You have been given ',
        ...what,
        '. It is in the SPOC channel: press ',
        bold('Claim'),
        ' there when you start on it.',
      ];
      break;
    case 'closed':
      text = [
        'Your fault ',
        ...what,
        ' was closed without a fix',
        ...(note ? [': ', typed(note, 1000)] : ['.']),
        '\nIf it is still a problem, report it again with ',
        { command: 'fault' },
        '.',
      ];
      break;
    case 'escalated':
      text = [
        emoji(':telephone_receiver:'),
        ' Your fault ',
        ...what,
        ' needs outside help: the ICT team has passed it to ',
        i.providerName ? typed(i.providerName, 100) : 'a specialist support company',
        " and is keeping track of it. I'll tell you when it is fixed.",
      ];
      break;
    case 'on_hold':
      text = [
        emoji(':hourglass:'),
        ' Your fault ',
        ...what,
        ' is waiting',
        ...(i.holdReason
          ? [' — ', typed(i.holdReason, 500)]
          : [' (for parts or for someone to be available)']),
        ". I'll tell you when it moves again.",
      ];
      break;
    case 'reopened':
      text = [
        emoji(':leftwards_arrow_with_hook:'),
        ' ',
        person(i.reporterName, i.reporterSlackId),
        ' says ',
        ...what,
        ' is still broken, so it is open again.',
      ];
      break;
    case 'replied':
      text = [
        emoji(':envelope:'),
        ' The ICT team wrote to you about your fault ',
        ...what,
        ...(note ? [':\n', { quote: [typed(note, 1500)] }] : ['.']),
      ];
      break;
    case 'on_call':
      text = [
        emoji(':rotating_light:'),
        ' ',
        bold('P1 out of school time:'),
        ' ',
        ...what,
        ', reported by ',
        person(i.reporterName, i.reporterSlackId),
        ...(i.locationName ? [' in ', typed(i.locationName, 100)] : []),
        '.\nYou are on call for P1s, so you are told at once; the office will see it when it opens. Its card is in the SPOC channel: press ',
        bold('Claim'),
        ' there if you take it.',
      ];
      break;
    case 'commented':
      text = [
        emoji(':speech_balloon:'),
        ' ',
        person(i.reporterName, i.reporterSlackId),
        ' added to ',
        ...what,
        ...(note ? [':\n', { quote: [typed(note, 1000)] }] : ['.']),
      ];
      break;
    case 'merged': {
      const into = i.mergedIntoNumber ? formatReference(i.mergedIntoNumber) : 'another incident';
      text = [
        emoji(':link:'),
        ' Your fault ',
        ...what,
        ' had already been reported as ',
        bold(into),
        ', so the ICT team has merged the two and is working on it as ',
        bold(into),
        ". I'll message you when it is fixed.",
      ];
      break;
    }
    case 'follower_fixed':
      text = [
        emoji(':tada:'),
        ' Good news: ',
        bold(ref),
        ...followedWhere(i),
        ', the fault you are following, has been fixed.\nIf it is still not working for you, report it with ',
        { command: 'fault' },
        '.',
      ];
      break;
    case 'follower_closed':
      text = [
        bold(ref),
        ...followedWhere(i),
        ', the fault you are following, was closed without a fix.\nIf it is still a problem for you, report it with ',
        { command: 'fault' },
        '.',
      ];
      break;
  }
  const fallback = {
    reported: `Your fault ${ref} was logged`,
    claimed: `Your fault ${ref} was picked up`,
    resolved: `Your fault ${ref} was fixed: is it working now?`,
    closed: `Your fault ${ref} was closed`,
    assigned: `You have been given ${ref}`,
    escalated: `Your fault ${ref} was passed to a specialist`,
    on_hold: `Your fault ${ref} is waiting`,
    reopened: `${ref} is open again`,
    commented: `${ref} has a new comment`,
    replied: `The ICT team wrote to you about ${ref}`,
    on_call: `P1 out of school time: ${ref}`,
    merged: `Your fault ${ref} was merged into ${i.mergedIntoNumber ? formatReference(i.mergedIntoNumber) : 'another incident'}`,
    follower_fixed: `${ref}, the fault you are following, was fixed`,
    follower_closed: `${ref}, the fault you are following, was closed`,
  }[event];
  // Buttons only while they still make sense when the message is sent (it is rendered at send time).
  const toReporter = TO_REPORTER.includes(event);
  let actions: PresentedAction[] = [];
  if (toReporter && event === 'resolved' && i.status === 'resolved') actions = answerActions(i.id);
  else if (toReporter && isOpen(i.status)) actions = [commentAction(i.id)];
  return said(text, fallback, actions);
}

/**
 * The steps the reporter is told of on their one status message about the fault: posted at the
 * first, then updated in place, each step's own line in its thread (Slack) or under it (Teams).
 */
export const REPORTER_STEPS: readonly NotifyEvent[] = [
  'reported',
  'claimed',
  'escalated',
  'on_hold',
  'resolved',
  'closed',
  'replied',
  'merged',
];

/** A moment's day in the school's time zone, as people read it ("Mon 14 Dec 2026"). */
const dayOf = (at: Date, timezone: string) =>
  dayDate(format(new TZDate(at.getTime(), timezone), 'yyyy-MM-dd'));

/**
 * What the report recorded about school time: made out of hours, when the office next opens (and
 * whether the on-call person was told at once). Absent for a report made in school time.
 */
export interface ReportedOutOfHours {
  officeOpensAt: Date;
  onCallTold: boolean;
}

/** An incident as the reporter's status message reads it: with what its report recorded about school time. */
export type StatusIncident = IncidentDetail & { outOfHours?: ReportedOutOfHours | null };

/** Where the fault stands, in one line, for its status message. */
function statusLine(i: IncidentDetail, timezone: string): { emoji: string; line: Rich; fallback: string } {
  const ref = formatReference(i.number);
  const who = i.assigneeName
    ? person(i.assigneeName, i.assigneeSlackId)
    : i.providerName
      ? typed(i.providerName, 100)
      : undefined;
  switch (i.status) {
    case 'new':
    case 'triaged':
      return {
        emoji: ':white_check_mark:',
        line: ['Reported — waiting for someone to pick it up'],
        fallback: `Your fault ${ref} is logged`,
      };
    case 'assigned':
      return {
        emoji: ':arrow_right:',
        line: ['Passed to ', who ?? 'a technician'],
        fallback: `Your fault ${ref} was passed on`,
      };
    case 'in_progress':
      return {
        emoji: ':raising_hand:',
        line: who ? ['Claimed by ', who, ' — being worked on'] : ['Being worked on'],
        fallback: `Your fault ${ref} is being worked on`,
      };
    case 'escalated':
      return {
        emoji: ':telephone_receiver:',
        line: ['With ', i.providerName ? typed(i.providerName, 100) : 'a specialist support company'],
        fallback: `Your fault ${ref} is with a specialist`,
      };
    case 'on_hold':
      return {
        emoji: ':hourglass:',
        line: [
          'On hold',
          ...(i.holdReason
            ? [' — ', typed(i.holdReason, 500)]
            : [' (waiting for parts or for someone to be available)']),
        ],
        fallback: `Your fault ${ref} is on hold`,
      };
    case 'resolved':
      return {
        emoji: ':tada:',
        line: ['Fixed — please check'],
        fallback: `Your fault ${ref} was fixed: is it working now?`,
      };
    case 'reopened':
      return {
        emoji: ':leftwards_arrow_with_hook:',
        line: ['Open again — the ICT team knows it is still broken'],
        fallback: `Your fault ${ref} is open again`,
      };
    case 'closed':
      if (i.mergedIntoNumber)
        return {
          emoji: ':link:',
          line: [
            'Merged into ',
            bold(formatReference(i.mergedIntoNumber)),
            ' — the same fault, reported earlier',
          ],
          fallback: `Your fault ${ref} was merged into ${formatReference(i.mergedIntoNumber)}`,
        };
      return {
        emoji: ':lock:',
        line: ['Closed', ...(i.closedAt ? [` on ${dayOf(i.closedAt, timezone)}`] : [])],
        fallback: `Your fault ${ref} is closed`,
      };
  }
}

/**
 * Said while nobody has looked at a fault reported out of school time: when the office will see
 * it, in the school's time zone, and that the on-call person knows of a P1.
 */
function outOfHoursLine(o: ReportedOutOfHours, timezone: string): Rich {
  return [
    emoji(':sunrise:'),
    ' It was reported out of school time: the office will see it on ',
    bold(openingWords(o.officeOpensAt, timezone)),
    '.',
    ...(o.onCallTold ? [' It is urgent, so the person on call has been told now.'] : []),
  ];
}

/** What the state asks of the reporter, or tells them, under the status line. */
function statusDetail(i: StatusIncident, timezone: string): Rich | undefined {
  switch (i.status) {
    case 'new':
    case 'triaged': {
      const has: Rich = awaitsDetails(i)
        ? [
            'I logged this from your message in the chat, so the ICT team has it. Press ',
            bold('Add details'),
            " to say where it is, which device and how urgent it is. I'll update this message when someone picks it up.",
          ]
        : ["The ICT team has it; I'll update this message when someone picks it up."];
      // While nobody has picked it up: when the office will see a fault reported out of hours.
      return i.status === 'new' && i.outOfHours
        ? [...has, '\n', ...outOfHoursLine(i.outOfHours, timezone)]
        : has;
    }
    case 'escalated':
      return ["The ICT team has passed it on and is keeping track of it. I'll tell you when it is fixed."];
    case 'resolved':
      return [
        'It has been fixed:\n',
        { quote: [typed(i.resolution ?? '', 1500)] },
        '\nIs it working now? Press ',
        bold('Fixed'),
        ' or ',
        bold('Still broken'),
        `. If I don't hear from you, I'll close it after ${AUTO_CLOSE_SCHOOL_DAYS} school days.`,
      ];
    case 'closed':
      if (i.mergedIntoNumber)
        return [
          `The ICT team is working on it as ${formatReference(i.mergedIntoNumber)}. I'll message you when it is fixed.`,
        ];
      return i.resolution
        ? ['It was fixed:\n', { quote: [typed(i.resolution, 1500)] }]
        : [
            'It was closed without a fix. If it is still a problem, report it again with ',
            { command: 'fault' },
            '.',
          ];
    default:
      return undefined;
  }
}

/** The status message's buttons for where the fault stands now. */
function statusActions(i: IncidentDetail): PresentedAction[] {
  if (i.status === 'resolved') return answerActions(i.id);
  if (awaitsDetails(i)) return [detailsAction(i.id), commentAction(i.id)];
  return isOpen(i.status) ? [commentAction(i.id)] : [];
}

/**
 * The reporter's one message about their fault, as it stands now: which fault, its status line
 * (reported / claimed by … / on hold — why / fixed, please check / closed), what that asks of
 * them, and the buttons that fit (Fixed / Still broken once fixed; a comment while it is open).
 * After they press a button, `answer` is what that did, shown on the message itself.
 */
export function presentStatusMessage(
  i: StatusIncident,
  timezone: string,
  answer?: Presentation,
): Presentation {
  const status = statusLine(i, timezone);
  const detail = statusDetail(i, timezone);
  // The answer's words, and any row of buttons it asks with (the satisfaction question's).
  const answered = answer?.sections.filter((s) => s.kind === 'text' || s.kind === 'buttons') ?? [];
  const actions = statusActions(i);
  for (const a of answer?.actions ?? []) if (!actions.some((b) => b.id === a.id)) actions.push(a);
  return {
    text: [status.fallback],
    sections: [
      {
        kind: 'text',
        text: [
          emoji(status.emoji),
          ' Your fault ',
          bold(formatReference(i.number)),
          ' — ',
          typed(i.summary, 150),
        ],
      },
      { kind: 'text', text: [bold('Status:'), ' ', ...status.line] },
      ...(detail ? [{ kind: 'text' as const, text: detail }] : []),
      ...answered,
      { kind: 'context', text: [`Reported ${dayOf(i.createdAt, timezone)}`] },
    ],
    actions,
  };
}

/**
 * One step's own line under the reporter's status message (in its thread in Slack, below it in
 * Teams): the notice's words (who, what, the note), without buttons, which are on the status
 * message; the fix asks them to press there.
 */
export function presentStatusStep(event: NotifyEvent, i: IncidentDetail, note?: string): Presentation {
  const notice = presentNotice(event, i, note);
  if (event !== 'resolved') return { ...notice, actions: [] };
  const ref = formatReference(i.number);
  return said(
    [
      emoji(':tada:'),
      ' Good news: your fault ',
      bold(ref),
      ' — ',
      typed(i.summary, 150),
      ' has been fixed.\n',
      { quote: [typed(i.resolution ?? '', 1500)] },
      '\nIs it working now? Press ',
      bold('Fixed'),
      ' or ',
      bold('Still broken'),
      ' on its status message above.',
    ],
    `Your fault ${ref} was fixed: is it working now?`,
  );
}

/** Which reporter button was pressed. */
export type ReporterButton = 'fixed' | 'still_broken';

/**
 * The answer to the reporter's "Fixed" / "Still broken", which replaces the message that carried
 * the buttons (they no longer apply).
 */
export function presentReporterAnswer(
  button: ReporterButton,
  outcome: ReporterOutcome,
  i: IncidentRow,
): Presentation {
  const ref = formatReference(i.number);
  const what: Rich = [bold(ref), ' — ', typed(i.summary, 150)];
  if (outcome === 'already_closed' && button === 'still_broken') {
    return said(
      [
        emoji(':lock:'),
        ' ',
        ...what,
        ' was closed',
        ...(i.closedAt ? [' on ', date(i.closedAt)] : []),
        ", so it can't be reopened. If it is still not working, please report it again with ",
        { command: 'fault' },
        ` and mention ${ref}.`,
      ],
      `${ref} was already closed`,
    );
  }
  switch (outcome) {
    case 'confirmed':
    case 'already_closed':
      return said(
        [emoji(':pray:'), ' Thanks for letting us know — ', ...what, ' is closed.'],
        `${ref} is closed`,
      );
    case 'reopened':
      return said(
        [
          emoji(':leftwards_arrow_with_hook:'),
          " Sorry it's still not working. ",
          ...what,
          ' is open again and the ICT team has been told. Tell them what is still wrong:',
        ],
        `${ref} is open again`,
        [commentAction(i.id)],
      );
    case 'already_open':
      return said([...what, ' is already open again and the ICT team knows.'], `${ref} is open again`, [
        commentAction(i.id),
      ]);
    case 'not_resolved':
      return said(
        [...what, " is open again, so there is nothing to confirm yet. I'll ask you again when it is fixed."],
        `${ref} is open again`,
        [commentAction(i.id)],
      );
  }
}
