/**
 * Staff-only text never reaches the person who reported a fault, on any surface they can reach
 * through the real Bolt app: `/spoc incident`, the App Home, their DMs, the incident export and
 * the service report. Staff still see all of it.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK } from '../../../src/bot/slack/ids';
import { fixedClock } from '../../../src/domain/clock';
import type { Ctx } from '../../../src/domain/context';
import { claimIncident } from '../../../src/domain/incidents/claim-incident';
import { closeIncident } from '../../../src/domain/incidents/close-incident';
import { escalateIncident } from '../../../src/domain/incidents/escalate-incident';
import { holdIncident, resumeIncident } from '../../../src/domain/incidents/hold-incident';
import { listIncidents } from '../../../src/domain/incidents/list-incidents';
import { handBackIncident, recordProviderUpdate } from '../../../src/domain/incidents/provider-update';
import { resolveIncident } from '../../../src/domain/incidents/resolve-incident';
import { exportRegister } from '../../../src/domain/registers/export-register';
import { addProvider } from '../../../src/domain/registers/providers';
import { identifySlackUser } from '../../../src/domain/schools/identify';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { uniqueId } from '../../support/factories';
import {
  type ApiArgs,
  assertAllCallsMade,
  expectResponseUrl,
  SLACK,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import { appHomeOpened, slashCommand, viewSubmission, type Who } from '../../support/slack-payloads';
import { must, until } from '../../support/wait';

// Monday 30 November 2026, 09:15 (school time).
const clock = fixedClock('2026-11-30T09:15:00Z');
let tdb: TestDatabase;
let app: SlackTestApp;

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(() => {
  stopRecording();
  assertAllCallsMade();
});

/** Everything the staff wrote for each other (or for a provider), each distinctive. */
const STAFF_ONLY = {
  note: 'SECRET-NOTE the server room code is 4471',
  escalation: 'SECRET-ESCALATION please bill the PTA budget',
  providerUpdate: 'SECRET-PROVIDER says the warranty is void',
  handBack: 'SECRET-HANDBACK not our kit any more',
  closing: 'SECRET-CLOSING teacher keeps unplugging it',
  providerRef: 'CAS-SECRET-77',
};
const SECRETS = Object.values(STAFF_ONLY);
const RESOLUTION = 'Replaced the projector lamp';
const OWN_COMMENT = 'It smells of burning after ten minutes';

/** The Web API calls the app made in the current test, with their method. */
let recorded: Array<ApiArgs & { method: string }> = [];
let interceptor: nock.Interceptor | undefined;

/** Answers every message, update, permalink and Home publish like Slack, recording each. */
function recordSlack(): void {
  recorded = [];
  interceptor = nock(SLACK)
    .persist()
    .post(/^\/api\/(chat\.postMessage|chat\.update|chat\.getPermalink|views\.publish)$/);
  interceptor.reply((uri, body) => {
    const method = uri.replace('/api/', '');
    const args = Object.fromEntries(new URLSearchParams(String(body))) as ApiArgs;
    for (const key of ['blocks', 'view'] as const) {
      if (typeof args[key] === 'string') args[key] = JSON.parse(args[key] as string);
    }
    recorded.push({ ...args, method });
    const channel = String(args.channel ?? 'D0DM000001');
    return [200, { ok: true, channel, ts: `1764494100.${String(recorded.length).padStart(6, '0')}` }];
  });
}

function stopRecording(): void {
  if (interceptor) nock.removeInterceptor(interceptor);
  interceptor = undefined;
}

/** The DMs the app sent a person. */
const dmsTo = (who: Who) =>
  recorded.filter((c) => c.method === 'chat.postMessage' && c.channel === who.userId).map(textOf);

/** Every secret found in a text. */
const leaked = (text: string) => SECRETS.filter((secret) => text.includes(secret));

async function spoc(who: Who, text: string): Promise<string> {
  const res = await app.send(slashCommand(who, '/spoc', text));
  expect(res.status).toBe(200);
  return textOf(res.json());
}

/** `/spoc …` whose answer comes later, through the command's response_url. */
async function spocLater(who: Who, text: string): Promise<string> {
  const reply = expectResponseUrl(`/commands/${who.teamId}/1111/cmdresponse`);
  const res = await app.send(slashCommand(who, '/spoc', text));
  expect(res.status).toBe(200);
  const answer = await until(() => reply.calls[0], `the answer to /spoc ${text}`);
  return String(answer.text);
}

async function ctxOf(who: Who) {
  const found = await identifySlackUser(tdb.db, clock, {
    teamId: who.teamId,
    userId: who.userId,
    userName: who.userName,
  });
  return { db: tdb.db, clock, ...found };
}

/** The id of the fault the teacher just reported. */
async function reportedBy(teacher: Ctx): Promise<string> {
  const [fault] = must(await listIncidents(teacher, { filter: 'reported' })).incidents;
  if (!fault) throw new Error('the report was not recorded');
  return fault.id;
}

/**
 * A teacher's fault that went everywhere: claimed, noted by the technician, escalated to a
 * provider with a note and their reference, updated, handed back, held, commented on by the
 * teacher, resolved, and closed with a staff note — every message delivered as it happened.
 */
async function busyFault() {
  const s = await slackSchool(app);
  const [teacher, tech, office] = await Promise.all([ctxOf(s.teacher), ctxOf(s.tech), ctxOf(s.office)]);
  recordSlack();
  const deliver = () => app.dispatcher.runOnce();
  const reported = await app.send(
    viewSubmission(
      s.teacher,
      CALLBACK.faultModal,
      { summary: 'Projector has no picture', urgency: { option: 'today' } },
      { viewId: uniqueId('V') },
    ),
  );
  expect(reported.json().response_action).toBe('update');
  await deliver();
  const id = await reportedBy(teacher);

  must(await claimIncident(tech, { incidentId: id }));
  await deliver();
  // The technician's note, through the card's note form.
  const noted = await app.send(
    viewSubmission(
      s.tech,
      CALLBACK.noteModal,
      { note: STAFF_ONLY.note },
      { privateMetadata: JSON.stringify({ incidentId: id }), viewId: uniqueId('V') },
    ),
  );
  expect(noted.text).toBe('');
  await deliver();
  const county = must(
    await addProvider(office, {
      name: 'County ICT',
      level: 'second',
      contactName: 'Jo Helpdesk',
      email: 'help@county.example',
      phone: '',
      chatChannel: '',
      notes: '',
    }),
  );
  must(
    await escalateIncident(office, {
      incidentId: id,
      providerId: county.id,
      providerRef: STAFF_ONLY.providerRef,
      note: STAFF_ONLY.escalation,
    }),
  );
  await deliver();
  must(await recordProviderUpdate(office, { incidentId: id, note: STAFF_ONLY.providerUpdate }));
  must(await handBackIncident(office, { incidentId: id, note: STAFF_ONLY.handBack }));
  must(await holdIncident(tech, { incidentId: id, reason: 'parts' }));
  await deliver();
  must(await resumeIncident(tech, { incidentId: id }));
  // The teacher's own comment, through their comment form.
  const commented = await app.send(
    viewSubmission(
      s.teacher,
      CALLBACK.commentModal,
      { note: OWN_COMMENT },
      { privateMetadata: JSON.stringify({ incidentId: id }), viewId: uniqueId('V') },
    ),
  );
  expect(commented.json().response_action).toBe('update');
  must(await resolveIncident(tech, { incidentId: id, resolution: RESOLUTION }));
  await deliver();
  must(await closeIncident(office, { incidentId: id, note: STAFF_ONLY.closing }));
  await deliver();
  return { ...s, id, teacherCtx: teacher, officeCtx: office };
}

describe('staff-only text and the reporter', () => {
  it('/spoc incident: the reporter sees their fault without staff notes or liaison; staff see all of it', async () => {
    const s = await busyFault();
    const theirs = await spoc(s.teacher, 'incident INC-1');
    expect(leaked(theirs)).toEqual([]);
    // What is meant for them is still there: their own words, what was done, who had it.
    expect(theirs).toContain('Projector has no picture');
    expect(theirs).toContain(OWN_COMMENT);
    expect(theirs).toContain(RESOLUTION);
    expect(theirs).toContain('Escalated to *County ICT*');
    expect(theirs).toContain('Waiting for parts');
    expect(theirs).not.toContain('Update from');
    for (const staff of [s.tech, s.office, s.admin]) {
      const all = await spoc(staff, 'incident INC-1');
      expect(leaked(all)).toEqual(SECRETS);
      expect(all).toContain(OWN_COMMENT);
    }
  });

  it('the App Home, the DMs, the export and the service report show the reporter no staff note', async () => {
    const s = await busyFault();
    // Every DM the teacher was sent along the way: told each step, never a staff note.
    const dms = dmsTo(s.teacher);
    expect(dms.length).toBeGreaterThanOrEqual(5); // reported, claimed, escalated, on hold, fixed
    expect(dms.join('\n')).toContain(RESOLUTION);
    expect(leaked(dms.join('\n'))).toEqual([]);

    // The App Home.
    await app.send(appHomeOpened(s.teacher));
    const home = await until(
      () => recorded.find((c) => c.method === 'views.publish' && c.user_id === s.teacher.userId),
      'the teacher’s App Home',
    );
    expect(textOf(home.view)).toContain('Projector has no picture');
    expect(leaked(textOf(home.view))).toEqual([]);

    // The incident register export and the service report are staff work: the teacher is refused.
    expect(await spocLater(s.teacher, 'export incidents')).toBe(
      'Only technicians and office staff can see every incident.',
    );
    expect(await spoc(s.teacher, 'report term')).toContain(
      'Only office staff and admins can see the service report.',
    );
    expect(await spocLater(s.teacher, 'report term csv')).toBe(
      'Only office staff and admins can see the service report.',
    );

    // Even the staff's export carries no notes: it is the register, not the history.
    const csv = must(await exportRegister(s.officeCtx, { kind: 'incidents' })).csv;
    expect(csv).toContain('INC-1');
    expect(leaked(csv)).toEqual([]);
    // Its moments as a UK spreadsheet reads them, in the school's time, never ISO.
    expect(csv).toMatch(/\r\nINC-1,30\/11\/2026 \d{2}:\d{2},/);
    expect(csv).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('a fault closed without a fix: the reporter is told why, in the DM and in /spoc incident', async () => {
    const s = await slackSchool(app);
    const [teacher, office] = await Promise.all([ctxOf(s.teacher), ctxOf(s.office)]);
    recordSlack();
    await app.send(
      viewSubmission(
        s.teacher,
        CALLBACK.faultModal,
        { summary: 'Printer jammed', urgency: { option: 'today' } },
        { viewId: uniqueId('V') },
      ),
    );
    const id = await reportedBy(teacher);
    must(await closeIncident(office, { incidentId: id, note: 'Duplicate of the office printer fault' }));
    await app.dispatcher.runOnce();
    expect(dmsTo(s.teacher).join('\n')).toContain('Duplicate of the office printer fault');
    expect(await spoc(s.teacher, 'incident INC-1')).toContain('Duplicate of the office printer fault');
  });
});
