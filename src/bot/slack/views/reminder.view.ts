/** Reminders in the SPOC channel, rendered from the reminder presenter. */

import { presentReminder } from '../../../domain/presenters/reminder';
import type { Reminder } from '../../../domain/reminders/reminder';
import { md } from './format';
import type { SlackMessage } from './incident-card.view';
import { actionsBlock, mrkdwn, sectionBlocks } from './render';

/** Slack takes at most 50 blocks in a message. */
const MAX_BLOCKS = 50;

export function reminderView(r: Reminder, timezone: string): SlackMessage {
  const p = presentReminder(r);
  const blocks = sectionBlocks(p.sections, timezone);
  const actions = actionsBlock(p.actions, 'reminder_actions');
  if (actions) blocks.push(actions);
  if (r.kind === 'digest') return { text: mrkdwn(p.text, timezone), blocks: blocks.slice(0, MAX_BLOCKS) };
  // The notification line: the paragraph without its bold marks.
  return { text: mrkdwn(p.text, timezone).replace(/\*/g, '').slice(0, 300), blocks };
}

/** A reminder once acted on: what was done, by whom; no more buttons. */
export function reminderDoneView(original: string, outcome: string): SlackMessage {
  return {
    text: outcome,
    blocks: [
      { type: 'section', text: md(original) },
      { type: 'context', elements: [md(outcome)] },
    ],
  };
}
