/**
 * The local playground: with no Slack or Teams credentials, SPOC runs its
 * real Bolt app against an in-process fake Slack workspace, and a page on 127.0.0.1 shows that
 * workspace and relays what the person does as signed Slack requests. This module owns the
 * workspace, its fake Web API, the relay, the page's state and the demo controls.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TZDate } from '@date-fns/tz';
import { and, eq, inArray } from 'drizzle-orm';
import type { SlackMode } from '../../config';
import type { Database } from '../../db/client';
import { findSchoolBySlackTeam, loadSchoolClock } from '../../db/queries/schools';
import { people as peopleTable } from '../../db/schema';
import type { Clock } from '../../domain/clock';
import { RealSchoolsError, refuseBesideRealSchools } from '../../domain/demo/demo-guard';
import {
  DEMO_CHANNEL_ID,
  DEMO_PEOPLE,
  DEMO_STAFF_CHANNEL_ID,
  DEMO_TEAM_ID,
  DEMO_TEAM_NAME,
} from '../../domain/demo/demo-school';
import { formatDemoSummary, seedDemo } from '../../domain/demo/seed-demo';
import { isSchoolTime } from '../../domain/school-time';
import type { Logger } from '../../log';
import { runAutoClosePass } from '../../worker/auto-close';
import { runReminderPass } from '../../worker/reminder-pass';
import { createPlaygroundServer } from './http';
import { COMMAND_HINTS, Relay } from './relay';
import type { WebApiContext } from './web-api';
import { fileOut } from './web-api';
import { type StoredMessage, Workspace, type WorkspaceSnapshot } from './workspace';

export const PLAYGROUND_BOT_USER = 'U0PLAYBOT';
export const PLAYGROUND_BOT_ID = 'B0PLAYBOT';
export const PLAYGROUND_APP_ID = 'A0PLAYSPOC';

/** What the switcher calls each demo role. */
const ROLE_TITLES: Record<string, string> = {
  teacher: 'Teacher',
  office: 'Office',
  technician: 'Technician',
  admin: 'Admin',
};

export interface PlaygroundOptions {
  host: string;
  port: number;
  database: Database;
  clock: Clock;
  log: Logger;
  /** Where the workspace is kept between runs (the embedded database's directory); none: memory only. */
  dataDir?: string;
}

export interface LogLine {
  at: string;
  level: 'info' | 'warn' | 'error';
  text: string;
}

export interface Playground {
  /** The page's address (also the Web API base the app is pointed at). */
  url: string;
  /** The Slack app's mode: HTTP, signed with a secret made up at start, Web API on this server. */
  slackMode: SlackMode & { kind: 'http'; apiUrl: string };
  workspace: Workspace;
  relay: Relay;
  /** Wires the running Bolt app in: its events URL, and how to wake the outbox dispatcher. */
  connect(app: { eventsUrl: string; kick: () => void }): void;
  /** The page's view of the workspace as one person. */
  stateFor(userId: string): Promise<Record<string, unknown>>;
  seed(): Promise<{ ok: boolean; message: string }>;
  runReminders(at?: string): Promise<{ ok: boolean; message: string; schoolTime?: boolean; at?: string }>;
  report(level: LogLine['level'], text: string): void;
  close(): Promise<void>;
}

/** The demo school's people, in the switcher's order. */
export function demoPeople() {
  const order = ['patel', 'jones', 'office', 'tech', 'tech2', 'head'] as const;
  return order
    .map((k) => DEMO_PEOPLE[k])
    .filter(Boolean)
    .map((p) => ({ id: p.slackUserId, name: p.name, title: ROLE_TITLES[p.role] ?? p.role }));
}

/** "2025-06-10T09:30" in the school's timezone, or a full ISO instant. */
export function parseAsIf(value: string, timezone: string): Date | undefined {
  const wall = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (wall) {
    const [y, mo, d, h, mi, s] = wall.slice(1).map((part) => Number(part ?? 0)) as number[];
    const at = new TZDate(y!, mo! - 1, d!, h!, mi!, s!, 0, timezone);
    return Number.isNaN(at.getTime()) ? undefined : new Date(at.getTime());
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

/** A HOST that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const { database, clock, log } = options;
  // Never on a real install's database: its pretend Slack would take every school's messages.
  await refuseBesideRealSchools(database.db, 'playground', database.kind);
  const signingSecret = randomBytes(24).toString('hex');
  const botToken = `xoxb-playground-${randomBytes(16).toString('hex')}`;
  const workspace = new Workspace(
    {
      teamId: DEMO_TEAM_ID,
      teamName: DEMO_TEAM_NAME,
      // Names the school if someone acts before it is seeded (the school takes the workspace's name).
      teamDomain: DEMO_TEAM_NAME,
      botUserId: PLAYGROUND_BOT_USER,
      botId: PLAYGROUND_BOT_ID,
      appId: PLAYGROUND_APP_ID,
    },
    demoPeople(),
    [
      { id: DEMO_CHANNEL_ID, name: 'ict-help' },
      { id: DEMO_STAFF_CHANNEL_ID, name: 'staff' },
    ],
  );

  // Kept between runs beside the embedded database, so a restart finds the cards it updates.
  const file = options.dataDir ? join(options.dataDir, 'playground.json') : undefined;
  if (file) {
    try {
      workspace.restore(JSON.parse(readFileSync(file, 'utf8')) as WorkspaceSnapshot);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        log.warn({ err: error }, 'playground: could not read the saved workspace; starting empty');
    }
  }
  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (!file) return;
    try {
      mkdirSync(options.dataDir!, { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(workspace.toSnapshot()));
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      log.warn({ err: error }, 'playground: could not save the workspace');
    }
  };
  workspace.onChange(() => {
    if (!file || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      save();
    }, 300);
  });

  const lines: LogLine[] = [];
  const report = (level: LogLine['level'], text: string) => {
    lines.push({ at: new Date().toISOString(), level, text });
    if (lines.length > 50) lines.shift();
    workspace.bump();
  };

  let kick: () => void = () => {};
  // The base URL is known once the server listens; the relay and Web API read it then.
  const base = { url: '' };
  const apiContext: WebApiContext = {
    workspace,
    botToken,
    get baseUrl() {
      return base.url;
    },
    log,
    report,
  };
  const relay = new Relay({
    workspace,
    signingSecret,
    get baseUrl() {
      return base.url;
    },
    log,
    report,
  });

  async function demoSchool() {
    return findSchoolBySlackTeam(database.db, DEMO_TEAM_ID);
  }

  async function rolesOf(schoolId: string | undefined): Promise<Map<string, string>> {
    if (!schoolId) return new Map();
    const rows = await database.db
      .select({ slackUserId: peopleTable.slackUserId, role: peopleTable.role })
      .from(peopleTable)
      .where(
        and(
          eq(peopleTable.schoolId, schoolId),
          inArray(
            peopleTable.slackUserId,
            workspace.people.map((p) => p.id),
          ),
        ),
      );
    return new Map(rows.map((r) => [r.slackUserId ?? '', r.role]));
  }

  function messageFor(m: StoredMessage) {
    return {
      ts: m.ts,
      user: m.user,
      userName: workspace.nameOf(m.user),
      bot: Boolean(m.bot_id),
      text: m.text,
      blocks: m.blocks ?? null,
      thread_ts: m.thread_ts ?? null,
      broadcast: Boolean(m.reply_broadcast),
      edited: Boolean(m.edited),
      reactions: (m.reactions ?? []).map((r) => ({ name: r.name, count: r.users.length })),
      files: (m.files ?? [])
        .map((id) => workspace.files.get(id))
        .filter((f) => f !== undefined)
        .map((f) => {
          const out = fileOut(apiContext, f);
          return {
            id: f.id,
            name: f.name,
            title: f.title,
            size: f.size,
            url: `${out.url_private}?download=1`,
          };
        }),
    };
  }

  async function stateFor(userId: string): Promise<Record<string, unknown>> {
    const school = await demoSchool();
    const roles = await rolesOf(school?.id);
    const clockOf = school ? await loadSchoolClock(database.db, school.id) : undefined;
    const now = clock.now();
    const channels = [...workspace.channels.values()]
      .filter((c) => c.kind === 'channel' || c.user === userId)
      .map((c) => {
        const top = c.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast);
        return {
          id: c.id,
          name: c.kind === 'im' ? 'SPOC' : c.name,
          kind: c.kind,
          ...(c.topic ? { topic: c.topic } : {}),
          messages: top.map((m) => {
            const replies =
              m.thread_ts && m.thread_ts !== m.ts
                ? []
                : c.messages.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts).map(messageFor);
            return { ...messageFor(m), replies };
          }),
        };
      });
    const modalStack = workspace.modals.get(userId) ?? [];
    const top = modalStack.at(-1);
    const home = workspace.homes.get(userId);
    return {
      version: workspace.version,
      now: now.toISOString(),
      schoolTime: clockOf ? isSchoolTime(clockOf.calendar, now) : null,
      school: school
        ? {
            name: school.name,
            channelId: school.slackChannelId,
            timezone: school.timezone,
            dayStart: school.dayStart,
            dayEnd: school.dayEnd,
            ticketEmoji: school.ticketEmoji,
          }
        : null,
      team: { id: workspace.identity.teamId, name: workspace.identity.teamName },
      bot: { id: workspace.identity.botUserId, name: 'SPOC' },
      me: userId,
      people: workspace.people.map((p) => ({
        id: p.id,
        name: p.name,
        role: roles.get(p.id) ?? null,
        title: ROLE_TITLES[roles.get(p.id) ?? ''] ?? p.title,
      })),
      users: Object.fromEntries([
        [workspace.identity.botUserId, 'SPOC'],
        ...workspace.people.map((p) => [p.id, p.name]),
      ]),
      channelNames: Object.fromEntries(
        [...workspace.channels.values()].filter((c) => c.kind === 'channel').map((c) => [c.id, c.name]),
      ),
      channels,
      ephemeral: (workspace.ephemerals.get(userId) ?? []).map((e) => ({
        ts: e.ts,
        channel: e.channel,
        text: e.text,
        blocks: e.blocks ?? null,
        thread_ts: e.thread_ts ?? null,
      })),
      modal: top
        ? {
            id: top.id,
            hash: top.hash,
            depth: modalStack.length,
            view: top.view,
            errors: top.errors ?? {},
          }
        : null,
      home: home ? { id: home.id, view: home.view } : null,
      commands: COMMAND_HINTS,
      log: lines.slice(-20),
    };
  }

  async function seed(): Promise<{ ok: boolean; message: string }> {
    try {
      await refuseBesideRealSchools(database.db, 'seed', database.kind);
      const result = await seedDemo(database.db, clock);
      kick();
      const message = formatDemoSummary(result).join('\n');
      report('info', result.seeded ? 'The demo school was seeded.' : 'The demo school was already seeded.');
      return { ok: true, message };
    } catch (error) {
      if (error instanceof RealSchoolsError) return { ok: false, message: error.message };
      log.error({ err: error }, 'playground: seeding the demo school failed');
      report('error', `Seeding failed: ${(error as Error).message}`);
      return { ok: false, message: `Seeding failed: ${(error as Error).message}` };
    }
  }

  async function runReminders(asIf?: string) {
    const school = await demoSchool();
    const clockOf = school ? await loadSchoolClock(database.db, school.id) : undefined;
    if (!school || !clockOf) return { ok: false, message: 'There is no demo school yet: seed it first.' };
    const at = asIf ? parseAsIf(asIf, clockOf.calendar.timezone) : clock.now();
    if (!at) return { ok: false, message: `"${asIf}" is not a date and time.` };
    const passLog = log.child({ component: 'reminders' });
    // The demo school only, whatever else the database holds.
    const only = [school.id];
    // "As if" moves the rules' clock only. What the pass records carries the real clock, so its
    // reminders are delivered at once and hold back nothing that comes later.
    const realNow = clock.now();
    const ahead = at.getTime() > realNow.getTime();
    const reminders = await runReminderPass({
      db: database.db,
      log: passLog,
      now: at,
      recordedAt: realNow,
      schoolIds: only,
    });
    // Closing stamps the incident with the moment it closed, so it is never done ahead of the
    // real clock: as if later, the pass closes what is due now and says what would close by then.
    const closed = await runAutoClosePass({
      db: database.db,
      log: passLog,
      now: ahead ? realNow : at,
      schoolIds: only,
    });
    const closable = ahead
      ? await runAutoClosePass({ db: database.db, log: passLog, now: at, dryRun: true, schoolIds: only })
      : [];
    kick();
    const mine = reminders.find((r) => r.schoolId === school.id);
    // As the pass found it: it posts nothing outside school time.
    const schoolTime = mine?.schoolTime;
    const posted = mine?.posted.length ?? 0;
    const closedHere = closed.find((r) => r.schoolId === school.id)?.closed ?? [];
    const laterHere = (closable.find((r) => r.schoolId === school.id)?.closed ?? []).filter(
      (n) => !closedHere.includes(n),
    );
    const when = new Intl.DateTimeFormat('en-GB', {
      timeZone: clockOf.calendar.timezone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    }).format(at);
    const parts = [
      !mine
        ? 'The demo school has no SPOC channel yet (/spoc setup in #ict-help), so no reminders are posted'
        : schoolTime
          ? `${posted} reminder${posted === 1 ? '' : 's'} posted${posted ? ", in the day's briefing in the SPOC channel (each with its buttons in its thread)" : ''}`
          : `It is outside school time (${school.dayStart}–${school.dayEnd} on school days) at ${when}, so no reminders are posted`,
    ];
    if (schoolTime && mine?.alreadySent) parts.push(`${mine.alreadySent} already sent before`);
    if (closedHere.length)
      parts.push(`closed automatically: ${closedHere.map((n) => `INC-${n}`).join(', ')}`);
    if (laterHere.length)
      parts.push(
        `by then ${laterHere.map((n) => `INC-${n}`).join(', ')} would close automatically (no reply for 5 school days); ${laterHere.length === 1 ? 'it closes' : 'they close'} when that time really comes`,
      );
    // What it does stays done.
    const real = !asIf
      ? ''
      : ahead
        ? ` This was a real pass as if it were ${when}: the reminders it posted appear now and are recorded as sent (they will not come again).`
        : ` This was a real pass as if it were ${when}: the reminders it posted are recorded as sent (they will not come again), and resolved incidents with no answer for 5 school days by then are closed.`;
    const message = `${parts.join('; ')}.${real}`;
    report('info', `Reminder pass as of ${at.toISOString()}: ${message}`);
    return { ok: true, message, schoolTime, at: at.toISOString() };
  }

  const server: Server = createPlaygroundServer({
    workspace,
    relay,
    apiContext,
    database,
    log,
    stateFor,
    seed,
    runReminders,
    report,
    loopbackOnly: isLoopbackHost(options.host),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  base.url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  if (!isLoopbackHost(options.host)) {
    const warning = `The playground is reachable from the network (HOST=${options.host}) and has no login: anyone who can reach port ${port} can act as any demo person.`;
    log.warn({ host: options.host, port }, warning);
    report('warn', warning);
  }

  return {
    url: base.url,
    slackMode: { kind: 'http', signingSecret, botToken, apiUrl: `${base.url}/api/` },
    workspace,
    relay,
    connect(app) {
      relay.connect(app.eventsUrl);
      kick = app.kick;
    },
    stateFor,
    seed,
    runReminders,
    report,
    async close() {
      clearTimeout(saveTimer);
      save();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
