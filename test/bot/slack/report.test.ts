/**
 * `/spoc report` through the real Bolt app: signed slash commands, the Web API pinned with nock,
 * the clock frozen at the fixture's moment (Monday 30 November 2026, 09:15). The school's data
 * is the hand-computed autumn-term fixture; a second school holds the same fixture again, so any
 * leak between schools would double the figures.
 */
import type { KnownBlock } from '@slack/types';
import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serviceReportView } from '../../../src/bot/slack/views/report.view';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { people } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { DEFAULT_SLA } from '../../../src/domain/incidents/sla';
import { parsePeriod } from '../../../src/domain/reports/period';
import { computeServiceReport, type ReportIncident } from '../../../src/domain/reports/service-report';
import { makeCalendar } from '../../../src/domain/school-time';
import { INCIDENTS, NOW, reportIncidentsOf, seedFixture } from '../../fixtures/service-report/autumn-term';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import {
  assertAllCallsMade,
  expectApi,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import { FILES_HOST } from '../../support/slack-files';
import { RESPONSE_URL_HOST, slashCommand, type Who } from '../../support/slack-payloads';
import { until } from '../../support/wait';

let tdb: TestDatabase;
let app: SlackTestApp;
let hillside: Awaited<ReturnType<typeof slackSchool>>;
let other: Awaited<ReturnType<typeof slackSchool>>;

async function seed(s: typeof hillside): Promise<void> {
  const school = await findSchoolBySlackTeam(tdb.db, s.teamId);
  if (!school) throw new Error('school not set up');
  const [admin] = await tdb.db
    .select()
    .from(people)
    .where(and(eq(people.schoolId, school.id), eq(people.slackUserId, s.admin.userId)));
  if (!admin) throw new Error('admin not found');
  await seedFixture(tdb.db, school.id, admin.id);
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, fixedClock(NOW));
  hillside = await slackSchool(app, 'C0SPOC0501');
  other = await slackSchool(app, 'C0SPOC0502');
  await seed(hillside);
  await seed(other);
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(assertAllCallsMade);

async function spoc(who: Who, text: string) {
  const res = await app.send(slashCommand(who, '/spoc', text, 'C0SPOC0501'));
  expect(res.status).toBe(200);
  const body = res.json();
  expect(body.response_type).toBe('ephemeral');
  return body as { text: string; blocks: KnownBlock[] };
}

/** The field texts of the section whose heading starts with `title` ('' for the headless summary). */
/** The figures of a group: the fields section after its title (or, with no title, the first). */
function fieldsOf(blocks: KnownBlock[], title: string): string[] {
  const at = title
    ? blocks.findIndex((b) => b.type === 'section' && b.text?.text.startsWith(title)) + 1
    : blocks.findIndex((b) => b.type === 'section' && !b.text && b.fields);
  const section = blocks[at] as { fields?: Array<{ text: string }> } | undefined;
  if (at <= 0 && title) throw new Error(`no section ${title}`);
  if (!section?.fields) throw new Error(`no figures under ${title}`);
  return section.fields.map((f) => f.text);
}

function withinSlackLimits(blocks: KnownBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const b of blocks) {
    const fields = (b as { fields?: Array<{ text: string }> }).fields ?? [];
    expect(fields.length).toBeLessThanOrEqual(10);
    for (const f of fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    const text = (b as { text?: { text: string } }).text?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(b.type === 'header' ? 150 : 3000);
  }
}

describe('/spoc report term', () => {
  it('gives the office the term report whose figures match the hand-computed fixture', async () => {
    const { blocks } = await spoc(hillside.office, 'report term');
    withinSlackLimits(blocks);
    const all = textOf(blocks);
    expect(all).toContain('Service report: ');
    expect(all).toContain('*Autumn term 2026: Wed 2 Sep 2026 – Fri 18 Dec 2026 (so far)*');
    expect(all).not.toContain('Term dates assumed');
    expect(fieldsOf(blocks, '').slice(0, 5)).toEqual([
      '*Faults reported*\n13',
      '*Still open*\n4',
      '*Fixed or closed*\n9',
      '*Reopened*\n1',
      '*Escalated to providers*\n4',
    ]);
    expect(fieldsOf(blocks, '*Targets met*')).toEqual([
      '*All*\nResponse: 10 of 12 (83%) · 1 not due yet\nFixed: 8 of 10 (80%) · 3 not due yet',
      '*P1 (respond 30m, fix 4h)*\nResponse: 1 of 2 (50%)\nFixed: 1 of 1 (100%) · 1 not due yet',
      '*P2 (respond 2h, fix 1 day)*\nResponse: 3 of 4 (75%)\nFixed: 3 of 4 (75%)',
      '*P3 (respond 1 day, fix 3 days)*\nResponse: 5 of 5 (100%)\nFixed: 3 of 4 (75%) · 1 not due yet',
      '*P4 (respond 3 days, fix 10 days)*\nResponse: 1 of 1 (100%) · 1 not due yet\nFixed: 1 of 1 (100%) · 1 not due yet',
    ]);
    expect(fieldsOf(blocks, '*Time to first response*')).toEqual([
      '*All*\n1h · 3h _(11 measured)_',
      '*P1*\n20m · 20m _(1 measured)_',
      '*P2*\n1h 30m · 3h _(4 measured)_',
      '*P3*\n1h · 3h _(5 measured)_',
      '*P4*\n1h · 1h _(1 measured)_',
    ]);
    expect(fieldsOf(blocks, '*Time to fix*')).toEqual([
      '*All*\n1 day 2h · 3 days _(9 measured)_',
      '*P1*\n2h · 2h _(1 measured)_',
      '*P2*\n7h · 1 day 6h _(4 measured)_',
      '*P3*\n2 days 1h · 2 days 3h _(3 measured)_',
      '*P4*\n3 days · 3 days _(1 measured)_',
    ]);
    expect(fieldsOf(blocks, '*By priority*')).toEqual(['*P1*\n2', '*P2*\n4', '*P3*\n5', '*P4*\n2']);
    expect(fieldsOf(blocks, '*By category*')).toEqual([
      '*Hardware*\n5',
      '*Software*\n2',
      '*Not triaged yet*\n2',
      '*Network / Wi-Fi*\n1',
      '*Account / login*\n1',
      '*Printing*\n1',
      '*AV / display*\n1',
    ]);
    expect(fieldsOf(blocks, '*By location*')).toEqual([
      '*ICT suite*\n4',
      '*Library*\n3',
      '*Hall*\n2',
      '*School office*\n2',
      '*Server room*\n1',
      '*Staff room*\n1',
    ]);
    expect(fieldsOf(blocks, '*By status*')).toEqual([
      '*New*\n2',
      '*Escalated*\n1',
      '*On hold*\n1',
      '*Resolved*\n3',
      '*Closed*\n6',
    ]);
    expect(all).toContain(
      '• *County ICT*: 3 escalations · answered within target 1 of 3 (33%) · median first answer 1h · 1 still with them',
    );
    expect(all).toContain(
      '• *AV Supplies Ltd*: 1 escalation · no response target in the contract · median first answer 1 day · 1 still with them',
    );
    expect(all).toContain(
      [
        '*Assets with the most faults*',
        '• *PRJ-1* (Projector, Epson EB-680): 3',
        '• *PRJ-2* (Projector, BenQ MW560): 2',
        '• *PC-5* (Desktop, Dell OptiPlex 7010): 1',
        '• *PRN-1* (Printer, Kyocera ECOSYS M3145): 1',
      ].join('\n'),
    );
  });

  it("another school's report counts only its own incidents", async () => {
    const { blocks } = await spoc(other.admin, 'report term');
    expect(fieldsOf(blocks, '')[0]).toBe('*Faults reported*\n13');
    expect(textOf(blocks)).toContain('• *County ICT*: 3 escalations');
  });

  it('week, last week and a range of dates pick the incidents reported in them', async () => {
    // This week (Mon 30 Nov): INC-10. Last week: INC-12, INC-13, INC-9. September: INC-1, 2, 3.
    const reported = async (words: string) =>
      fieldsOf((await spoc(hillside.office, `report ${words}`)).blocks, '')[0];
    expect(await reported('week')).toBe('*Faults reported*\n1');
    expect(await reported('last week')).toBe('*Faults reported*\n3');
    expect(await reported('2026-09-01..2026-09-30')).toBe('*Faults reported*\n3');
    const { blocks } = await spoc(hillside.office, 'report 2026-09-01..2026-09-30');
    expect(textOf(blocks)).toContain('*Tue 1 Sep 2026 – Wed 30 Sep 2026* · figures as at');
    // Summer: the July incident only, with the start of the summer term assumed.
    const summer = await spoc(hillside.admin, 'report last-term');
    expect(fieldsOf(summer.blocks, '')[0]).toBe('*Faults reported*\n1');
    expect(textOf(summer.blocks)).toContain('Summer term 2026: Wed 1 Apr 2026 – Tue 21 Jul 2026');
    expect(textOf(summer.blocks)).toContain('Term dates assumed');
    expect(textOf(summer.blocks)).toContain('`/spoc term add`');
  });

  it('technicians and teachers are refused', async () => {
    for (const who of [hillside.tech, hillside.teacher]) {
      const reply = await spoc(who, 'report term');
      expect(reply.text).toBe('Only office staff and admins can see the service report.');
    }
  });

  it('a bad or missing period gets usage help', async () => {
    const bad = await spoc(hillside.office, 'report fortnight');
    expect(bad.text).toContain('I don\'t know the period "fortnight".');
    expect(bad.text).toContain(
      'Usage: `/spoc report week|last-week|term|last-term|FROM..TO [csv]`, e.g. `/spoc report term` or `/spoc report 01/09/2026..18/12/2026 csv`. Add `csv` to get it as a spreadsheet in your DMs.',
    );
    expect(textOf(bad.blocks)).toContain('Your role here: *office (SPOC)*.');
    const none = await spoc(hillside.office, 'report');
    expect(none.text).toContain('Which period?');
    const backwards = await spoc(hillside.office, 'report 2026-12-18..2026-09-01');
    expect(backwards.text).toContain('The period ends (Tue 1 Sep 2026) before it starts (Fri 18 Dec 2026).');
  });
});

/** The file part of a multipart upload body. */
function fileFromMultipart(body: string): string {
  const boundary = body.slice(0, body.indexOf('\r\n'));
  if (!boundary.startsWith('--')) return body;
  const part = body.split(boundary).find((p) => p.includes('filename='));
  if (!part) return body;
  const start = part.indexOf('\r\n\r\n') + 4;
  return part.slice(start, part.lastIndexOf('\r\n'));
}

function expectReply(teamId: string) {
  const sent: Array<Record<string, unknown>> = [];
  const scope = nock(RESPONSE_URL_HOST)
    .post(`/commands/${teamId}/1111/cmdresponse`, (body) => {
      sent.push(body as Record<string, unknown>);
      return true;
    })
    .reply(200, 'ok');
  return { sent, scope };
}

describe('/spoc report term csv', () => {
  it('sends the report as a spreadsheet to the caller’s DMs', async () => {
    const dm = expectApi(
      'conversations.open',
      { ok: true, channel: { id: 'D0OFFICE05' } },
      { match: (a) => a.users === hillside.office.userId },
    );
    const url = expectApi('files.getUploadURLExternal', {
      ok: true,
      upload_url: `${FILES_HOST}/upload/v1/REPORT`,
      file_id: 'F0REPORT01',
    });
    let uploaded = '';
    const upload = nock(FILES_HOST)
      .post('/upload/v1/REPORT', (body) => {
        uploaded = fileFromMultipart(
          typeof body === 'string' ? body : Buffer.from(body as Buffer).toString('utf8'),
        );
        return true;
      })
      .reply(200, 'OK');
    const complete = expectApi('files.completeUploadExternal', { ok: true, files: [{ id: 'F0REPORT01' }] });
    const reply = expectReply(hillside.teamId);
    const res = await app.send(slashCommand(hillside.office, '/spoc', 'report term csv', 'C0SPOC0501'));
    expect(res.status).toBe(200);
    await until(() => (reply.scope.isDone() ? true : undefined), 'report csv reply');
    expect(dm.calls).toHaveLength(1);
    expect(url.calls[0]).toMatchObject({ filename: 'spoc-report-2026-09-02-to-2026-12-18.csv' });
    expect(upload.isDone()).toBe(true);
    expect(complete.calls[0]).toMatchObject({ channel_id: 'D0OFFICE05' });
    expect(reply.sent[0]?.text).toBe(
      ':bar_chart: Service report for Autumn term 2026: I have sent *spoc-report-2026-09-02-to-2026-12-18.csv* to you in a direct message.',
    );
    expect(uploaded.startsWith('\uFEFFSection,Item,Measure,Value,In words')).toBe(true);
    const rows = parse(uploaded.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    const value = (section: string, item: string, measure: string) =>
      rows.find((r) => r.Section === section && r.Item === item && r.Measure === measure)?.Value;
    expect(value('Summary', 'Incidents', 'Reported')).toBe('13');
    expect(value('By location', 'ICT suite', 'Incidents')).toBe('4');
    expect(value('First response', 'P2', 'Median (school minutes)')).toBe('90');
    expect(value('Resolution', 'All', '90th percentile (school minutes)')).toBe('1440');
    expect(value('Response target', 'All', 'Met')).toBe('10');
    expect(value('Resolution target', 'All', 'Measured')).toBe('10');
    expect(value('Escalations', 'County ICT', 'Still open')).toBe('1');
    expect(value('Top assets', 'PRJ-1 (Projector, Epson EB-680)', 'Incidents')).toBe('3');
  });

  it('a refused or bad request sends no file', async () => {
    const refused = expectReply(hillside.teamId);
    await app.send(slashCommand(hillside.tech, '/spoc', 'report csv term', 'C0SPOC0501'));
    await until(() => (refused.scope.isDone() ? true : undefined), 'refusal');
    expect(refused.sent[0]?.text).toBe('Only office staff and admins can see the service report.');
    const bad = expectReply(hillside.teamId);
    await app.send(slashCommand(hillside.office, '/spoc', 'report yesterday csv', 'C0SPOC0501'));
    await until(() => (bad.scope.isDone() ? true : undefined), 'usage');
    expect(bad.sent[0]?.text).toContain('I don\'t know the period "yesterday".');
    expect(bad.sent[0]?.text).toContain('Usage: `/spoc report week|last-week|term|last-term|FROM..TO [csv]`');
  });
});

describe('report view limits', () => {
  it('stays within Slack limits with many locations and providers', () => {
    const base = reportIncidentsOf(INCIDENTS)[0] as ReportIncident;
    const incidents = Array.from({ length: 60 }, (_, n) => ({
      ...base,
      number: n + 1,
      locationName: `Room ${n} ${'x'.repeat(200)}`,
    }));
    const parsed = parsePeriod('term', '2026-11-30', []);
    if (!parsed.ok) throw new Error(parsed.reason);
    const report = computeServiceReport({
      schoolName: 'S'.repeat(300),
      period: parsed.period,
      calendar: makeCalendar(),
      sla: DEFAULT_SLA,
      now: new Date(NOW),
      incidents,
      escalations: Array.from({ length: 40 }, (_, n) => ({
        providerId: `p${n}`,
        providerName: `Provider ${n} ${'y'.repeat(300)}`,
        incidentNumber: 1,
        escalatedAt: new Date('2026-11-02T10:00:00Z'),
        respondedAt: null,
        returnedAt: null,
        responseTargetHours: 4,
      })),
    });
    const view = serviceReportView(report);
    withinSlackLimits(view.blocks);
    expect(fieldsOf(view.blocks, '*By location*')).toHaveLength(10);
    expect(fieldsOf(view.blocks, '*By location*')[9]).toBe('*Others (51 more)*\n51');
    expect(textOf(view.blocks)).toContain('…and 20 more providers: see the CSV.');
    expect(textOf(view.blocks)).toContain('Term dates assumed');
  });
});
