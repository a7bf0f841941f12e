/**
 * The person's home in Teams (the equivalent of Slack's App Home), through `POST /api/messages`
 * with signed activities and every connector call pinned: installed for someone SPOC cannot place
 * yet, the short welcome; installed for a known person, their home card for their role, once
 * though Teams sends two activities for one install; `spoc home` for a teacher with open reports
 * shows them with Add a comment, Fixed and Still broken, and Fixed works from it (closed, the fault
 * is among the recently closed, with no Add a comment); the office's home
 * shows the registers' health with its Add buttons.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { incidents } from '../../../src/db/schema';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import {
  BOT,
  COLLEAGUE,
  cardAction,
  channelMessage,
  PERSONAL_CONVERSATION_ID,
  personalInstall,
  personalMessage,
  TEACHER,
  TENANT_ID,
} from '../../support/teams-activities';
import { type Card, cardOf, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';

const harness = useTeamsSpoc('spoc-office-home-key');
const { calls, db, post } = harness;
const { knownPerson, sentTo, words, actionsOf, verbOf, press, task } = officeTools(harness);

const COLLEAGUE_CHAT = 'a:1colleaguePersonalChatWithSpoc';

/** The colleague's message in their own personal chat with SPOC. */
function colleagueSays(text: string, id: string): Record<string, unknown> {
  const message = personalMessage(text, id);
  return {
    ...message,
    from: COLLEAGUE,
    conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: COLLEAGUE_CHAT },
  };
}

/** SPOC added to a personal chat, as Teams says it alongside the installationUpdate. */
function botAdded(): Record<string, unknown> {
  const { action: _action, ...install } = personalInstall('add');
  return { ...install, id: 'f:members-added-1', type: 'conversationUpdate', membersAdded: [BOT] };
}

describe('the home in Teams', () => {
  it('installed for someone SPOC cannot place yet: the short welcome', async () => {
    await post(personalInstall('add'));
    const [sent] = sentTo(PERSONAL_CONVERSATION_ID);
    const card = cardOf(sent);
    expect(words(card)).toContain("Hello, I'm SPOC, your school's ICT helpdesk.");
    expect(words(card)).toContain('**To report a fault**: say `fault` and what is wrong');
    expect(words(card)).toContain("**To get set up**: I don't know which school you are in yet.");
    expect(words(card)).toContain('`spoc setup`');
  });

  it('installed for a known person: their home card for their role, once for the two activities', async () => {
    await post(channelMessage('spoc setup', '101'));
    calls.splice(0);
    await post(personalInstall('add'));
    await post(botAdded());
    const sent = sentTo(PERSONAL_CONVERSATION_ID);
    expect(sent).toHaveLength(1);
    const card = cardOf(sent[0]);
    // Megan ran setup, so she is the admin: the same words as Slack's App Home.
    expect(words(card)).toContain('ICT support · ');
    expect(words(card)).toContain('Your role: **admin**. Type `spoc help` for everything you can do.');
    expect(words(card)).toContain('**Your reports**');
    expect(words(card)).toContain('_None yet. Press **Report a fault** when something is not working._');
    expect(words(card)).toContain('**My work** (0)');
    expect(words(card)).toContain('**Unassigned** (0)');
    expect(words(card)).toContain('**SLA breaches** (0)');
    expect(words(card)).toContain('**This week** (from Mon 30 Nov 2026)');
    expect(words(card)).toContain('**Registers**');
    expect(actionsOf(card).find((a) => verbOf(a) === 'fault.report')).toMatchObject({
      type: 'Action.Execute',
      title: 'Report a fault',
    });
  });

  it('spoc home for a teacher with open reports: each with its buttons; Fixed works from it', async () => {
    // Adele is known to SPOC (a teacher of the tenant's only school) once she speaks to it.
    await post(colleagueSays('spoc home', 'f:home-0'));
    const { ctx } = await knownPerson(COLLEAGUE, 'no teacher');
    const open = await reportFault(ctx, { summary: 'Projector has no picture', urgency: 'today' });
    const fixed = await reportFault(ctx, { summary: 'Printer jams on A3', urgency: 'this_week' });
    if (!open.ok || !fixed.ok) throw new Error('not reported');
    await db()
      .update(incidents)
      .set({ status: 'resolved', resolvedAt: new Date(), resolution: 'New roller' })
      .where(eq(incidents.id, fixed.value.incident.id));

    calls.splice(0);
    await post(colleagueSays('spoc home', 'f:home-1'));
    const card = cardOf(sentTo(COLLEAGUE_CHAT)[0]);
    expect(words(card)).toContain('Your role: **teacher**.');
    expect(words(card)).toContain('Projector has no picture');
    expect(words(card)).toContain('Waiting for someone to pick it up · reported ');
    expect(words(card)).toContain('Fixed — is it working now? · reported ');
    expect(words(card)).not.toContain('My work');
    expect(words(card)).not.toContain('**Registers**');
    const buttons = actionsOf(card);
    expect(buttons.find((a) => verbOf(a) === 'reporter.comment')).toMatchObject({
      type: 'Action.Submit',
      title: 'Add a comment',
      data: { msteams: { type: 'task/fetch' }, value: open.value.incident.id },
    });
    const fixedButton = buttons.find((a) => verbOf(a) === 'reporter.fixed') as { data: { value: string } };
    expect(fixedButton).toMatchObject({ type: 'Action.Execute', title: 'Fixed' });
    expect(fixedButton.data.value).toBe(fixed.value.incident.id);
    expect(buttons.some((a) => verbOf(a) === 'reporter.stillBroken')).toBe(true);

    // "home" says the same.
    calls.splice(0);
    await post(colleagueSays('home', 'f:home-2'));
    expect(words(cardOf(sentTo(COLLEAGUE_CHAT)[0]))).toContain('Projector has no picture');

    // Fixed, pressed on the home card: the reporter's press, closing it.
    const res = await post(cardAction('reporter.fixed', fixedButton.data, 'f:home-fixed', COLLEAGUE));
    expect(res.text).toContain('is closed');
    const [closed] = await db().select().from(incidents).where(eq(incidents.id, fixed.value.incident.id));
    expect(closed?.status).toBe('closed');

    // Add a comment only on the open fault: the fixed one had none, and closed it has none.
    const commentsOn = (card: Card) =>
      actionsOf(card)
        .filter((a) => verbOf(a) === 'reporter.comment')
        .map((a) => (a.data as { value: string }).value);
    expect(commentsOn(card)).toEqual([open.value.incident.id]);
    calls.splice(0);
    await post(colleagueSays('spoc home', 'f:home-3'));
    // The reply to this message, not a notice the outbox sends to the same chat meanwhile.
    const after = cardOf(sentTo(COLLEAGUE_CHAT).find((c) => c.path.endsWith('/activities/f:home-3')));
    expect(words(after)).toContain('_Recently closed_');
    expect(words(after)).toContain('Printer jams on A3 · closed');
    expect(commentsOn(after)).toEqual([open.value.incident.id]);

    // Report a fault: the fault form in place of the home card.
    const form = JSON.parse(
      (await post(cardAction('fault.report', { value: '' }, 'f:home-report', COLLEAGUE))).text,
    ) as { value: Card };
    expect(form.value.actions?.some((a) => (a.data as { verb?: string }).verb === 'fault.submit')).toBe(true);
  });

  it('spoc home for the office: the registers’ health with its Add buttons', async () => {
    calls.splice(0);
    await post(personalMessage('spoc home', 'f:home-office'));
    const card = cardOf(sentTo(PERSONAL_CONVERSATION_ID)[0]);
    expect(words(card)).toContain('**Registers**');
    expect(words(card)).toContain('✅ No warranties ending in the next 30 days.');
    expect(words(card)).toContain('✅ Licences are in order.');
    const add = actionsOf(card).find((a) => verbOf(a) === 'location.add');
    expect(add).toMatchObject({
      type: 'Action.Submit',
      title: 'Add a location',
      data: { msteams: { type: 'task/fetch' }, value: '' },
    });
    expect(actionsOf(card).some((a) => verbOf(a) === 'asset.add')).toBe(true);
    expect(actionsOf(card).some((a) => verbOf(a) === 'licence.add')).toBe(true);
  });

  it('the staff’s home: my work, unassigned with Claim, Open in a dialog; it refreshes for its owner alone', async () => {
    // Megan (the admin, who ran setup) reported two faults and has claimed one of them.
    const { ctx } = await knownPerson(TEACHER, 'no Megan');
    const mine = await reportFault(ctx, { summary: 'Server room UPS beeping', urgency: 'today' });
    const waiting = await reportFault(ctx, { summary: 'Hall speakers crackle', urgency: 'this_week' });
    if (!mine.ok || !waiting.ok) throw new Error('not reported');
    const claimed = await claimIncident(ctx, { incidentId: mine.value.incident.id });
    if (!claimed.ok) throw new Error('not claimed');

    calls.splice(0);
    await post(personalMessage('spoc home', 'f:home-staff'));
    // The home card, not Megan's status cards for the faults she reported (the outbox may send those meanwhile).
    const card = cardOf(
      sentTo(PERSONAL_CONVERSATION_ID).find((c) => JSON.stringify(c).includes('My work')) ??
        sentTo(PERSONAL_CONVERSATION_ID)[0],
    );
    expect(words(card)).toContain('**My work** (1)');
    expect(words(card)).toContain('Server room UPS beeping');
    // Earlier tests' faults are in the queue too: Megan's own work is hers alone.
    expect(words(card)).toMatch(/\*\*Unassigned\*\* \(\d+\)/);
    const verbsFor = (id: string) =>
      actionsOf(card)
        .filter((a) => (a.data as { value?: string }).value === id && !verbOf(a)?.startsWith('reporter.'))
        .map((a) => `${a.type} ${verbOf(a)} ${a.title}`);
    expect(verbsFor(mine.value.incident.id)).toEqual([
      'Action.Submit incident.open Open',
      'Action.Submit incident.resolve Resolve',
      'Action.Submit incident.hold Hold',
    ]);
    expect(verbsFor(waiting.value.incident.id)).toEqual(['Action.Execute incident.claim Claim']);

    // The card names its owner alone for Teams' refresh on view …
    const refresh = (
      card as { refresh?: { action: { verb: string; data: Record<string, string> }; userIds: string[] } }
    ).refresh;
    expect(refresh?.userIds).toEqual([TEACHER.id]);
    expect(refresh?.action.verb).toBe('home.show');
    // … and the refresh answers with the viewer's home as it is now, carrying the same refresh.
    const claim = await press('incident.claim', { value: waiting.value.incident.id });
    expect(claim.type).toBe('application/vnd.microsoft.card.adaptive');
    const again = await press('home.show', refresh?.action.data ?? {});
    const shown = again.value as Card & { refresh?: { userIds: string[] } };
    expect(words(shown)).toContain('**My work** (2)');
    expect(
      actionsOf(shown).some(
        (a) =>
          verbOf(a) === 'incident.claim' && (a.data as { value: string }).value === waiting.value.incident.id,
      ),
    ).toBe(false);
    expect(shown.refresh?.userIds).toEqual([TEACHER.id]);

    // Open: the incident with its history, in a dialog.
    const opened = await task('task/fetch', { verb: 'incident.open', value: waiting.value.incident.id });
    expect(words(opened)).toContain('Hall speakers crackle');
    expect(words(opened)).toContain('History');
  });
});
