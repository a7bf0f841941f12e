/**
 * The outcome lines under an acted-on reminder, as Slack shows them: the words each button's
 * listener wrote before they moved into the presenter, character for character, and the same
 * outcome as Teams renders it.
 */
import { describe, expect, it } from 'vitest';
import { reminderOutcomeMrkdwn } from '../../../src/bot/slack/views/reminder.view';
import { renderText } from '../../../src/bot/teams/render/adaptive-card';
import { type ReminderOutcome, reminderOutcomeLine } from '../../../src/domain/presenters/reminder-outcome';

const by = { slackUserId: 'U0OFFICE1' };
const slack = (o: ReminderOutcome) => reminderOutcomeMrkdwn(o, by, 'Europe/London');
const respondBy = new Date('2027-03-03T10:00:00Z');

describe('reminder outcomes in Slack', () => {
  it('words each outcome as the listeners did', () => {
    expect(
      slack({
        kind: 'paid',
        already: false,
        paidDate: '2027-03-01',
        next: { amountPence: 123450, dueDate: '2027-04-05' },
      }),
    ).toBe(
      ':white_check_mark: Marked paid Mon 1 Mar 2027. Next payment of £1,234.50 scheduled for Mon 5 Apr 2027. — <@U0OFFICE1>',
    );
    expect(slack({ kind: 'paid', already: false, paidDate: '2027-03-01', next: null })).toBe(
      ':white_check_mark: Marked paid Mon 1 Mar 2027. — <@U0OFFICE1>',
    );
    expect(slack({ kind: 'paid', already: true })).toBe(
      ':white_check_mark: Already marked paid. — <@U0OFFICE1>',
    );
    expect(slack({ kind: 'snoozed', until: '2027-03-08' })).toBe(
      ':zzz: Snoozed until Mon 8 Mar 2027 — <@U0OFFICE1>',
    );
    expect(slack({ kind: 'willCancel' })).toBe(
      ':x: Will cancel: remember to give notice in writing — <@U0OFFICE1>',
    );
    expect(slack({ kind: 'chased', already: false, chaseCount: 1, respondBy: respondBy.toISOString() })).toBe(
      `:mega: Chased (first chase) — next answer due <!date^${respondBy.getTime() / 1000}^{date_short_pretty} {time}|3 Mar, 10:00> — <@U0OFFICE1>`,
    );
    expect(slack({ kind: 'chased', already: false, chaseCount: 2, respondBy: null })).toBe(
      ':mega: Chased (chase 2) — <@U0OFFICE1>',
    );
    expect(slack({ kind: 'chased', already: true, chaseCount: 2, respondBy: null })).toBe(
      ':mega: Already chased — <@U0OFFICE1>',
    );
    expect(slack({ kind: 'renewed', endDate: '2028-04-20' })).toBe(
      ':arrows_counterclockwise: Renewed to Thu 20 Apr 2028 — <@U0OFFICE1>',
    );
    expect(slack({ kind: 'given', to: { name: '', slackUserId: 'U0TECH1' } })).toBe(
      ':arrow_right: Given to <@U0TECH1> — <@U0OFFICE1>',
    );
    expect(slack({ kind: 'problemOpened', reference: 'PRB-1' })).toBe(':mag: *PRB-1* opened — <@U0OFFICE1>');
  });

  it('names the presser by name in Teams', () => {
    const line = reminderOutcomeLine({ kind: 'willCancel' }, { name: 'Adele Vance', slackUserId: null });
    expect(renderText(line)).toBe('❌ Will cancel: remember to give notice in writing — **Adele Vance**');
  });
});
