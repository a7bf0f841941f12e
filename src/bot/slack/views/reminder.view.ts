/** Reminders in the SPOC channel, rendered from the reminder presenter. */

import { type BriefingModel, presentBriefing } from '../../../domain/presenters/briefing';
import { presentReminder } from '../../../domain/presenters/reminder';
import { type ReminderOutcome, reminderOutcomeLine } from '../../../domain/presenters/reminder-outcome';
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

/**
 * The day's briefing: its groups as sections (each within Slack's 3,000 characters a section; the
 * presenter bounds the groups so the whole stays within 50 blocks), no buttons of its own.
 */
export function briefingView(b: BriefingModel, timezone: string): SlackMessage {
  const p = presentBriefing(b);
  const blocks = sectionBlocks(p.sections, timezone);
  if (blocks.length > MAX_BLOCKS)
    throw new Error(`briefing has ${blocks.length} blocks, more than Slack takes`);
  return { text: mrkdwn(p.text, timezone).replace(/\*/g, '').slice(0, 300), blocks };
}

/** What was done to a reminder and by whom (the presser, mentioned), as the line under it. */
export function reminderOutcomeMrkdwn(
  done: ReminderOutcome,
  by: { slackUserId: string },
  timezone?: string,
): string {
  return mrkdwn(reminderOutcomeLine(done, { name: 'someone', slackUserId: by.slackUserId }), timezone);
}

/**
 * A reminder once acted on: its text as posted (`original`, the message's own mrkdwn), then the
 * outcome line (`reminderOutcomeMrkdwn`); no more buttons.
 */
export function reminderDoneView(original: string, outcome: string): SlackMessage {
  return {
    text: outcome,
    blocks: [
      { type: 'section', text: md(original) },
      { type: 'context', elements: [md(outcome)] },
    ],
  };
}
