/**
 * "Already reported" in Teams, through `POST /api/messages` with signed activities and every
 * connector call recorded: the fault card, submitted on a device with an open incident, comes back
 * with the warning and "Me too" (a card cannot change as a choice is made); "Me too" follows it;
 * "Report it anyway" reports it; the office merges the duplicate with `spoc incident INC-n merge
 * INC-m`; the duplicate's reporter is told it was merged, and followers when it is fixed.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { incidentFollowers, incidents } from '../../../src/db/schema';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { listLocations } from '../../../src/domain/locations/list-locations';
import { registerAsset } from '../../../src/domain/registers/assets';
import { assetInput } from '../../support/factories';
import {
  COLLEAGUE,
  cardSubmit,
  channelMessage,
  messageActionInvoke,
  personalMessage,
  TENANT_ID,
} from '../../support/teams-activities';
import { type Card, cardOf, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';
import { until } from '../../support/wait';

const harness = useTeamsSpoc('spoc-already-reported-key');
const { calls, db, post } = harness;
const { knownPerson, replyTo, words } = officeTools(harness, { idPrefix: { ask: 'f:dup-' } });

/** Adele's own personal chat with SPOC. */
const ADELE_CHAT =
  'a:1AdeleVancePersonalChatWithSpoc0000000000000000000000000000000000000000000000000000000000';
const asAdele = (activity: Record<string, unknown>) => ({
  ...activity,
  from: COLLEAGUE,
  conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: ADELE_CHAT },
});
const toAdele = () =>
  calls.filter((c) => c.path.includes(encodeURIComponent(ADELE_CHAT)) || c.path.includes(ADELE_CHAT));

/** Adele says `fault …`; gives the form card's id. */
async function openForm(n: number): Promise<string> {
  calls.splice(0);
  await post(asAdele(personalMessage('fault Projector is dead', `f:adele-${n}`)));
  const card = cardOf(toAdele()[0]);
  const data = card.actions?.find((a) => (a.data as { verb?: string }).verb === 'fault.submit')?.data;
  return (data as { formId: string }).formId;
}

/** Adele presses a button on her form card; gives the card it was replaced with. */
async function submit(value: Record<string, unknown>, n: number): Promise<Card> {
  calls.splice(0);
  await post(asAdele(cardSubmit(value, `1:adele-card-${n}`, `f:adele-submit-${n}`)));
  // Her form card replaced (not her status card, which the outbox may update meanwhile).
  const put = toAdele().find((c) => c.method === 'PUT' && c.path.endsWith(`/activities/1:adele-card-${n}`));
  if (!put) throw new Error(`no card update: ${JSON.stringify(calls.map((c) => c.path))}`);
  return cardOf(put);
}

const container = (card: Card, id: string) =>
  card.body.find((b) => b.id === id) as { style?: string; items: Array<Record<string, unknown>> } | undefined;

describe('Already reported, in Teams', () => {
  it('warns on submit, Me too follows it, Report it anyway reports it, and the office merges the two', async () => {
    await post(channelMessage('spoc setup', '101'));
    const megan = (await knownPerson()).ctx;
    const library = (await listLocations(megan)).find((l) => l.name === 'Library')!.id;
    const projector = (await registerAsset(
      megan,
      assetInput({ tag: 'PRJ-1', type: 'projector', make: 'Epson', locationId: library }),
    )) as { ok: true; value: { id: string } };
    const first = await reportFault(megan, {
      summary: 'Projector shows no signal',
      urgency: 'today',
      assetId: projector.value.id,
    });
    if (!first.ok) throw new Error(first.error.message);
    const ref = `INC-${first.value.incident.number}`;

    // Adele reports the same projector: nothing is reported yet, the card warns her.
    const formId = await openForm(1);
    const fields = {
      summary: 'Projector is dead',
      urgency: 'today',
      locationId: library,
      assetId: projector.value.id,
    };
    const warned = await submit({ verb: 'fault.submit', formId, ...fields }, 1);
    const warning = container(warned, 'alreadyReported');
    if (!warning) throw new Error('no warning on the card');
    expect(warning.style).toBe('warning');
    expect(warning.items[0]).toMatchObject({
      type: 'TextBlock',
      text: `⚠️ Already reported as **${ref}** by Megan Bowen, just now.`,
    });
    expect(String(warning.items[1]?.text)).toContain('It is about this device (PRJ-1 in Library).');
    const meTooButton = (warning.items[2] as { actions: Array<Record<string, unknown>> }).actions[0]!;
    expect(meTooButton).toMatchObject({
      type: 'Action.Submit',
      title: 'Me too',
      associatedInputs: 'none',
      data: { verb: 'fault.meToo', formId, incidentId: first.value.incident.id },
    });
    // What she typed is kept, and Report now says what it does.
    expect(warned.body.find((b) => b.id === 'summary')).toMatchObject({ value: 'Projector is dead' });
    expect(warned.body.find((b) => b.id === 'assetId')).toMatchObject({ value: projector.value.id });
    const anyway = warned.actions?.find((a) => (a.data as { verb?: string }).verb === 'fault.submit');
    expect(anyway).toMatchObject({
      title: 'Report it anyway',
      data: { verb: 'fault.submit', formId, seen: first.value.incident.id },
    });
    expect(await db().select().from(incidents)).toHaveLength(1);

    // Me too: she follows it; the card says so; nothing is reported. A second press changes nothing.
    const followed = await submit(meTooButton.data as Record<string, unknown>, 2);
    expect(words(followed)).toContain(`Thanks — you are now following **${ref}**`);
    const again = await submit(meTooButton.data as Record<string, unknown>, 3);
    expect(words(again)).toContain(`You are already following **${ref}**`);
    expect(await db().select().from(incidents)).toHaveLength(1);
    expect(await db().select().from(incidentFollowers)).toHaveLength(1);

    // Another form, reported anyway once seen.
    const second = await openForm(4);
    await submit({ verb: 'fault.submit', formId: second, ...fields }, 4);
    const reported = await submit(
      { verb: 'fault.submit', formId: second, seen: first.value.incident.id, ...fields },
      5,
    );
    expect(words(reported)).toContain('Thanks — your fault is logged as **INC-2**');
    const [duplicate] = await db().select().from(incidents).where(eq(incidents.number, 2));
    expect(duplicate).toBeDefined();

    // Megan (admin) merges it; said again, it is already merged.
    const merged = await replyTo(`spoc incident INC-2 merge ${ref}`);
    expect(words(merged)).toContain(`**INC-2** is merged into **${ref}** and closed.`);
    expect(words(await replyTo(`spoc incident INC-2 merge ${ref}`))).toContain(
      `**INC-2** is already merged into **${ref}**.`,
    );
    const [closed] = await db().select().from(incidents).where(eq(incidents.number, 2));
    expect(closed).toMatchObject({ status: 'closed', mergedIntoId: first.value.incident.id });

    // Adele hears, in her chat, that her report was merged and that she will hear when it is fixed.
    await until(
      () => (words(toAdele().map((c) => c.body)).includes(`Merged into **${ref}**`) ? true : undefined),
      'merged status',
      10_000,
    );
    expect(words(toAdele().map((c) => c.body))).toContain(
      `The ICT team is working on it as ${ref}. I'll message you when it is fixed.`,
    );

    // Fixed: Adele (following) is told once, without the reporter's own words.
    calls.splice(0);
    const fixed = await resolveIncident(megan, {
      incidentId: first.value.incident.id,
      resolution: 'New lamp fitted',
    });
    if (!fixed.ok) throw new Error(fixed.error.message);
    const notice = await until(
      () =>
        toAdele().find((c) => c.method === 'POST' && words(c.body).includes('the fault you are following')),
      'follower notice',
      10_000,
    );
    expect(words(notice.body)).toContain(
      `🎉 Good news: **${ref}** (PRJ-1 in Library), the fault you are following, has been fixed.`,
    );
    expect(words(notice.body)).not.toContain('New lamp');
  });

  it('the message action’s dialog warns too, and its Me too closes it saying so', async () => {
    const megan = (await knownPerson()).ctx;
    const library = (await listLocations(megan)).find((l) => l.name === 'Library')!.id;
    const printer = (await registerAsset(
      megan,
      assetInput({ tag: 'PRN-9', type: 'printer', make: 'HP', locationId: library }),
    )) as { ok: true; value: { id: string } };
    const open = await reportFault(megan, {
      summary: 'Printer jams',
      urgency: 'today',
      assetId: printer.value.id,
    });
    if (!open.ok) throw new Error(open.error.message);
    const ref = `INC-${open.value.incident.number}`;
    const messagePayload = { body: { contentType: 'text', content: 'The library printer jams again' } };
    const invoke = async (value: Record<string, unknown>, id: string) => {
      const res = await post({
        ...messageActionInvoke('composeExtension/submitAction', value, id),
        from: COLLEAGUE,
      });
      return JSON.parse(res.text) as {
        task: { type: string; value: string | { title: string; card: { content: Card } } };
      };
    };
    const fetched = await post({
      ...messageActionInvoke(
        'composeExtension/fetchTask',
        { commandId: 'reportFault', messagePayload },
        'f:dlg-1',
      ),
      from: COLLEAGUE,
    });
    const form = (JSON.parse(fetched.text) as { task: { value: { card: { content: Card } } } }).task.value
      .card.content;
    const formId = (form.actions?.[0]?.data as { formId?: string } | undefined)?.formId ?? '';
    const fields = {
      summary: 'Printer jams again',
      urgency: 'today',
      locationId: library,
      assetId: printer.value.id,
    };
    const warned = await invoke(
      { commandId: 'reportFault', messagePayload, data: { verb: 'fault.submit', formId, ...fields } },
      'f:dlg-2',
    );
    expect(warned.task.type).toBe('continue');
    const card = (warned.task.value as { card: { content: Card } }).card.content;
    const warning = container(card, 'alreadyReported');
    expect(words(warning)).toContain(`Already reported as **${ref}** by Megan Bowen`);
    const followed = await invoke(
      {
        commandId: 'reportFault',
        messagePayload,
        data: { verb: 'fault.meToo', formId, incidentId: open.value.incident.id },
      },
      'f:dlg-3',
    );
    expect(followed).toEqual({
      task: {
        type: 'message',
        value: `🙋 Thanks — you are now following ${ref} and will be told when it is fixed. No new report was made.`,
      },
    });
    const rows = await db().select().from(incidents);
    expect(rows.filter((r) => r.summary === 'Printer jams again')).toHaveLength(0);
  });
});
