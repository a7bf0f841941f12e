import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { IncidentDetail } from '../../../db/queries/incidents';
import { CATEGORY_LABELS, IMPACT_LABELS, URGENCY_LABELS } from '../../../domain/incidents/priority';
import { formatReference } from '../../../domain/incidents/reference';
import { isOpen, STATUS_LABELS } from '../../../domain/incidents/state-machine';
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

/** One line that names an incident, for notifications and lists. */
export function incidentLine(i: IncidentDetail): string {
  return `*${formatReference(i.number)}* ${PRIORITY_EMOJI[i.priority]} ${i.priority} — ${escClip(i.summary, 150)}`;
}

/**
 * The incident's card in the SPOC channel. Buttons show what can be done next; whether the
 * presser may do it is decided by the command, not by the button.
 */
export function incidentCardView(i: IncidentDetail, timezone: string): SlackMessage {
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
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(`${PRIORITY_EMOJI[i.priority]} *${ref}* · ${escClip(i.summary, 200)}`) },
    { type: 'section', fields },
  ];
  if (i.description) blocks.push({ type: 'section', text: md(escClip(i.description, 1500)) });
  if (i.resolution)
    blocks.push({ type: 'section', text: md(`*Resolution*\n${escClip(i.resolution, 1500)}`) });
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

function cardActions(i: IncidentDetail): ActionsBlock | null {
  const buttons: Button[] = [];
  const button = (action_id: string, text: string, style?: 'primary' | 'danger'): Button => ({
    type: 'button',
    action_id,
    text: plain(text),
    value: i.id,
    ...(style ? { style } : {}),
  });
  const open = isOpen(i.status);
  const claimable = open && (!i.assigneeId || i.status === 'assigned' || i.status === 'reopened');
  if (claimable) buttons.push(button(ACTION.claim, 'Claim', 'primary'));
  if (open) buttons.push(button(ACTION.triage, 'Triage'), button(ACTION.resolve, 'Resolve'));
  if (i.status !== 'closed') buttons.push(button(ACTION.close, 'Close'));
  if (buttons.length === 0) return null;
  return { type: 'actions', block_id: `incident_actions`, elements: buttons };
}
