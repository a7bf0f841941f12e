/**
 * A diary entry told to staff in a channel, in Teams, through `POST /api/messages` with signed
 * activities and every connector call pinned: the channels SPOC has heard from in the school's
 * team are kept by name (General by Teams' own name when it sends none) and offered on the diary
 * form by name; an entry saved with one is posted there as a new post, in the same words as
 * Slack's; another school's channel, a channel SPOC has never heard from and a Slack channel id
 * are refused under the field, and nothing is saved or posted.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { diaryEntries, outbox, teamsConversations } from '../../../src/db/schema';
import { createWorkItem } from '../../../src/domain/work-items/commands';
import {
  CHANNEL_ID,
  COLLEAGUE,
  channelMessage,
  TEACHER,
  TEAM_ID,
  TENANT_ID,
  teamInstall,
} from '../../support/teams-activities';
import { input, postedCard, under, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools } from '../../support/teams-office';
import { must, until } from '../../support/wait';

const harness = useTeamsSpoc('spoc-diary-announce-key');
const { calls, db, post } = harness;
const { knownPerson, task, cardIn } = officeTools(harness, { idPrefix: { task: 'f:diary-' } });

/** Another channel of the school's team, with the name Teams gives it. */
const STAFF_ROOM = { id: '19:5e6f7a8b9c0d4e1f8a2b3c4d5e6f7a8b@thread.tacv2', name: 'Staff room' };
/** Another school's team in the same tenant, and a channel of it. */
const OTHER_TEAM_ID = '19:0f1e2d3c4b5a49788a6b5c4d3e2f1a0b@thread.tacv2';
const GOVERNORS = { id: '19:9a8b7c6d5e4f43a2b1c0d9e8f7a6b5c4@thread.tacv2', name: 'Governors' };
/** A channel id in Teams' shape that SPOC has never heard from. */
const UNKNOWN_CHANNEL = '19:00000000000000000000000000000000@thread.tacv2';

const REFUSED =
  "That is not one of your school's channels that SPOC can post in. Choose a channel from the list.";

/** A message in one of a team's channels, as Teams sends it there (with the channel's name, if given). */
function inChannel(
  channel: { id: string; name?: string },
  text: string,
  id: string,
  teamId = TEAM_ID,
  from: Record<string, unknown> = TEACHER,
): Record<string, unknown> {
  const message = channelMessage(text, id, from);
  const conversation = message.conversation as Record<string, unknown>;
  const channelData = message.channelData as Record<string, unknown>;
  return {
    ...message,
    conversation: { ...conversation, id: `${channel.id};messageid=${id}` },
    channelData: {
      ...channelData,
      teamsChannelId: channel.id,
      teamsTeamId: teamId,
      channel: channel.name ? { id: channel.id, name: channel.name } : { id: channel.id },
      team: { id: teamId },
      tenant: { id: TENANT_ID },
    },
  };
}

const announcements = async () =>
  (await db().select().from(outbox)).filter(
    (r) => (r.message as { type?: string }).type === 'diary.announce',
  );

describe('a diary entry announced in a Teams channel', () => {
  it('offers the channels heard from by name, posts there, and refuses any other channel', async () => {
    // Megan sets SPOC up in the team (so she is the school's admin); SPOC is in the team's General,
    // which Teams sends with no name, and hears from the staff room by its name.
    await post(channelMessage('spoc setup', 'd1'));
    await post(teamInstall());
    await post(inChannel(STAFF_ROOM, 'help', 'd2'));
    // A later message there without the name keeps it.
    await post(inChannel({ id: STAFF_ROOM.id }, 'help', 'd3'));
    // Another school (its own team) has a channel SPOC has heard from too.
    await post(inChannel(GOVERNORS, 'help', 'd4', OTHER_TEAM_ID, COLLEAGUE));

    const named = Object.fromEntries(
      (await db().select().from(teamsConversations)).map((r) => [r.conversationId, r.name]),
    );
    expect(named).toMatchObject({
      [TEAM_ID]: 'General',
      [STAFF_ROOM.id]: 'Staff room',
      [GOVERNORS.id]: 'Governors',
      // The SPOC channel's name was never said: it is not offered until it is.
      [CHANNEL_ID]: null,
    });

    const { ctx } = await knownPerson();
    const change = must(
      await createWorkItem(ctx, {
        kind: 'change',
        title: 'New Wi-Fi in the hall',
        description: '',
        owner: null,
        targetDate: null,
      }),
    );

    // The form lists the school's own channels by name, and not the other school's.
    const opened = await task('task/fetch', { verb: 'diary.add', value: '' });
    const form = cardIn(opened);
    const field = input(form, 'announceChannel');
    expect(field).toMatchObject({
      type: 'Input.ChoiceSet',
      label: 'Tell staff in channel',
      choices: [
        { title: 'General', value: TEAM_ID },
        { title: 'Staff room', value: STAFF_ROOM.id },
      ],
    });
    expect(JSON.stringify(form)).not.toContain(GOVERNORS.id);
    const submit = form.actions?.[0]?.data as Record<string, unknown>;
    const entry = {
      ...submit,
      date: '2027-03-10',
      title: 'Wi-Fi off in the hall, 8–10am',
      kind: 'maintenance',
      notes: 'Installers on site; use the library instead.',
      workItemId: change.item.id,
    };

    // Another school's channel, one SPOC never heard from, a Slack channel id: refused under the field.
    for (const channel of [GOVERNORS.id, UNKNOWN_CHANNEL, 'C0STAFF001']) {
      const refused = cardIn(await task('task/submit', { ...entry, announceChannel: channel }));
      expect(under(refused, 'announceChannel')).toBe(REFUSED);
      expect(input(refused, 'title')).toMatchObject({ value: entry.title });
    }
    expect(await db().select().from(diaryEntries).where(eq(diaryEntries.title, entry.title))).toEqual([]);
    expect(await announcements()).toEqual([]);
    expect(calls.filter((c) => c.method === 'CREATE')).toEqual([]);

    // The staff room: saved, and the announcement posted there as a new post.
    const saved = await task('task/submit', { ...entry, announceChannel: STAFF_ROOM.id });
    expect(JSON.stringify(saved)).toContain(
      '**Wi-Fi off in the hall, 8–10am** is in the diary for Wed 10 Mar 2027.',
    );
    const posted = await until(() => calls.find((c) => c.method === 'CREATE'), 'diary announcement posted');
    expect(posted.path).toBe('/uk/v3/conversations');
    expect(posted.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: STAFF_ROOM.id }, tenant: { id: TENANT_ID } },
      activity: { type: 'message', summary: 'Wed 10 Mar 2027: Wi-Fi off in the hall, 8–10am' },
    });
    // Slack's words (test/bot/slack/work-items.test.ts), as Teams markdown.
    const card = postedCard(posted);
    expect(card.body).toEqual([
      expect.objectContaining({
        type: 'TextBlock',
        text:
          '🗓️ **Wed 10 Mar 2027** — **Wi-Fi off in the hall, 8–10am**\n' +
          'Installers on site; use the library instead.\n' +
          'Part of **CHG-1** New Wi-Fi in the hall',
      }),
    ]);
    expect(card.actions ?? []).toEqual([]);
    const [row] = await announcements();
    expect(row?.message).toMatchObject({ type: 'diary.announce', channel: STAFF_ROOM.id });
    await until(
      async () => ((await announcements())[0]?.status === 'sent' ? true : undefined),
      'announcement marked sent',
    );
    expect(calls.filter((c) => c.method === 'CREATE')).toHaveLength(1);
  });
});
