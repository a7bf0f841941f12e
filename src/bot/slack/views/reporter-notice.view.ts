/** What a person is told by DM about an incident, in plain words without ITSM jargon. */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { IncidentDetail, IncidentRow } from '../../../db/queries/incidents';
import { AUTO_CLOSE_SCHOOL_DAYS } from '../../../domain/incidents/auto-close';
import { formatReference } from '../../../domain/incidents/reference';
import type { ReporterOutcome } from '../../../domain/incidents/reporter-response';
import { isOpen, type Status } from '../../../domain/incidents/state-machine';
import type { NotifyEvent } from '../../../domain/messages';
import { ACTION, mention } from '../ids';
import { escClip, md, plain, slackDate } from './format';
import type { SlackMessage } from './incident-card.view';

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
export function answerButtons(i: { id: string }): Button[] {
  return [
    { type: 'button', action_id: ACTION.reporterFixed, style: 'primary', text: plain('Fixed'), value: i.id },
    { type: 'button', action_id: ACTION.reporterStillBroken, text: plain('Still broken'), value: i.id },
  ];
}

/** Opens the comment form for the reporter's own open fault. */
export function commentButton(i: { id: string }, label = 'Add a comment or photo link'): Button {
  return { type: 'button', action_id: ACTION.commentOpen, text: plain(label), value: i.id };
}

const actions = (elements: Button[]): ActionsBlock => ({ type: 'actions', elements });

/** What the reporter is told, in plain words, at the steps that matter to them. */
export function reporterNoticeView(event: NotifyEvent, i: IncidentDetail, lastNote?: string): SlackMessage {
  const ref = formatReference(i.number);
  const what = `*${ref}* — ${escClip(i.summary, 150)}`;
  let text: string;
  switch (event) {
    case 'reported':
      text = `:white_check_mark: Thanks — your fault is logged as ${what}.\nThe ICT team has it; I'll message you here when someone picks it up.`;
      break;
    case 'claimed':
      text = `:raising_hand: ${mention(i.assigneeSlackId, i.assigneeName)} is now working on your fault ${what}.`;
      break;
    case 'resolved':
      text =
        `:tada: Good news: your fault ${what} has been fixed.\n>${escClip(i.resolution ?? '', 1500)}\n` +
        `Is it working now? Press *Fixed* or *Still broken*. If I don't hear from you, I'll close it after ${AUTO_CLOSE_SCHOOL_DAYS} school days.`;
      break;
    case 'assigned':
      text = `:arrow_right: You have been given ${what}. It is in the SPOC channel: press *Claim* there when you start on it.`;
      break;
    case 'closed':
      text = `Your fault ${what} was closed without a fix${lastNote ? `: ${escClip(lastNote, 1000)}` : '.'}\nIf it is still a problem, report it again with \`/fault\`.`;
      break;
    case 'escalated':
      text = `:telephone_receiver: Your fault ${what} needs outside help: the ICT team has passed it to ${i.providerName ? escClip(i.providerName, 100) : 'a specialist support company'} and is keeping track of it. I'll tell you when it is fixed.`;
      break;
    case 'on_hold':
      text = `:hourglass: Your fault ${what} is waiting${i.holdReason ? ` — ${escClip(i.holdReason, 500)}` : ' (for parts or for someone to be available)'}. I'll tell you when it moves again.`;
      break;
    case 'reopened':
      text = `:leftwards_arrow_with_hook: ${mention(i.reporterSlackId, i.reporterName)} says ${what} is still broken, so it is open again.`;
      break;
    case 'commented':
      text = `:speech_balloon: ${mention(i.reporterSlackId, i.reporterName)} added to ${what}${lastNote ? `:\n>${escClip(lastNote, 1000)}` : '.'}`;
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
  }[event];
  const blocks: KnownBlock[] = [{ type: 'section', text: md(text) }];
  // Buttons only while they still make sense when the message is sent (it is rendered at send time).
  const toReporter = ['reported', 'claimed', 'escalated', 'on_hold', 'resolved'].includes(event);
  if (toReporter && event === 'resolved' && i.status === 'resolved') blocks.push(actions(answerButtons(i)));
  else if (toReporter && isOpen(i.status)) blocks.push(actions([commentButton(i)]));
  return { text: fallback, blocks };
}

/** Which reporter button was pressed. */
export type ReporterButton = 'fixed' | 'still_broken';

/**
 * The answer to the reporter's "Fixed" / "Still broken", which replaces the message that carried
 * the buttons (they no longer apply).
 */
export function reporterAnswerView(
  button: ReporterButton,
  outcome: ReporterOutcome,
  i: IncidentRow,
  timezone: string,
): SlackMessage {
  const ref = formatReference(i.number);
  const what = `*${ref}* — ${escClip(i.summary, 150)}`;
  const say = (fallback: string, text: string, extra: Button[] = []): SlackMessage => ({
    text: fallback,
    blocks: [{ type: 'section', text: md(text) }, ...(extra.length ? [actions(extra)] : [])],
  });
  if (outcome === 'already_closed' && button === 'still_broken') {
    const when = i.closedAt ? ` on ${slackDate(i.closedAt, timezone)}` : '';
    return say(
      `${ref} was already closed`,
      `:lock: ${what} was closed${when}, so it can't be reopened. If it is still not working, please report it again with \`/fault\` and mention ${ref}.`,
    );
  }
  switch (outcome) {
    case 'confirmed':
    case 'already_closed':
      return say(`${ref} is closed`, `:pray: Thanks for letting us know — ${what} is closed.`);
    case 'reopened':
      return say(
        `${ref} is open again`,
        `:leftwards_arrow_with_hook: Sorry it's still not working. ${what} is open again and the ICT team has been told. Tell them what is still wrong:`,
        [commentButton(i)],
      );
    case 'already_open':
      return say(`${ref} is open again`, `${what} is already open again and the ICT team knows.`, [
        commentButton(i),
      ]);
    case 'not_resolved':
      return say(
        `${ref} is open again`,
        `${what} is open again, so there is nothing to confirm yet. I'll ask you again when it is fixed.`,
        [commentButton(i)],
      );
  }
}
