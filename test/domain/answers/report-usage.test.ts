/**
 * Words people read carry no raw markup: a period SPOC does not know is said back in plain words,
 * dates as people read them, and how to name one is told with each platform's own command and
 * place — `/spoc report` and "your DMs" in Slack, `spoc report` and "our personal chat" in Teams,
 * set apart as code by the platform, never as a backtick typed into the text.
 */
import { describe, expect, it } from 'vitest';
import { mrkdwn } from '../../../src/bot/slack/views/render';
import { plainText, renderText } from '../../../src/bot/teams/render/adaptive-card';
import { PERIOD_USAGE, reportProblem } from '../../../src/domain/answers/reports';
import type { Ctx } from '../../../src/domain/context';
import { parsePeriod } from '../../../src/domain/reports/period';
import { fail } from '../../../src/domain/result';
import { roleUsage } from '../../../src/domain/schools/set-role';
import { setupInAChannel } from '../../../src/domain/schools/setup-school';

const ctx = { actor: { role: 'office' } } as unknown as Ctx;

function problemFor(words: string) {
  const parsed = parsePeriod(words, '2026-11-30', []);
  if (parsed.ok) throw new Error(`${words} is a period`);
  const refused = fail('VALIDATION', parsed.reason);
  return reportProblem(ctx, refused.error);
}

describe('a period SPOC does not know', () => {
  it('in Teams: the words said back, then spoc report as code, and no escaped backtick', () => {
    const teams = renderText(problemFor('fortnight').text);
    expect(teams).toBe(
      'I don\'t know the period "fortnight". Usage: `spoc report week|last-week|term|last-term|FROM..TO [csv]`, e.g. `spoc report term` or `spoc report 01/09/2026..18/12/2026 csv`. Add `csv` to get it as a spreadsheet in our personal chat.',
    );
    expect(teams).not.toContain('\\`');
    expect(plainText(problemFor('fortnight').text)).not.toContain('`');
  });

  it('in Slack: /spoc report and the DMs', () => {
    expect(mrkdwn(PERIOD_USAGE)).toBe(
      'Usage: `/spoc report week|last-week|term|last-term|FROM..TO [csv]`, e.g. `/spoc report term` or `/spoc report 01/09/2026..18/12/2026 csv`. Add `csv` to get it as a spreadsheet in your DMs.',
    );
  });

  it('a range the wrong way round names its days as people read them', () => {
    expect(renderText(problemFor('2026-12-18..2026-09-01').text)).toContain(
      'The period ends (Tue 1 Sep 2026) before it starts (Fri 18 Dec 2026).',
    );
  });
});

describe('the setup and role sentences', () => {
  it('carry no markup of their own: each platform sets the command apart its own way, or not at all', () => {
    expect(setupInAChannel('/spoc setup')).toBe(
      'Run /spoc setup in the channel where fault reports should go, not in a direct message.',
    );
    expect(setupInAChannel('/spoc setup', (t) => `\`${t}\``)).toBe(
      'Run `/spoc setup` in the channel where fault reports should go, not in a direct message.',
    );
    expect(roleUsage('/spoc role')).toBe(
      'Usage: /spoc role @person teacher|technician|office|admin — mention the person with @.',
    );
    expect(roleUsage('@SPOC spoc role', (t) => `\`${t}\``)).toBe(
      'Usage: `@SPOC spoc role @person teacher|technician|office|admin` — mention the person with @.',
    );
  });
});
