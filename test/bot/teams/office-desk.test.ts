/**
 * The helpdesk's answers in Teams, through `POST /api/messages` with signed activities and every
 * connector call pinned, with the same words and role checks as Slack's: `spoc help` by role and
 * grouped by task (a teacher, the office and an admin differ), the help for words SPOC does not
 * know, and "Did you mean" for a slip after `spoc` (in a channel, for the viewer); `spoc incidents` with
 * Next to page 2; `spoc incident INC-1`; `spoc settings` with its Edit dialog (a field error, then
 * saved once); `spoc term add` and `list`; `spoc report week` with the figures Slack shows, in a
 * channel shown to the asker alone, its CSV pointed to the personal chat.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { serviceReportView } from '../../../src/bot/slack/views/report.view';
import { people, schoolHolidays } from '../../../src/db/schema';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { serviceReport } from '../../../src/domain/reports/run-service-report';
import { getSchoolSettings } from '../../../src/domain/schools/settings';
import { COLLEAGUE, channelMessage, TEACHER } from '../../support/teams-activities';
import { type Card, cardOf, input, under, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';

const harness = useTeamsSpoc('spoc-office-desk-key');
const { calls, db, post } = harness;
const { knownPerson, seq, task, press, replyTo, words, outerActionsOf } = officeTools(harness, {
  idPrefix: { task: 'f:desk-', ask: 'f:say-' },
});

/** A card's facts as Slack's fields read (`*label*\nvalue`). */
const factsOf = (card: Card): string[] =>
  (card.body as Array<{ type: string; facts?: Array<{ title: string; value: string }> }>)
    .filter((b) => b.type === 'FactSet')
    .flatMap((b) => b.facts ?? [])
    .map((f) => `*${f.title}*\n${f.value}`);

async function megan() {
  return (await knownPerson()).ctx;
}

describe('the helpdesk in Teams', () => {
  it('help by role, grouped by task: a teacher and the office are told different things; unknown words get the help', async () => {
    await post(channelMessage('spoc setup', '101'));
    // Adele has spoken to SPOC in the team: she is a teacher.
    const teacher = await replyTo('spoc help', COLLEAGUE);
    expect(words(teacher)).toContain('Your role here: **teacher**.');
    expect(words(teacher)).toContain('**Report a fault**\\n`fault [what is wrong]` — report an ICT fault');
    expect(words(teacher)).not.toContain('/fault');
    expect(words(teacher)).toContain('`spoc incidents [open|mine|reported|all]` — your reports');
    expect(words(teacher)).not.toContain('spoc settings');
    // A teacher is told of reporting and their own faults only.
    for (const title of ['Triage', 'Registers', 'Money and contracts', 'Reports', 'Settings']) {
      expect(words(teacher)).not.toContain(`**${title}**`);
    }

    await db().update(people).set({ role: 'office' }).where(eq(people.teamsUserId, COLLEAGUE.aadObjectId));
    const office = await replyTo('help', COLLEAGUE);
    expect(words(office)).toContain('Your role here: **office (SPOC)**.');
    expect(words(office)).toContain(
      '**Triage**\\n`spoc incidents [open|mine|reported|all]` — the incident queue',
    );
    expect(words(office)).toContain(
      '**Reports**\\n`spoc report week|last-week|term|last-term|FROM..TO [csv]`',
    );
    expect(words(office)).not.toContain('spoc role @person');
    expect(words(office)).not.toEqual(words(teacher));

    const unknown = await replyTo('what can you do for me', COLLEAGUE);
    expect(words(unknown)).toEqual(words(office));
    // Words after `spoc` close to no command: the help, as before.
    expect(words(await replyTo('spoc frobnicate', COLLEAGUE))).toEqual(words(office));

    // Megan is the admin: every group, each under its bold title.
    const admin = words(await replyTo('spoc help'));
    for (const title of [
      'Report a fault',
      'Triage',
      'Registers',
      'Money and contracts',
      'Reports',
      'Settings',
    ]) {
      expect(admin).toContain(`**${title}**\\n`);
    }
    expect(admin).toContain('`spoc role @person teacher|technician|office|admin` — give someone a role');
    expect(admin).toContain('**Money and contracts**\\n`spoc providers`');
  });

  it('a slip after spoc gets "Did you mean", then the help for the role; in a channel, for the viewer', async () => {
    const slip = words(await replyTo('spoc incidnets', COLLEAGUE));
    expect(slip).toContain('Did you mean `spoc incidents`?');
    expect(slip).not.toContain('/spoc');
    expect(slip).toContain('Your role here: **office (SPOC)**.');
    expect(words(await replyTo('spoc payemnts', COLLEAGUE))).toContain('Did you mean `spoc payments`?');

    calls.splice(0);
    await post(channelMessage('spoc contarcts', 'desk-slip-1'));
    const shown = cardOf(
      calls.find((c) => c.method === 'POST' && c.path.endsWith('/activities/desk-slip-1')),
    ) as Card & { refresh?: { action: { verb: string; data: { value: string } }; userIds: string[] } };
    expect(words(shown)).toContain('the answer is shown to them alone');
    expect(shown.refresh).toMatchObject({
      action: { verb: 'reply.show', data: { value: 'spoc help contarcts' } },
      userIds: [TEACHER.id],
    });
    const own = await press('reply.show', shown.refresh?.action.data ?? {});
    expect(words(own.value)).toContain('Did you mean `spoc contracts`?');
    expect(words(own.value)).toContain('Your role here: **admin**.');
  });

  it('incidents page by page, and one incident with its history', async () => {
    const ctx = await megan();
    for (let i = 1; i <= 25; i++) {
      const reported = await reportFault(ctx, { summary: `Projector ${i} is dark`, urgency: 'today' });
      expect(reported.ok).toBe(true);
    }
    const list = await replyTo('spoc incidents');
    expect(words(list)).toContain('**Open incidents** (25) — page 1 of 2');
    expect(words(list)).toContain('`spoc incident INC-7` shows one with its history.');
    const next = outerActionsOf(list).find((a) => a.verb === 'incidents.next') as { data: { value: string } };
    expect(outerActionsOf(list).some((a) => a.verb === 'incidents.previous')).toBe(false);
    const page2 = await press('incidents.next', next.data);
    expect(words(page2.value)).toContain('**Open incidents** (25) — page 2 of 2');
    expect(outerActionsOf(page2.value as Card).some((a) => a.verb === 'incidents.previous')).toBe(true);

    const one = await replyTo('spoc incident INC-1');
    expect(words(one)).toContain('**INC-1**');
    expect(words(one)).toContain('Projector 1 is dark');
    expect(words(one)).toContain('**History**');
    // An answer to one person, not the channel's card: no buttons.
    expect(outerActionsOf(one)).toHaveLength(0);

    const refused = await replyTo('spoc incidents sideways');
    expect(words(refused)).toContain("I don't know the list");
    expect(words(refused)).toContain('Your role here: **admin**.');
  });

  it('settings: shown with Edit; the dialog refuses a bad time under its field, then saves once', async () => {
    const shown = await replyTo('spoc settings');
    expect(words(shown)).toContain('**School settings**');
    expect(words(shown)).toContain('respond within **');
    const edit = outerActionsOf(shown).find(
      (a) => (a.data as { verb?: string } | undefined)?.verb === 'settings.edit',
    );
    expect(edit).toMatchObject({
      type: 'Action.Submit',
      title: 'Edit',
      data: { msteams: { type: 'task/fetch' } },
    });

    const opened = await task('task/fetch', { verb: 'settings.edit', value: 'edit' });
    if (opened.task.type !== 'continue') throw new Error(JSON.stringify(opened));
    expect(opened.task.value.title).toBe('School settings');
    const form = opened.task.value.card.content;
    expect(input(form, 'dayStart')).toMatchObject({ type: 'Input.Text', label: 'Starts at' });
    const values = Object.fromEntries(
      form.body.filter((b) => typeof b.id === 'string' && 'value' in b).map((b) => [b.id, b.value]),
    );
    const submit = form.actions?.[0]?.data as Record<string, unknown>;

    const refused = await task('task/submit', { ...submit, ...values, dayEnd: '07:00' });
    if (refused.task.type !== 'continue') throw new Error(JSON.stringify(refused));
    expect(under(refused.task.value.card.content, 'dayEnd')).toBe('The school day must end after it starts.');

    const good = { ...submit, ...values, P1_respond: '15m' };
    const saved = await task('task/submit', good);
    expect(words(saved)).toContain('Settings saved (1 changed).');
    expect(await task('task/submit', good)).toEqual(saved);
    const now = await getSchoolSettings(await megan());
    expect(now.ok && now.value.sla.P1.respondMinutes).toBe(15);

    // The admins' text form, answered where it was said.
    const hours = await replyTo('spoc settings hours 08:00 16:00');
    expect(words(hours)).toContain('the school day is 08:00–16:00.');
  });

  it('term dates: add, then list', async () => {
    const added = await replyTo('spoc term add 19/12/2026 04/01/2027 Christmas');
    expect(words(added)).toContain(
      '**Christmas** added: Sat 19 Dec 2026 – Mon 4 Jan 2027. No reminders then, and SLA clocks rest.',
    );
    expect(await db().select().from(schoolHolidays)).toHaveLength(1);
    const list = await replyTo('spoc term list');
    expect(words(list)).toContain('**School holidays**');
    expect(words(list)).toContain('• **Christmas**: 19/12/2026 – 04/01/2027');
  });

  it('the service report for the week, with the figures Slack shows', async () => {
    const card = await replyTo('spoc report week');
    expect(words(card)).toContain('Service report: ');
    const report = await serviceReport(await megan(), { period: 'week' });
    if (!report.ok) throw new Error(report.error.message);
    const slack = serviceReportView(report.value).blocks.flatMap((b) =>
      'fields' in b && b.fields ? b.fields.map((f) => f.text) : [],
    );
    expect(factsOf(card)).toContain('*Faults reported*\n25');
    expect(factsOf(card)).toEqual(slack.map((f) => f.replace(/&amp;/g, '&')));
  });

  it('the service report in a channel: shown to the asker alone, and its CSV sent only through the personal chat', async () => {
    const inChannel = async (text: string) => {
      calls.splice(0);
      const id = `desk-report-${seq()}`;
      await post(channelMessage(text, id));
      // The answer to this message (not a notice the outbox sends meanwhile).
      return cardOf(calls.find((c) => c.method === 'POST' && c.path.endsWith(`/activities/${id}`)));
    };
    const shown = (await inChannel('spoc report week')) as Card & {
      refresh?: { action: { verb: string; data: { value: string } }; userIds: string[] };
    };
    expect(words(shown)).toContain('the answer is shown to them alone');
    expect(shown.refresh).toMatchObject({ action: { verb: 'reply.show' }, userIds: [TEACHER.id] });
    const own = await press('reply.show', shown.refresh?.action.data ?? {});
    expect(words(own.value)).toContain('Service report: ');
    expect(factsOf(own.value as Card)).toEqual(factsOf(await replyTo('spoc report week')));

    const asked = words(await inChannel('spoc report week csv'));
    expect(asked).toContain('Files come through our personal chat');
    expect(asked).toContain('spoc report week csv');
  });
});
