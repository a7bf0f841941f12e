import type { ActionsBlock, Button, KnownBlock, Overflow, PlainTextOption } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { CATEGORY_LABELS, IMPACT_LABELS, URGENCY_LABELS } from '../../../domain/incidents/priority';
import { formatReference } from '../../../domain/incidents/reference';
import {
  formatSchoolMinutes as formatMinutes,
  type SlaTargets,
  slaStatus,
} from '../../../domain/incidents/sla';
import { type Action, isOpen, STATUS_LABELS, transition } from '../../../domain/incidents/state-machine';
import { type SchoolCalendar, schoolDayMinutes } from '../../../domain/school-time';
import { ACTION, mention } from '../ids';
import { esc, escClip, md, plain, slackDate } from './format';

export const PRIORITY_EMOJI = {
  P1: ':red_circle:',
  P2: ':large_orange_circle:',
  P3: ':large_yellow_circle:',
  P4: ':white_circle:',
} as const;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

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
}

/** One line that names an incident, for notifications and lists. */
export function incidentLine(i: IncidentDetail): string {
  return `*${formatReference(i.number)}* ${PRIORITY_EMOJI[i.priority]} ${i.priority} — ${escClip(i.summary, 150)}`;
}

function supportText(i: IncidentDetail): string | null {
  if (!i.supportLevel && !i.providerName) return null;
  const level = i.supportLevel === 'second' ? 'Second line' : 'First line';
  const provider = i.providerName ? ` · ${escClip(i.providerName, 100)}` : '';
  const ref = i.providerRef ? ` (ref ${escClip(i.providerRef, 100)})` : '';
  return `${level}${provider}${ref}`;
}

/** Where the incident stands against its SLA, in school time. */
export function slaText(i: IncidentDetail, live: CardLive, timezone: string): string | null {
  const { calendar, sla, now } = live;
  if (i.status === 'closed' && !i.resolvedAt) return null;
  const day = schoolDayMinutes(calendar);
  const formatSchoolMinutes = (m: number) => formatMinutes(m, day);
  if (i.resolvedAt) {
    const s = slaStatus(calendar, i, sla, 'resolution', now);
    return s.met
      ? `:white_check_mark: Resolved within the ${formatSchoolMinutes(s.target)} target`
      : `:x: Resolved after the ${formatSchoolMinutes(s.target)} target`;
  }
  const measure = i.firstResponseAt ? 'resolution' : 'response';
  const s = slaStatus(calendar, i, sla, measure, now);
  const what = measure === 'response' ? 'First response' : 'Resolution';
  const left = s.remainingMinutes ?? 0;
  if (s.paused) {
    return `:double_vertical_bar: SLA clock paused while on hold — ${formatSchoolMinutes(left)} of school time left to resolve`;
  }
  if (left < 0 || now > s.dueAt) {
    return `:rotating_light: ${what} target missed — breached by ${formatSchoolMinutes(left)} of school time (was due ${slackDate(s.dueAt, timezone)})`;
  }
  return `:stopwatch: ${what} due ${slackDate(s.dueAt, timezone)} — ${formatSchoolMinutes(left)} of school time left`;
}

function escalationText(e: CardEscalation, now: Date, timezone: string): string {
  const ref = e.providerRef ? ` (ref ${escClip(e.providerRef, 100)})` : ' (no reference yet)';
  let answer = '';
  if (e.respondedAt) answer = ` · answered ${slackDate(e.respondedAt, timezone)}`;
  else if (e.respondBy && now >= e.respondBy)
    answer = ` · *no answer* — it was due ${slackDate(e.respondBy, timezone)}`;
  else if (e.respondBy) answer = ` · answer due ${slackDate(e.respondBy, timezone)}`;
  return `:telephone_receiver: With *${escClip(e.providerName, 100)}*${ref} since ${slackDate(e.escalatedAt, timezone)}${answer}`;
}

/**
 * The incident's card in the SPOC channel. Buttons show what can be done next; whether the
 * presser may do it is decided by the command, not by the button. With `live` the card also
 * shows the SLA time left and who it is with.
 */
export function incidentCardView(i: IncidentDetail, timezone: string, live?: CardLive): SlackMessage {
  const ref = formatReference(i.number);
  const fields = [
    md(`*Status*\n${STATUS_LABELS[i.status]}`),
    md(`*Priority*\n${PRIORITY_EMOJI[i.priority]} ${i.priority}`),
    md(
      `*Location*\n${i.locationName ? esc(i.locationName) : '_not given_'}${i.assetTag ? ` · ${escClip(i.assetTag, 64)}` : ''}`,
    ),
    md(`*Reported by*\n${mention(i.reporterSlackId, i.reporterName)}`),
    md(`*Assignee*\n${i.assigneeId ? mention(i.assigneeSlackId, i.assigneeName) : '_nobody yet_'}`),
    md(`*Category*\n${i.category ? CATEGORY_LABELS[i.category] : '_not triaged_'}`),
  ];
  const support = supportText(i);
  if (support) fields.push(md(`*Support*\n${support}`));
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(`${PRIORITY_EMOJI[i.priority]} *${ref}* · ${escClip(i.summary, 200)}`) },
    { type: 'section', fields },
  ];
  if (i.description) blocks.push({ type: 'section', text: md(escClip(i.description, 1500)) });
  if (i.resolution)
    blocks.push({ type: 'section', text: md(`*Resolution*\n${escClip(i.resolution, 1500)}`) });
  const now = live?.now;
  const status: string[] = [];
  if (live?.openEscalation && now) status.push(escalationText(live.openEscalation, now, timezone));
  if (i.status === 'on_hold' && i.onHoldSince) {
    status.push(
      `:hourglass: On hold since ${slackDate(i.onHoldSince, timezone)}${i.holdReason ? ` — ${escClip(i.holdReason, 500)}` : ''}`,
    );
  }
  const sla = live ? slaText(i, live, timezone) : null;
  if (sla) status.push(sla);
  if (status.length) blocks.push({ type: 'section', text: md(status.join('\n')) });
  blocks.push({
    type: 'context',
    elements: [
      md(
        `${IMPACT_LABELS[i.impact]} · ${URGENCY_LABELS[i.urgency]} · reported ${slackDate(i.createdAt, timezone)}` +
          (i.resolvedAt ? ` · resolved ${slackDate(i.resolvedAt, timezone)}` : '') +
          (i.closedAt ? ` · closed ${slackDate(i.closedAt, timezone)}` : ''),
      ),
    ],
  });
  const actions = cardActions(i);
  if (actions) blocks.push(actions);
  return { text: `${ref} (${i.priority}) ${escClip(i.summary, 150)} — ${STATUS_LABELS[i.status]}`, blocks };
}

/** The value of an option in the card's overflow menu: which form, for which incident. */
export function moreValue(actionId: string, incidentId: string): string {
  return `${actionId}|${incidentId}`;
}

/**
 * The card's buttons follow the state machine: only what the incident's status allows. The most
 * common steps are buttons; the rest sit in an overflow menu so the card stays tidy.
 */
function cardActions(i: IncidentDetail): ActionsBlock | null {
  const allowed = (action: Action) => transition(i.status, action).ok;
  const button = (action_id: string, text: string, style?: 'primary' | 'danger'): Button => ({
    type: 'button',
    action_id,
    text: plain(text),
    value: i.id,
    ...(style ? { style } : {}),
  });
  const buttons: Button[] = [];
  const more: PlainTextOption[] = [];
  const option = (actionId: string, text: string) =>
    more.push({ text: plain(text), value: moreValue(actionId, i.id) });
  const open = isOpen(i.status);

  if (i.status === 'escalated') {
    buttons.push(
      button(ACTION.providerUpdate, 'Provider update', 'primary'),
      button(ACTION.handBack, 'Hand back'),
      button(ACTION.resolve, 'Resolve'),
    );
  } else if (i.status === 'on_hold') {
    buttons.push(button(ACTION.resume, 'Resume', 'primary'), button(ACTION.resolve, 'Resolve'));
  } else if (open) {
    const claimable = !i.assigneeId || i.status === 'assigned' || i.status === 'reopened';
    if (claimable && allowed('claim')) buttons.push(button(ACTION.claim, 'Claim', 'primary'));
    buttons.push(button(ACTION.triage, 'Triage'));
    if (allowed('assign')) buttons.push(button(ACTION.forward, 'Forward'));
    if (allowed('escalate')) buttons.push(button(ACTION.escalate, 'Escalate'));
    buttons.push(button(ACTION.resolve, 'Resolve'));
  }
  if (allowed('note')) {
    if (open) option(ACTION.note, 'Add a note');
    else buttons.push(button(ACTION.note, 'Note'));
  }
  if (i.status === 'escalated' || i.status === 'on_hold') option(ACTION.triage, 'Triage');
  if (allowed('hold') && i.status !== 'on_hold') option(ACTION.hold, 'Put on hold');
  if (i.status !== 'closed') {
    if (open) option(ACTION.close, 'Close');
    else buttons.push(button(ACTION.close, 'Close'));
  }
  const elements: Array<Button | Overflow> = [...buttons];
  if (more.length) elements.push({ type: 'overflow', action_id: ACTION.cardMore, options: more });
  if (elements.length === 0) return null;
  return { type: 'actions', block_id: 'incident_actions', elements };
}
