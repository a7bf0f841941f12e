/**
 * The incident's card in the SPOC channel: the fields it shows, in order, where it stands (who has
 * it, the hold, the SLA in school time), and the actions offered next with the roles that may take
 * them.
 */
import type { IncidentDetail } from '../../db/queries/incidents';
import { CATEGORY_LABELS, IMPACT_LABELS, type Priority, URGENCY_LABELS } from '../incidents/priority';
import { formatReference } from '../incidents/reference';
import { formatSchoolMinutes as formatMinutes, type SlaTargets, slaStatus } from '../incidents/sla';
import { type Action, isOpen, STATUS_LABELS, transition } from '../incidents/state-machine';
import { can, type Permission, ROLES, type Role } from '../roles';
import { type SchoolCalendar, schoolDayMinutes } from '../school-time';
import { type CardDuplicates, duplicateLines } from './card-duplicates';
import { photosLine } from './photos';
import {
  type ActionId,
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

/** The symbol shown beside each priority (a shortcode; Teams maps it). */
export const PRIORITY_EMOJI = {
  P1: ':red_circle:',
  P2: ':large_orange_circle:',
  P3: ':large_yellow_circle:',
  P4: ':white_circle:',
} as const satisfies Record<Priority, string>;

/** The escalation still with a provider, as the card shows it. */
export interface CardEscalation {
  providerName: string;
  providerRef: string;
  escalatedAt: Date;
  respondBy: Date | null;
  respondedAt: Date | null;
}

/**
 * What the card needs besides the incident to show where it stands now: the moment, the school's
 * calendar and SLA targets (time left is school time), and the escalation still open, if any.
 */
export interface CardLive {
  now: Date;
  calendar: SchoolCalendar;
  sla: SlaTargets;
  openEscalation?: CardEscalation | null;
  /** How many photos came with the report (shown as "📷 2 photos"); none when unset or 0. */
  photos?: number;
  /** Who else it affects ("Me too") and the duplicates merged into it. */
  duplicates?: CardDuplicates;
}

/** One line that names an incident, for notifications and lists. */
export function incidentLine(i: Pick<IncidentDetail, 'number' | 'priority' | 'summary'>): Rich {
  return [
    bold(formatReference(i.number)),
    ' ',
    emoji(PRIORITY_EMOJI[i.priority]),
    ` ${i.priority} — `,
    typed(i.summary, 150),
  ];
}

function supportText(i: IncidentDetail): Rich | null {
  if (!i.supportLevel && !i.providerName) return null;
  const level = i.supportLevel === 'second' ? 'Second line' : 'First line';
  return [
    level,
    ...(i.providerName ? [' · ', typed(i.providerName, 100)] : []),
    ...(i.providerRef ? [' (ref ', typed(i.providerRef, 100), ')'] : []),
  ];
}

/** Where the incident stands against its SLA, in school time. */
export function slaLine(i: IncidentDetail, live: CardLive): Rich | null {
  const { calendar, sla, now } = live;
  if (i.status === 'closed' && !i.resolvedAt) return null;
  const day = schoolDayMinutes(calendar);
  const schoolMinutes = (m: number) => formatMinutes(m, day);
  if (i.resolvedAt) {
    const s = slaStatus(calendar, i, sla, 'resolution', now);
    return s.met
      ? [emoji(':white_check_mark:'), ` Resolved within the ${schoolMinutes(s.target)} target`]
      : [emoji(':x:'), ` Resolved after the ${schoolMinutes(s.target)} target`];
  }
  const measure = i.firstResponseAt ? 'resolution' : 'response';
  const s = slaStatus(calendar, i, sla, measure, now);
  const what = measure === 'response' ? 'First response' : 'Resolution';
  const left = s.remainingMinutes ?? 0;
  // A first response made after its target is said beside the resolution clock that follows it.
  const lateResponse: Rich =
    measure === 'resolution' && slaStatus(calendar, i, sla, 'response', now).met === false
      ? [' (the first response was late)']
      : [];
  if (s.paused) {
    // Held after its target had passed: the target stays missed, whatever the clock does now.
    if (left < 0 || now > s.dueAt)
      return [
        emoji(':double_vertical_bar:'),
        ` SLA clock paused while on hold — the resolution target was already missed, by ${schoolMinutes(left)} of school time`,
      ];
    return [
      emoji(':double_vertical_bar:'),
      ` SLA clock paused while on hold — ${schoolMinutes(left)} of school time left to resolve`,
      ...lateResponse,
    ];
  }
  if (left < 0 || now > s.dueAt) {
    return [
      emoji(':rotating_light:'),
      ` ${what} target missed — breached by ${schoolMinutes(left)} of school time (was due `,
      date(s.dueAt),
      ')',
    ];
  }
  return [
    emoji(':stopwatch:'),
    ` ${what} due `,
    date(s.dueAt),
    ` — ${schoolMinutes(left)} of school time left`,
    ...lateResponse,
  ];
}

function escalationLine(e: CardEscalation, now: Date): Rich {
  const ref: Rich = e.providerRef ? [' (ref ', typed(e.providerRef, 100), ')'] : [' (no reference yet)'];
  let answer: Rich = [];
  if (e.respondedAt) answer = [' · answered ', date(e.respondedAt)];
  else if (e.respondBy && now >= e.respondBy)
    answer = [' · ', bold('no answer'), ' — it was due ', date(e.respondBy)];
  else if (e.respondBy) answer = [' · answer due ', date(e.respondBy)];
  return [
    emoji(':telephone_receiver:'),
    ' With ',
    bold(typed(e.providerName, 100)),
    ...ref,
    ' since ',
    date(e.escalatedAt),
    ...answer,
  ];
}

/** The roles holding a permission: who may take an action the card offers. */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => can(role, permission));
}

/** The permission each card action's command checks. */
export const CARD_ACTION_PERMISSION = {
  'incident.claim': 'incident.claim',
  'incident.triage': 'incident.triage',
  'incident.forward': 'incident.triage',
  'incident.escalate': 'incident.escalate',
  'incident.resolve': 'incident.resolve',
  'incident.note': 'incident.note',
  'incident.reply': 'incident.note',
  'incident.merge': 'incident.triage',
  'incident.hold': 'incident.hold',
  'incident.resume': 'incident.hold',
  'incident.close': 'incident.close',
  'incident.providerUpdate': 'incident.escalate',
  'incident.handBack': 'incident.escalate',
} as const satisfies Partial<Record<ActionId, Permission>>;
export type CardActionId = keyof typeof CARD_ACTION_PERMISSION;

/**
 * The card's actions follow the state machine: only what the incident's status allows. The most
 * common steps come first; the rest are secondary (an overflow menu) so the card stays tidy.
 * Whether the presser may do it is decided by the command; `roles` says who it will accept.
 */
export function cardActions(i: IncidentDetail): PresentedAction[] {
  const allowed = (action: Action) => transition(i.status, action).ok;
  const primary: PresentedAction[] = [];
  const more: PresentedAction[] = [];
  const act = (id: CardActionId, label: string, extra: Partial<PresentedAction> = {}): PresentedAction => ({
    id,
    label,
    value: i.id,
    roles: rolesWith(CARD_ACTION_PERMISSION[id]),
    ...extra,
  });
  const button = (id: CardActionId, label: string, style?: 'primary') =>
    primary.push(act(id, label, style ? { style } : {}));
  const option = (id: CardActionId, label: string) => more.push(act(id, label, { secondary: true }));
  const open = isOpen(i.status);

  if (i.status === 'escalated') {
    button('incident.providerUpdate', 'Provider update', 'primary');
    button('incident.handBack', 'Hand back');
    button('incident.resolve', 'Resolve');
  } else if (i.status === 'on_hold') {
    button('incident.resume', 'Resume', 'primary');
    button('incident.resolve', 'Resolve');
  } else if (open) {
    const claimable = !i.assigneeId || i.status === 'assigned' || i.status === 'reopened';
    if (claimable && allowed('claim')) button('incident.claim', 'Claim', 'primary');
    button('incident.triage', 'Triage');
    if (allowed('assign')) button('incident.forward', 'Forward');
    if (allowed('escalate')) button('incident.escalate', 'Escalate');
    button('incident.resolve', 'Resolve');
  }
  if (allowed('note')) {
    // Two kinds of words, each said on its button: for the staff only, or to the reporter.
    if (open) {
      option('incident.note', 'Add a staff note');
      option('incident.reply', 'Reply to the reporter');
    } else {
      button('incident.note', 'Staff note');
      button('incident.reply', 'Reply to the reporter');
    }
  }
  if (i.status === 'escalated' || i.status === 'on_hold') option('incident.triage', 'Triage');
  if (allowed('hold') && i.status !== 'on_hold') option('incident.hold', 'Put on hold');
  // A duplicate that got through: closed as merged, its people follow the one it repeats.
  if (open) option('incident.merge', 'Merge into another incident');
  if (i.status !== 'closed') {
    if (open) option('incident.close', 'Close');
    else button('incident.close', 'Close');
  }
  return [...primary, ...more];
}

/**
 * The incident's card. With `live` it also shows the SLA time left and who it is with; without,
 * only what the incident itself records.
 */
export function presentIncidentCard(i: IncidentDetail, live?: CardLive): Presentation {
  const ref = formatReference(i.number);
  const fields: Array<{ label: string; value: Rich }> = [
    { label: 'Status', value: [STATUS_LABELS[i.status]] },
    { label: 'Priority', value: [emoji(PRIORITY_EMOJI[i.priority]), ` ${i.priority}`] },
    {
      label: 'Location',
      value: [
        i.locationName ? i.locationName : italic('not given'),
        ...(i.assetTag ? [' · ', typed(i.assetTag, 64)] : []),
      ],
    },
    { label: 'Reported by', value: [person(i.reporterName, i.reporterSlackId)] },
    {
      label: 'Assignee',
      value: [i.assigneeId ? person(i.assigneeName, i.assigneeSlackId) : italic('nobody yet')],
    },
    { label: 'Category', value: [i.category ? CATEGORY_LABELS[i.category] : italic('not triaged')] },
  ];
  const support = supportText(i);
  if (support) fields.push({ label: 'Support', value: support });
  const sections: Section[] = [
    {
      kind: 'heading',
      text: [emoji(PRIORITY_EMOJI[i.priority]), ' ', bold(ref), ' · ', typed(i.summary, 200)],
    },
    { kind: 'fields', fields },
  ];
  if (i.description) sections.push({ kind: 'text', text: [typed(i.description, 1500)] });
  if (i.resolution)
    sections.push({ kind: 'text', text: [bold('Resolution'), '\n', typed(i.resolution, 1500)] });
  const now = live?.now;
  const status: Rich[] = duplicateLines(i, live?.duplicates);
  if (live?.openEscalation && now) status.push(escalationLine(live.openEscalation, now));
  if (i.status === 'on_hold' && i.onHoldSince) {
    status.push([
      emoji(':hourglass:'),
      ' On hold since ',
      date(i.onHoldSince),
      ...(i.holdReason ? [' — ', typed(i.holdReason, 500)] : []),
    ]);
  }
  const sla = live ? slaLine(i, live) : null;
  if (sla) status.push(sla);
  if (live?.photos) status.push(photosLine(live.photos));
  if (status.length) sections.push({ kind: 'text', text: status.flatMap((s, n) => (n ? ['\n', ...s] : s)) });
  sections.push({
    kind: 'context',
    text: [
      `${IMPACT_LABELS[i.impact]} · ${URGENCY_LABELS[i.urgency]} · reported `,
      date(i.createdAt),
      ...(i.resolvedAt ? [' · resolved ', date(i.resolvedAt)] : []),
      ...(i.closedAt ? [' · closed ', date(i.closedAt)] : []),
    ],
  });
  return {
    text: [`${ref} (${i.priority}) `, typed(i.summary, 150), ` — ${STATUS_LABELS[i.status]}`],
    sections,
    actions: cardActions(i),
  };
}
