/**
 * `spoc incidents` with filters in Teams, through `POST /api/messages` with signed activities and
 * every connector call pinned: the same answers as Slack's, each line with its SLA state in words;
 * Next carrying the filter so page 2 is of the same list; a reporter named by a Teams mention
 * (`<at>name</at>`, matched by name within the school) or as typed; a place the school does not
 * have answered with the nearest; a teacher kept to their own reports; and `spoc help <slip>`.
 */
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/domain/clock';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { readPageValue } from '../../../src/domain/presenters/registers/paging';
import { COLLEAGUE, channelMessage, mentionOf } from '../../support/teams-activities';
import { type Card, cardOf, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';
import { must } from '../../support/wait';

const harness = useTeamsSpoc('spoc-incident-filters-key');
const { calls, post } = harness;
const { knownPerson, press, replyTo, words, outerActionsOf } = officeTools(harness, {
  idPrefix: { task: 'f:filters-task-', press: 'f:filters-press-', ask: 'f:filters-say-' },
});

/** A Monday morning long past: every target of a fault reported then has been missed by now. */
const LONG_AGO = fixedClock('2025-01-06T09:00:00Z');

describe('spoc incidents with filters in Teams', () => {
  it('filters, SLA state on each line, and Next keeping the filter', async () => {
    await post(channelMessage('spoc setup', 'filters-setup'));
    // Adele speaks to SPOC: she is a teacher of the school.
    await replyTo('spoc help', COLLEAGUE);
    const megan = { ...(await knownPerson()).ctx, clock: LONG_AGO };
    const adele = { ...(await knownPerson(COLLEAGUE, 'no Adele')).ctx, clock: LONG_AGO };
    for (let n = 1; n <= 22; n++) {
      const { incident } = must(
        await reportFault(megan, {
          summary: `Urgent ${n}`,
          urgency: 'lesson_stopped',
          impact: 'whole_school',
        }),
      );
      must(await claimIncident(megan, { incidentId: incident.id }));
    }
    for (let n = 1; n <= 2; n++)
      must(await reportFault(adele, { summary: `Minor ${n}`, urgency: 'no_deadline' }));

    const list = await replyTo('spoc incidents mine p1');
    expect(words(list)).toContain('**Open P1 incidents assigned to you** (22) — page 1 of 2');
    // Said in words: claimed in time, but long past its four hours to resolve.
    expect(words(list)).toContain('In progress · 🚨 resolution target missed');
    expect(words(list)).not.toContain('Minor');
    expect(words(list)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const next = outerActionsOf(list).find((a) => a.verb === 'incidents.next') as { data: { value: string } };
    expect(readPageValue(next.data.value)).toEqual({ kind: 'incidents', page: 2, query: 'mine P1' });
    const page2 = await press('incidents.next', next.data);
    expect(words(page2.value)).toContain('**Open P1 incidents assigned to you** (22) — page 2 of 2');
    expect(words(page2.value)).not.toContain('Minor');
    const back = outerActionsOf(page2.value as Card).find((a) => a.verb === 'incidents.previous') as {
      data: { value: string };
    };
    expect(readPageValue(back.data.value)).toEqual({ kind: 'incidents', page: 1, query: 'mine P1' });

    // A reporter by a Teams mention, or by name as typed: matched within the school.
    const byMention = await replyTo('spoc incidents reporter <at>Adele Vance</at>');
    expect(words(byMention)).toContain('**Open incidents reported by Adele Vance** (2)');
    expect(words(byMention)).toContain('New · 🚨 response and resolution targets missed');
    expect(words(byMention)).not.toContain('Urgent');
    expect(words(await replyTo('spoc incidents reporter adele vance p4'))).toContain(
      '**Open P4 incidents reported by Adele Vance** (2)',
    );
    // In a channel, with Adele @mentioned: shown to the asker alone, the mention kept in the words.
    calls.splice(0);
    await post(
      channelMessage('spoc incidents reporter <at>Adele Vance</at> p4', 'filters-channel-1', undefined, [
        mentionOf(COLLEAGUE),
      ]),
    );
    const shown = cardOf(
      calls.find((c) => c.method === 'POST' && c.path.endsWith('/activities/filters-channel-1')),
    ) as Card & { refresh?: { action: { data: Record<string, unknown> } } };
    expect(words(shown)).toContain('the answer is shown to them alone');
    const own = await press('reply.show', shown.refresh?.action.data ?? {});
    expect(words(own.value)).toContain('**Open P4 incidents reported by Adele Vance** (2)');

    const nobody = words(await replyTo('spoc incidents reporter Adel Vence'));
    expect(nobody).toContain("I don't know anyone called **Adel Vence** in your school.");
    expect(nobody).toContain('The nearest: Adele Vance');

    const place = words(await replyTo('spoc incidents location Libary'));
    expect(place).toContain("I don't know a location called **Libary** in your school.");
    expect(place).toContain('The nearest: Library');
    expect(place).toContain('`spoc incidents location Library`');

    const bad = words(await replyTo('spoc incidents sideways'));
    expect(bad).toContain("I don't know the list `sideways`.");
    expect(bad).toContain('Lists: open, mine, reported, all, unassigned, breached');

    // Adele, a teacher: her own reports only, whatever she asks.
    const hers = words(await replyTo('spoc incidents breached', COLLEAGUE));
    expect(hers).toContain('**Your open reports that have missed an SLA target** (2)');
    expect(hers).not.toContain('Urgent');
    expect(words(await replyTo('spoc incidents reporter <at>Megan Bowen</at>', COLLEAGUE))).toContain(
      'You can list only the faults you reported.',
    );
  });

  it('spoc help with a slip after it: "Did you mean", then the help', async () => {
    const slip = words(await replyTo('spoc help incidnets', COLLEAGUE));
    expect(slip).toContain('Did you mean `spoc incidents`?');
    expect(slip).toContain('Your role here: **teacher**.');
  });
});
