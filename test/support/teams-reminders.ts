/**
 * One test file's SPOC on Teams with real reminders in its SPOC channel (on `useTeamsSpoc`): the
 * school set up by `spoc setup` with its people by role, the worker's reminder pass run as of a
 * frozen school-time moment, and the outbox's posts of its reminders waited for; then the presses
 * and dialog invokes a test makes on those reminders, and what it reads on them. Unlike
 * `useTeamsSpoc`'s, the connector calls recorded here are kept all file long (the reminders are
 * posted once, before all tests).
 */
import { eq } from 'drizzle-orm';
import { renderText } from '../../src/bot/teams/render/adaptive-card';
import { ensureTeamsPerson, setPersonRole } from '../../src/db/queries/people';
import { outbox, schools } from '../../src/db/schema';
import { fixedClock } from '../../src/domain/clock';
import type { Ctx } from '../../src/domain/context';
import { reminderOutcomeLine } from '../../src/domain/presenters/reminder-outcome';
import type { Reminder } from '../../src/domain/reminders/reminder';
import type { Role } from '../../src/domain/roles';
import { isSchoolTime, makeCalendar } from '../../src/domain/school-time';
import { actorOf } from '../../src/domain/schools/identify';
import { silentLogger } from '../../src/log';
import { runReminderPass } from '../../src/worker/reminder-pass';
import { COLLEAGUE, cardAction, channelMessage, TEACHER, TEAM_ID, taskInvoke } from './teams-activities';
import type { TeamsSpoc } from './teams-app';
import { type ConnectorCall, pinRecordingConnector } from './teams-connector';
import { type Card, useTeamsSpoc } from './teams-harness';
import { until } from './wait';

export type { Card } from './teams-harness';

/** The office member who deals with reminders (Adele Vance, the colleague of the test activities). */
export const OFFICE = COLLEAGUE;
/** The school's admin (Megan Bowen, who said `spoc setup`). */
export const ADMIN = TEACHER;
/** A teacher of the school, who reports the faults. */
export const A_TEACHER = {
  id: '29:teacher-lee',
  name: 'Lee Gu',
  aadObjectId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
};
/** The school's technician. */
export const TECH = {
  id: '29:tech-sam',
  name: 'Sam Tech',
  aadObjectId: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9',
};

/**
 * The frozen moments: Monday 09:00 UTC at least two weeks before the real clock (the pass never
 * records a time later than it), and the pass on the Tuesday at 10:00, both in school time.
 */
function frozenMoments(): { monday: Date; tuesday: Date } {
  const calendar = makeCalendar({
    timezone: 'Europe/London',
    dayStart: '08:00',
    dayEnd: '16:00',
    holidays: [],
  });
  const day = new Date(Date.now() - 14 * 86_400_000);
  day.setUTCHours(9, 0, 0, 0);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  for (;;) {
    const tuesday = new Date(day.getTime() + 25 * 3_600_000);
    if (isSchoolTime(calendar, day) && isSchoolTime(calendar, tuesday)) return { monday: day, tuesday };
    day.setUTCDate(day.getUTCDate() - 7);
  }
}
const moments = frozenMoments();
/** Monday 09:00 (UTC), in school time. */
export const MONDAY = moments.monday;
/** The Tuesday 10:00 the reminder pass runs as of, in school time. */
export const PASS_AT = moments.tuesday;
/** The date (`YYYY-MM-DD`) `days` after `at`. */
export const isoDay = (at: Date, days = 0) =>
  new Date(at.getTime() + days * 86_400_000).toISOString().slice(0, 10);
/** `h` hours before `at`. */
export const hoursBefore = (at: Date, h: number) => new Date(at.getTime() - h * 3_600_000);

/** A reminder the pass made, with its outbox id. */
export type PostedReminder = { outboxId: number; reminder: Reminder };
/** SPOC's answer to a press on an Action.Execute: a card or a message. */
export type Answer = { statusCode: number; type: string; value: unknown };
/** SPOC's answer to a dialog invoke: the dialog to show (`continue`) or a message. */
export type Task = { task: { type: string; value: { title: string; card: { content: Card } } | string } };

/** The card of the dialog a task invoke opens. */
export const dialogCard = (t: Task) =>
  (t.task.value as { title: string; card: { content: Card } }).card.content;
/** The card's top-level texts, one a line. */
export const cardText = (card: Card) => card.body.map((b) => String(b.text ?? '')).join('\n');
/** The outcome line as Teams shows it, naming the presser. */
export const line = (outcome: Parameters<typeof reminderOutcomeLine>[0], by = OFFICE.name) =>
  renderText(reminderOutcomeLine(outcome, { name: by, slackUserId: null }), 'Europe/London');

export interface TeamsReminders {
  /** SPOC as started for this file (from `beforeAll` on). */
  readonly t: TeamsSpoc;
  /** Every connector call since the file began, oldest first. */
  readonly calls: ConnectorCall[];
  /** The reminders the pass posted (as kept by `runPass`), with their outbox ids. */
  readonly posted: PostedReminder[];
  /** SPOC's database. */
  db(): TeamsSpoc['spoc']['database']['db'];
  /** Signs and POSTs `activity` to `/api/messages`, expecting 200; gives the answer's text. */
  post(activity: Record<string, unknown>): Promise<string>;
  /** The school `setUpSchool` set up. */
  schoolId(): string;
  /**
   * The school's team, its SPOC channel and its admin, as Teams says them (`spoc setup`); then its
   * admin, its office member (as of Monday) and a teacher (a week before), each with their role.
   */
  setUpSchool(): Promise<{ schoolId: string; admin: Ctx; office: Ctx; teacher: Ctx }>;
  /** `who` as a person of the school with `role`, acting at `at`. */
  personCtx(who: { aadObjectId: string; name: string }, role: Role, at: Date): Promise<Ctx>;
  /**
   * The worker's pass, as of Tuesday 10:00, recorded now: its reminders for the school that `keep`
   * keeps are added to `posted`, and given.
   */
  runPass(keep?: (reminder: Reminder) => boolean): Promise<PostedReminder[]>;
  /** Waits until the outbox has posted each of `entries` into the channel and marked it sent. */
  waitPosted(entries: PostedReminder[], what?: string): Promise<void>;
  /** A reminder of `kind` (about `about`'s record, when given). */
  entry(kind: string | RegExp, about?: string): PostedReminder;
  /**
   * The posted card of the reminder `outboxId` and its Teams message id (new posts are numbered from
   * 9001; a reply in the briefing's thread is `1:reply-<n>`).
   */
  postedReminder(outboxId: number): { messageId: string; card: Card };
  /** The Teams message id of the posted reminder that carries `outboxId`. */
  postedIdOf(outboxId: number): string;
  /** The button with `verb` on the posted card of a reminder of `kind` (about `about`'s record). */
  button(kind: string | RegExp, verb: string, about?: string): Record<string, unknown>;
  /** A press on a reminder's Action.Execute (from the message `replyToId`, when given). */
  press(
    verb: string,
    data: Record<string, unknown>,
    from?: typeof OFFICE,
    replyToId?: string,
  ): Promise<Answer>;
  /**
   * A dialog invoke from a reminder's button (task/fetch) or its form (task/submit); with
   * `messageId`, as Teams sends it from that message, in its thread (`<channel>;messageid=<id>`).
   */
  task(
    name: 'task/fetch' | 'task/submit',
    body: Record<string, unknown>,
    from?: typeof OFFICE,
    messageId?: string,
  ): Promise<Task>;
}

/**
 * Registers this file's SPOC (`useTeamsSpoc` with the key `keyId`) with the connector pinned and
 * recorded for the whole file, and gives what a reminder test uses on it.
 */
export function useTeamsReminders(keyId: string): TeamsReminders {
  const harness = useTeamsSpoc(keyId, { recordConnector: false });
  const { calls } = pinRecordingConnector();
  const db = () => harness.db();
  const posted: PostedReminder[] = [];
  let schoolId = '';
  let n = 0;
  const post = async (activity: Record<string, unknown>) => (await harness.post(activity)).text;

  const personCtx = async (
    who: { aadObjectId: string; name: string },
    role: Role,
    at: Date,
  ): Promise<Ctx> => {
    const person = await ensureTeamsPerson(db(), schoolId, who.aadObjectId, who.name, at);
    if (person.role !== role) await setPersonRole(db(), schoolId, person.id, role, at);
    return { db: db(), clock: fixedClock(at), actor: actorOf({ ...person, role }) };
  };
  const entry = (kind: string | RegExp, about?: string) => {
    const found = posted.find(
      (p) =>
        (typeof kind === 'string' ? p.reminder.kind === kind : kind.test(p.reminder.kind)) &&
        (!about || JSON.stringify(p.reminder).includes(about)),
    );
    if (!found) throw new Error(`no ${kind} reminder`);
    return found;
  };
  /** A reminder's post: a reply in the day's briefing's thread, or a post of its own (a P1 breach). */
  const postOf = (outboxId: number) =>
    calls.find(
      (c) =>
        (c.method === 'CREATE' || c.method === 'POST') &&
        JSON.stringify(c.body).includes(`"outbox":"${outboxId}"`),
    );
  const postedReminder = (outboxId: number) => {
    const post = postOf(outboxId);
    if (!post) throw new Error(`the reminder ${outboxId} was not posted`);
    const activity = (post.method === 'CREATE' ? post.body.activity : post.body) as {
      attachments: Array<{ content: Card }>;
    };
    return { messageId: String(post.id), card: activity.attachments[0]!.content };
  };

  return {
    get t() {
      return harness.t;
    },
    calls,
    posted,
    db,
    post,
    schoolId: () => schoolId,
    async setUpSchool() {
      await post(channelMessage('spoc setup', '101'));
      const [school] = await db().select().from(schools).where(eq(schools.teamsTeamId, TEAM_ID));
      schoolId = school!.id;
      const admin = await personCtx(ADMIN, 'admin', MONDAY);
      const office = await personCtx(OFFICE, 'office', MONDAY);
      const teacher = await personCtx(A_TEACHER, 'teacher', hoursBefore(MONDAY, 24 * 7));
      return { schoolId, admin, office, teacher };
    },
    personCtx,
    async runPass(keep = () => true) {
      await runReminderPass({ db: db(), log: silentLogger, now: PASS_AT, recordedAt: new Date() });
      const rows = await db().select().from(outbox).where(eq(outbox.schoolId, schoolId));
      const kept: PostedReminder[] = [];
      for (const row of rows) {
        const m = row.message as { type: string; reminder?: Reminder };
        if (m.type === 'reminder' && m.reminder && keep(m.reminder))
          kept.push({ outboxId: row.id, reminder: m.reminder });
      }
      posted.push(...kept);
      return kept;
    },
    async waitPosted(entries, what) {
      for (const { outboxId, reminder } of entries) {
        const label = what ?? `${reminder.kind} reminder posted`;
        await until(() => postOf(outboxId), label, 10_000);
        await until(
          async () => {
            const [row] = await db().select().from(outbox).where(eq(outbox.id, outboxId));
            return row?.status === 'sent' ? row : undefined;
          },
          label,
          10_000,
        );
      }
    },
    entry,
    postedReminder,
    postedIdOf: (outboxId) => postedReminder(outboxId).messageId,
    button(kind, verb, about) {
      const { card } = postedReminder(entry(kind, about).outboxId);
      const action = card.actions?.find((a) => (a.verb ?? (a.data as { verb?: string }).verb) === verb);
      if (!action) throw new Error(`no ${verb} on the ${kind} reminder`);
      return action;
    },
    async press(verb, data, from = OFFICE, replyToId) {
      n += 1;
      return JSON.parse(await post(cardAction(verb, data, `f:press-${n}`, from, replyToId))) as Answer;
    },
    async task(name, body, from = OFFICE, messageId) {
      n += 1;
      const id = `f:task-${n}`;
      const activity = messageId
        ? { ...taskInvoke(name, body, messageId, from), id }
        : taskInvoke(name, body, id, from);
      return JSON.parse(await post(activity)) as Task;
    },
  };
}
