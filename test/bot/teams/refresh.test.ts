/**
 * The incident card refreshed on view, through `POST /api/messages` with signed activities and
 * every connector call pinned: the card the outbox posts (and updates) names the school's staff
 * for refresh by their Teams ids (`29:…`, as each one's personal chat with SPOC gave it; never a
 * teacher, never another school's staff, at most 60, most recently seen first) and keeps every
 * action; a `refresh` answers each reader with the card as it now is and only the actions their
 * role may take (a teacher sees none); a press answers the presser the same way.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { people, teamsConversations } from '../../../src/db/schema';
import { systemClock } from '../../../src/domain/clock';
import { CARD_ACTION_PERMISSION, type CardActionId } from '../../../src/domain/presenters/incident-card';
import { can, type Role } from '../../../src/domain/roles';
import { identifyTeamsUser } from '../../../src/domain/schools/identify';
import {
  COLLEAGUE,
  cardAction,
  channelMessage,
  mentionOf,
  personalMessage,
  SERVICE_URL,
  TEACHER,
  TENANT_ID,
} from '../../support/teams-activities';
import { useTeamsSpoc } from '../../support/teams-harness';
import { until } from '../../support/wait';

const { calls, db, post, reportFault } = useTeamsSpoc('spoc-refresh-key');

/** The office member and a teacher of the school, besides Megan (admin) and Adele (technician). */
const OFFICE = { id: '29:office-olive', name: 'Olive Office', aadObjectId: randomUUID() };
const OTHER_TEACHER = { id: '29:teacher-lee', name: 'Lee Gu', aadObjectId: randomUUID() };
type Member = { id: string; name: string; aadObjectId: string };

/** A message in someone's own personal chat with SPOC (each person has their own). */
function personalFrom(who: Member, text: string, id: string): Record<string, unknown> {
  const message = personalMessage(text, id);
  const conversation = message.conversation as Record<string, unknown>;
  return { ...message, from: who, conversation: { ...conversation, id: `a:chat-${who.aadObjectId}` } };
}

type Card = {
  body: Array<{ type: string; text?: string; facts?: Array<{ title: string; value: string }> }>;
  actions?: Array<{ verb?: string; data?: { verb?: string } }>;
  refresh?: { action: { verb: string; data: Record<string, unknown> }; userIds?: string[] };
};
const attached = (activity: unknown): Card =>
  ((activity as { attachments?: Array<{ content: Card }> }).attachments?.[0]?.content ?? {
    body: [],
  }) as Card;
/** Each action's verb (a dialog's Action.Submit carries it in its data). */
const verbsOf = (card: Card) => (card.actions ?? []).map((a) => a.verb ?? a.data?.verb);
const factOf = (card: Card, title: string) =>
  card.body.find((e) => e.type === 'FactSet')?.facts?.find((f) => f.title === title)?.value;

/** The card Teams is given for `who` on a refresh (or a press) of the incident card. */
async function answerTo(verb: string, who: Member, id: string): Promise<Card> {
  const res = await post(cardAction(verb, { value: incidentId }, id, who));
  const answer = JSON.parse(res.text) as { statusCode: number; type: string; value: Card };
  expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return answer.value;
}

let incidentId = '';
/** This school: the team's, set up by Megan. */
let schoolId = '';
/** Staff with a personal chat seen long ago, oldest last: 62 of them, so some fall past 60. */
const longAgo: string[] = [];
let readers: string[] = [];
let posted: Card;

async function setRole(who: Member, role: Role) {
  await db().update(people).set({ role }).where(eq(people.teamsUserId, who.aadObjectId));
}

describe('the incident card refreshed on view in Teams', () => {
  it('names the staff for refresh on the posted card, and shows everyone every action', async () => {
    await post(channelMessage('spoc setup', '101'));
    await post(
      channelMessage(`spoc role <at>${COLLEAGUE.name}</at> technician`, '102', undefined, [
        mentionOf(COLLEAGUE),
      ]),
    );
    // Each opens their own chat with SPOC, which is where Teams gives SPOC their `29:…` id.
    await post(personalFrom(COLLEAGUE, 'fault', '201'));
    await post(personalFrom(OFFICE, 'fault', '202'));
    await post(personalFrom(OTHER_TEACHER, 'fault', '203'));
    await setRole(OFFICE, 'office');
    const [megan] = await db().select().from(people).where(eq(people.teamsUserId, TEACHER.aadObjectId));
    schoolId = megan?.schoolId ?? '';
    expect(megan?.role).toBe('admin');

    // Another school in the same tenant (trust): its technicians are not this card's readers,
    // not even Lee, a teacher here and a technician there.
    const other = await identifyTeamsUser(db(), systemClock, {
      tenantId: TENANT_ID,
      teamId: '19:other-school-team@thread.tacv2',
      aadObjectId: OTHER_TEACHER.aadObjectId,
      userId: OTHER_TEACHER.id,
      userName: OTHER_TEACHER.name,
    });
    if (!other.ok) throw new Error(other.error.message);
    await db().update(people).set({ role: 'technician' }).where(eq(people.id, other.value.person.id));
    const now = Date.now();
    await addChatter(other.value.school.id, 'technician', '29:other-school-tech', new Date(now));

    // 62 technicians of this school, last seen an hour, two hours, … ago.
    for (let i = 0; i < 62; i++) {
      const userId = `29:tech-${String(i).padStart(2, '0')}`;
      await addChatter(schoolId, 'technician', userId, new Date(now - (i + 1) * 3_600_000));
      longAgo.push(userId);
    }
    // A teacher of this school seen just now: still not a reader.
    await addChatter(schoolId, 'teacher', '29:teacher-recent', new Date(now));

    // Megan (the admin, who set SPOC up) reports a fault in her own chat: the card is posted.
    const created = await reportFault(
      'fault Projector in Room 4 shows no signal',
      { summary: 'Projector in Room 4', urgency: 'today' },
      ['301', '302'],
    );
    posted = attached(created.body.activity);
    incidentId = String(posted.refresh?.action.data.value ?? '');
    expect(incidentId).not.toBe('');

    // Megan's chat is the latest seen, then Olive's, then Adele's; then the 57 seen longest ago.
    readers = [TEACHER.id, OFFICE.id, COLLEAGUE.id, ...longAgo.slice(0, 57)];
    expect(posted.refresh).toEqual({
      action: { type: 'Action.Execute', verb: 'refresh', data: { value: incidentId } },
      userIds: readers,
    });
    expect(readers).toHaveLength(60);
    expect(posted.refresh?.userIds).not.toContain(OTHER_TEACHER.id);
    expect(posted.refresh?.userIds).not.toContain('29:teacher-recent');
    expect(posted.refresh?.userIds).not.toContain('29:other-school-tech');
    // The card as posted keeps every action: office-only ones and the technician's alike.
    expect(verbsOf(posted)).toEqual(
      expect.arrayContaining(['incident.claim', 'incident.triage', 'incident.resolve', 'incident.close']),
    );
  });

  it("answers a technician's refresh with the technician's actions only", async () => {
    const card = await answerTo('refresh', COLLEAGUE, 'r:tech-1');
    const verbs = verbsOf(card);
    expect(verbs).toEqual(
      expect.arrayContaining(['incident.claim', 'incident.resolve', 'incident.note', 'incident.hold']),
    );
    expect(verbs).not.toContain('incident.triage');
    expect(verbs).not.toContain('incident.close');
    for (const verb of verbs)
      expect(can('technician', CARD_ACTION_PERMISSION[verb as CardActionId])).toBe(true);
    // It keeps asking to be refreshed, for the same readers.
    expect(card.refresh).toEqual(posted.refresh);
    expect(card.body[0]?.text).toContain('Projector in Room 4');
  });

  it("answers a teacher's refresh with the card and no actions", async () => {
    const card = await answerTo('refresh', OTHER_TEACHER, 'r:teacher-1');
    expect(card.actions).toBeUndefined();
    expect(card.body[0]?.text).toContain('Projector in Room 4');
    expect(card.refresh?.userIds).toEqual(readers);
  });

  it("answers an office member's refresh with every action the office may take", async () => {
    const card = await answerTo('refresh', OFFICE, 'r:office-1');
    expect(verbsOf(card)).toEqual(verbsOf(posted));
    expect(verbsOf(card)).toContain('incident.triage');
  });

  it('shows on refresh a change made since the card was posted, and answers a press for the presser', async () => {
    const claimed = await answerTo('incident.claim', COLLEAGUE, 'r:claim-1');
    expect(factOf(claimed, 'Assignee')).toBe('**Adele Vance**');
    expect(verbsOf(claimed)).not.toContain('incident.claim');
    expect(verbsOf(claimed)).not.toContain('incident.triage');
    expect(claimed.refresh?.userIds).toEqual(readers);

    // Olive's copy is the card as posted (nobody has it): her refresh shows it as it is now.
    expect(factOf(posted, 'Assignee')).not.toBe('**Adele Vance**');
    const fresh = await answerTo('refresh', OFFICE, 'r:office-2');
    expect(factOf(fresh, 'Assignee')).toBe('**Adele Vance**');
    expect(verbsOf(fresh)).not.toContain('incident.claim');
    expect(verbsOf(fresh)).toContain('incident.triage');

    // The outbox brings the card itself up to date in place, every action kept, the same readers.
    const put = await until(() => calls.find((c) => c.method === 'PUT'), 'card updated in place');
    const updated = attached(put.body);
    expect(factOf(updated, 'Assignee')).toBe('**Adele Vance**');
    expect(verbsOf(updated)).toContain('incident.triage');
    expect(updated.refresh?.userIds).toEqual(readers);
  });
});

/** A person of `school` with `role` whose personal chat with SPOC gave `userId`, last seen `seen`. */
async function addChatter(school: string, role: Role, userId: string, seen: Date) {
  const aadObjectId = randomUUID();
  await db().insert(people).values({
    schoolId: school,
    teamsUserId: aadObjectId,
    displayName: userId,
    role,
    createdAt: seen,
    updatedAt: seen,
  });
  await db()
    .insert(teamsConversations)
    .values({
      tenantId: TENANT_ID,
      conversationId: `a:chat-${aadObjectId}`,
      kind: 'personal',
      aadObjectId,
      userId,
      reference: { serviceUrl: SERVICE_URL, conversation: { id: `a:chat-${aadObjectId}` } },
      createdAt: seen,
      updatedAt: seen,
    });
}
