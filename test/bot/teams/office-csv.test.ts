/**
 * CSV export and import in Teams, through `POST /api/messages` with signed activities, the
 * connector pinned and recorded, and OneDrive's upload session and download address pinned with
 * nock: `spoc export locations` offers the file with a consent card; accepting it PUTs the CSV to
 * the upload address Teams gives, in one Content-Range, and shows a file info card; declining
 * makes nothing. `spoc import locations` with a file attached answers with the preview in Slack's
 * words (a refused row by its line, nothing importable), a good file's Import commits it once
 * (a second press imports nothing more), and a teacher is refused before anything is fetched.
 * `spoc report week csv` offers the service report's CSV the same way, in Slack's words, made
 * again on accept with the role checked again.
 */
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { FILE_CONSENT, FILE_DOWNLOAD, FILE_INFO } from '../../../src/bot/teams/files';
import { formSubmissions, importBatches, locations } from '../../../src/db/schema';
import { REPORT_CSV_HEADERS } from '../../../src/domain/reports/report-csv';
import { FORBIDDEN } from '../../../src/domain/roles';
import { COLLEAGUE, channelMessage, personalMessage, TEACHER } from '../../support/teams-activities';
import type { ConnectorCall } from '../../support/teams-connector';
import { type Card, cardOf, useTeamsSpoc } from '../../support/teams-harness';
import { officeTools, said, words } from '../../support/teams-office';

const harness = useTeamsSpoc('spoc-office-csv-key');
const { calls, db, post } = harness;
const { knownPerson, sentTo } = officeTools(harness);

const ONEDRIVE = 'https://contoso-my.sharepoint.com';
const lastSend = (): ConnectorCall | undefined => sentTo().at(-1);
const attachmentOf = (call: ConnectorCall | undefined) =>
  (call?.body.attachments as Array<Record<string, unknown>> | undefined)?.[0];

/** The file consent card's answer, as Teams sends it when the person presses Allow or Decline. */
function consentInvoke(
  action: 'accept' | 'decline',
  context: unknown,
  id: string,
  uploadUrl?: string,
  { name = 'spoc-locations.csv', from = TEACHER }: { name?: string; from?: Record<string, unknown> } = {},
) {
  const { text: _t, textFormat: _f, ...message } = personalMessage('', id);
  return {
    ...message,
    from,
    type: 'invoke',
    name: 'fileConsent/invoke',
    replyToId: '1:consent',
    value: {
      type: 'fileUpload',
      action,
      context,
      ...(action === 'accept'
        ? {
            uploadInfo: {
              contentUrl: `${ONEDRIVE}/personal/megan/Documents/Applications/SPOC/rooms.csv`,
              name,
              uploadUrl,
              uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D',
              fileType: 'csv',
            },
          }
        : {}),
    },
  };
}

/** `spoc import locations` with a file attached, as Teams sends a file in the personal chat. */
function importWithFile(name: string, downloadPath: string, id: string, from = TEACHER) {
  return {
    ...said('spoc import locations', id, from),
    attachments: [
      {
        contentType: FILE_DOWNLOAD,
        contentUrl: `${ONEDRIVE}/personal/megan/Documents/Microsoft Teams Chat Files/${name}`,
        name,
        content: {
          downloadUrl: `${ONEDRIVE}${downloadPath}`,
          uniqueId: 'A8C7E3B1-2D4F-4E6A-9B0C-1D2E3F4A5B6C',
          fileType: name.split('.').pop(),
        },
      },
    ],
  };
}

/** A press on the preview card's Universal Action, in the personal chat. */
function press(verb: string, data: Record<string, unknown>, id: string) {
  const { text: _t, textFormat: _f, ...message } = personalMessage('', id);
  return {
    ...message,
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: '1:preview',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

const schoolLocations = async () => {
  const { person: megan } = await knownPerson();
  return db().select().from(locations).where(eq(locations.schoolId, megan.schoolId));
};

describe('CSV export in Teams', () => {
  it('offers the file with a consent card; accepted, puts it in OneDrive and shows it; declined, sends nothing', async () => {
    await post(channelMessage('spoc setup', '401'));
    await post(said('spoc export locations', 'f:export'));
    const offer = attachmentOf(lastSend());
    expect(offer).toMatchObject({
      contentType: FILE_CONSENT,
      content: {
        description: expect.stringMatching(/^Here is the export you asked for \(\d+ rows\)\.$/),
        acceptContext: { spoc: 'export', kind: 'locations' },
        declineContext: { spoc: 'export', kind: 'locations' },
      },
    });
    expect(offer?.name).toMatch(/^spoc-locations-\d{4}-\d{2}-\d{2}\.csv$/);
    const offered = offer?.content as { sizeInBytes: number; acceptContext: unknown };
    const size = offered.sizeInBytes;

    // Accept: the CSV PUT to the upload session, in one range, then the file shown.
    let put: { body: string; range?: string; length?: string } | undefined;
    const upload = nock(ONEDRIVE)
      .put('/personal/megan/_api/upload-session-1')
      .reply(function (_uri, body) {
        put = {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          range: this.req.headers['content-range'] as string | undefined,
          length: this.req.headers['content-length'] as string | undefined,
        };
        return [201, { id: 'item-1', name: 'spoc-locations.csv' }];
      });
    calls.splice(0);
    const context = offered.acceptContext;
    await post(
      consentInvoke('accept', context, 'f:accept', `${ONEDRIVE}/personal/megan/_api/upload-session-1`),
    );
    expect(upload.isDone()).toBe(true);
    expect(put?.range).toBe(`bytes 0-${size - 1}/${size}`);
    expect(put?.length).toBe(String(size));
    expect(put?.body).toContain('Name,Parent,Default impact,Archived');
    const names = (await schoolLocations()).map((l) => l.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(put?.body).toContain(name);
    expect(attachmentOf(lastSend())).toMatchObject({
      contentType: FILE_INFO,
      name: 'spoc-locations.csv',
      contentUrl: `${ONEDRIVE}/personal/megan/Documents/Applications/SPOC/rooms.csv`,
      content: { uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D', fileType: 'csv' },
    });

    // Decline: said so, nothing uploaded.
    calls.splice(0);
    await post(consentInvoke('decline', context, 'f:decline'));
    expect(words(lastSend()?.body)).toContain('All right: I have not sent');
    expect(sentTo().some((c) => words(c.body).includes(FILE_INFO))).toBe(false);
  });

  it('refuses a teacher the register, and says where files come in a channel', async () => {
    await post(said('spoc export locations', 'f:export-teacher', COLLEAGUE));
    expect(words(lastSend()?.body)).toContain(FORBIDDEN['register.view']);
    expect(attachmentOf(lastSend())?.contentType).not.toBe(FILE_CONSENT);
    calls.splice(0);
    await post(channelMessage('spoc export locations', '402'));
    expect(words(calls.find((c) => c.method === 'POST')?.body)).toContain(
      'Files come through our personal chat',
    );
  });
});

describe("the service report's CSV in Teams", () => {
  /** A PUT to an upload session, recorded: the body and its range. */
  function pinUpload(path: string) {
    const put: { body?: string; range?: string; length?: string } = {};
    const scope = nock(ONEDRIVE)
      .put(path)
      .reply(function (_uri, body) {
        put.body = typeof body === 'string' ? body : JSON.stringify(body);
        put.range = this.req.headers['content-range'] as string | undefined;
        put.length = this.req.headers['content-length'] as string | undefined;
        return [201, { id: 'item-2', name: 'report.csv' }];
      });
    return { put, scope };
  }

  it("offers the report with a consent card in Slack's words; accepted, puts the CSV in OneDrive; declined, sends nothing", async () => {
    calls.splice(0);
    await post(said('spoc report week csv', 'f:report-csv'));
    const offer = attachmentOf(lastSend());
    expect(offer?.contentType).toBe(FILE_CONSENT);
    expect(offer?.name).toMatch(/^spoc-report-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const fileName = offer?.name as string;
    expect(offer?.content).toMatchObject({
      description: 'Here is the service report you asked for.',
      acceptContext: { spoc: 'report', period: 'week', fileName },
      declineContext: { spoc: 'report', period: 'week', fileName },
    });
    const offered = offer?.content as { sizeInBytes: number; acceptContext: unknown };

    // Accept: the CSV made again and PUT in one range, then the file shown.
    const { put, scope } = pinUpload('/personal/megan/_api/upload-session-report');
    calls.splice(0);
    await post(
      consentInvoke(
        'accept',
        offered.acceptContext,
        'f:report-accept',
        `${ONEDRIVE}/personal/megan/_api/upload-session-report`,
        { name: fileName },
      ),
    );
    expect(scope.isDone()).toBe(true);
    const size = offered.sizeInBytes;
    expect(put.range).toBe(`bytes 0-${size - 1}/${size}`);
    expect(put.length).toBe(String(size));
    // The header row Slack's CSV has (after the BOM that makes Excel read UTF-8), then the figures.
    const lines = (put.body ?? '').split('\r\n');
    expect(lines[0]).toBe(`\uFEFF${REPORT_CSV_HEADERS.join(',')}`);
    expect(lines).toContain('Report,Period,Name,This week,');
    expect(lines.some((l) => l.startsWith('Summary,Incidents,Reported,'))).toBe(true);
    expect(attachmentOf(lastSend())).toMatchObject({ contentType: FILE_INFO, name: fileName });

    // Decline: said so, by the file's name; nothing uploaded.
    calls.splice(0);
    await post(consentInvoke('decline', offered.acceptContext, 'f:report-decline'));
    expect(words(lastSend()?.body)).toContain(`All right: I have not sent **${fileName}**.`);
    expect(sentTo().some((c) => words(c.body).includes(FILE_INFO))).toBe(false);
  });

  it('refuses a teacher, when asking and again when accepting; a bad period gets the usage', async () => {
    calls.splice(0);
    await post(said('spoc report week csv', 'f:report-teacher', COLLEAGUE));
    expect(words(lastSend()?.body)).toContain(FORBIDDEN['report.view']);
    expect(attachmentOf(lastSend())?.contentType).not.toBe(FILE_CONSENT);

    // A card accepted by someone who may not see the report (the upload address is not pinned).
    calls.splice(0);
    await post(
      consentInvoke(
        'accept',
        { spoc: 'report', period: 'week', fileName: 'spoc-report.csv' },
        'f:report-teacher-accept',
        `${ONEDRIVE}/personal/adele/_api/upload-session-never`,
        { from: COLLEAGUE },
      ),
    );
    expect(words(lastSend()?.body)).toContain(FORBIDDEN['report.view']);
    expect(sentTo().some((c) => words(c.body).includes(FILE_INFO))).toBe(false);

    calls.splice(0);
    await post(said('spoc report fortnight csv', 'f:report-bad'));
    expect(words(lastSend()?.body)).toContain("I don't know the period");
    expect(attachmentOf(lastSend())?.contentType).not.toBe(FILE_CONSENT);
  });

  it('a card whose period has moved on (another week now) is not filled with another period', async () => {
    calls.splice(0);
    await post(
      consentInvoke(
        'accept',
        { spoc: 'report', period: 'week', fileName: 'spoc-report-2020-01-06-to-2020-01-10.csv' },
        'f:report-moved',
        `${ONEDRIVE}/personal/megan/_api/upload-session-moved`,
      ),
    );
    expect(words(lastSend()?.body)).toContain('That period has moved on since I offered');
    expect(sentTo().some((c) => words(c.body).includes(FILE_INFO))).toBe(false);
  });
});

describe('CSV import in Teams', () => {
  it('previews a refused row by its line; imports a good file once on Import; refuses a teacher', async () => {
    // A file with a refused row (line 3: no name): the preview says so by line, with no Import.
    const bad = 'Name,Parent,Default impact\r\nChemistry Lab,,room\r\n,,room\r\n';
    nock(ONEDRIVE)
      .get('/download/bad.csv')
      .reply(200, bad, { 'content-length': String(bad.length) });
    calls.splice(0);
    await post(importWithFile('rooms.csv', '/download/bad.csv', 'f:import-bad'));
    const refused = cardOf(lastSend());
    expect(words(refused)).toContain('Import locations');
    expect(words(refused)).toContain('**Refused rows** — nothing is imported until they are fixed:');
    expect(words(refused)).toMatch(/• Line 3: /);
    expect(refused.actions ?? []).toEqual([]);
    expect((await schoolLocations()).some((l) => l.name === 'Chemistry Lab')).toBe(false);

    // A good file naming a parent the school does not have: the preview asks to create it.
    const good =
      'Name,Parent,Default impact\r\nChemistry Lab,Science Block,room\r\nPhysics Lab,Science Block,room\r\n';
    nock(ONEDRIVE).get('/download/good.csv').reply(200, good);
    calls.splice(0);
    await post(importWithFile('rooms.csv', '/download/good.csv', 'f:import-good'));
    const preview = cardOf(lastSend()) as Card;
    expect(words(preview)).toContain('**2** new');
    expect(words(preview)).toContain('These locations are not in the list: Science Block');
    const toggle = preview.body.find((b) => b.type === 'Input.Toggle');
    expect(toggle).toMatchObject({
      id: 'createLocations',
      title: 'Create any locations the file names that are not in the list yet',
    });
    const importButton = preview.actions?.find((a) => a.verb === 'import.confirm') as {
      title: string;
      data: Record<string, string>;
    };
    expect(importButton.title).toBe('Import');
    expect(preview.actions?.find((a) => a.verb === 'import.cancel')).toMatchObject({ title: 'Cancel' });

    // Import, with the toggle on: all rows in, once; a second press imports nothing more.
    const pressed = { ...importButton.data, createLocations: 'yes' };
    const done = await post(press('import.confirm', pressed, 'f:confirm-1'));
    const answer = JSON.parse(done.text) as { type: string; value: Card };
    expect(words(answer.value)).toContain('imported.');
    expect(words(answer.value)).toContain('New locations: Chemistry Lab, Physics Lab, Science Block');
    const afterFirst = await schoolLocations();
    expect(
      afterFirst.filter((l) => ['Chemistry Lab', 'Physics Lab', 'Science Block'].includes(l.name)),
    ).toHaveLength(3);
    const again = await post(press('import.confirm', pressed, 'f:confirm-2'));
    expect(JSON.parse(again.text)).toEqual(answer);
    expect(await schoolLocations()).toHaveLength(afterFirst.length);
    const [batch] = await db()
      .select()
      .from(importBatches)
      .where(eq(importBatches.id, importButton.data.value as string));
    expect(batch?.status).toBe('committed');
    expect(
      await db()
        .select()
        .from(formSubmissions)
        .where(and(eq(formSubmissions.kind, 'teams.import'), eq(formSubmissions.key, batch?.id ?? ''))),
    ).toHaveLength(1);

    // A teacher is refused before anything is fetched (the download is not pinned).
    calls.splice(0);
    await post(importWithFile('rooms.csv', '/download/never.csv', 'f:import-teacher', COLLEAGUE));
    expect(words(lastSend()?.body)).toContain(FORBIDDEN['register.manage']);
  });

  it('takes a file sent after `spoc import locations` (said with no file) for that register, once', async () => {
    calls.splice(0);
    await post(said('spoc import locations', 'f:import-ask'));
    const asked = words(cardOf(lastSend()));
    expect(asked).toContain('Import locations');
    expect(asked).toContain('Columns I understand: Name, Parent, Default impact, Archived.');
    expect(asked).toContain('Send me the CSV file here, in your next message');
    const file = 'Name\r\nMusic Room\r\n';
    nock(ONEDRIVE).get('/download/next.csv').reply(200, file);
    calls.splice(0);
    await post({ ...importWithFile('music.csv', '/download/next.csv', 'f:next'), text: '' });
    const preview = cardOf(lastSend()) as Card;
    expect(words(preview)).toContain('**1** new');
    expect(preview.actions?.find((a) => a.verb === 'import.confirm')).toBeDefined();
    // Taken once: another file alone is asked about.
    calls.splice(0);
    await post({ ...importWithFile('music.csv', '/download/again.csv', 'f:next-2'), text: '' });
    expect(words(cardOf(lastSend()))).toContain('Which register is this file for?');
  });

  it('refuses a file that is not CSV, and asks which register a file sent alone is for', async () => {
    calls.splice(0);
    await post(importWithFile('rooms.xlsx', '/download/rooms.xlsx', 'f:import-xlsx'));
    expect(words(cardOf(lastSend()))).toContain('That file is not a CSV file.');
    calls.splice(0);
    await post({ ...importWithFile('rooms.csv', '/download/alone.csv', 'f:alone'), text: '' });
    expect(words(cardOf(lastSend()))).toContain('Which register is this file for?');
  });

  it('says a photo sent alone is not added to a fault, and fetches nothing', async () => {
    calls.splice(0);
    await post({ ...importWithFile('projector.jpg', '/download/projector.jpg', 'f:photo'), text: '' });
    expect(words(cardOf(lastSend()))).toContain(
      "Photos sent here are not added to a fault: Teams' cards cannot show them to the ICT team.",
    );
  });
});
