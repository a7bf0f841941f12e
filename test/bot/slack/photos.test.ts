/**
 * Photos with a fault report, through the real Bolt app: the form's file input, the report's
 * refusals beside the field, the photos recorded with the incident, shown on the card and in its
 * thread, and SPOC's copy fetched afterwards with the bot token (retried after a failure).
 */
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK, FAULT_BLOCK } from '../../../src/bot/slack/ids';
import { enqueue } from '../../../src/db/queries/outbox';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { incidentPhotos, incidents, outbox } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0, uniqueId } from '../../support/factories';
import {
  type ApiArgs,
  assertAllCallsMade,
  expectApi,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import { FILES_HOST, uploadedFile, uploadedImage } from '../../support/slack-files';
import { BOT_TOKEN, slashCommand, viewSubmission, type Who } from '../../support/slack-payloads';
import { until } from '../../support/wait';

const SPOC_CHANNEL = 'C0SPOC0PHO';
const MB = 1024 * 1024;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const WEBP = Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1');

let tdb: TestDatabase;
let app: SlackTestApp;
const clock = fixedClock(T0);

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, clock);
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(assertAllCallsMade);

function report(who: Who, files: object[], viewId = uniqueId('V')) {
  return app.send(
    viewSubmission(
      who,
      CALLBACK.faultModal,
      {
        summary: 'Projector shows a blue screen',
        description: 'It says "No signal" after warming up',
        urgency: { option: 'today' },
        [FAULT_BLOCK.photos]: { files },
      },
      { viewId },
    ),
  );
}

async function schoolIdOf(teamId: string): Promise<string> {
  const s = await findSchoolBySlackTeam(tdb.db, teamId);
  if (!s) throw new Error('no school');
  return s.id;
}

async function incidentsOf(schoolId: string) {
  return tdb.db.select().from(incidents).where(eq(incidents.schoolId, schoolId));
}

async function photosOf(schoolId: string) {
  return tdb.db.select().from(incidentPhotos).where(eq(incidentPhotos.schoolId, schoolId));
}

const inSpoc = (a: ApiArgs) => a.channel === SPOC_CHANNEL && a.thread_ts === undefined;
const inThread = (a: ApiArgs) => a.channel === SPOC_CHANNEL && a.thread_ts === '1764494100.000100';

/** Pins `files.info` for a file, `times` times, answering with its file object. */
function pinInfo<F extends { id: string }>(file: F, times = 1) {
  return expectApi('files.info', { ok: true, file }, { match: (a) => a.file === file.id, times });
}

/** Pins the download of a file from Slack's file host, with the bot token. */
function pinDownload(file: { url_private_download: string }, status: number, body: Buffer, type: string) {
  const url = new URL(file.url_private_download);
  return nock(FILES_HOST)
    .get(url.pathname)
    .matchHeader('authorization', `Bearer ${BOT_TOKEN}`)
    .reply(status, status === 200 ? body : 'upstream error', {
      'content-type': status === 200 ? type : 'text/plain',
    });
}

describe('the fault form takes photos', () => {
  it('offers an optional file input for up to 3 images', async () => {
    const s = await slackSchool(app, SPOC_CHANNEL);
    const open = expectApi('views.open', { ok: true, view: { id: 'V0OPENED01' } });
    await app.send(slashCommand(s.teacher, '/fault', 'Projector'));
    const view = (await until(() => open.calls[0], 'the fault form')).view!;
    const blocks = view.blocks as Array<Record<string, unknown>>;
    expect(blocks.find((b) => b.block_id === FAULT_BLOCK.photos)).toEqual({
      type: 'input',
      block_id: 'photos',
      optional: true,
      label: { type: 'plain_text', text: 'Photos', emoji: true },
      hint: {
        type: 'plain_text',
        text: 'Up to 3 photos of the fault or the error on screen, each 10 MB or less.',
        emoji: true,
      },
      element: {
        type: 'file_input',
        action_id: 'value',
        filetypes: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'heic'],
        max_files: 3,
      },
    });
  });

  it('refuses a file that is not an image, beside the photos field, and records nothing', async () => {
    const s = await slackSchool(app, SPOC_CHANNEL);
    const pdf = {
      ...uploadedFile(uniqueId('F'), 'quote.pdf', 80_000),
      mimetype: 'application/pdf',
      filetype: 'pdf',
    };
    const jpg = uploadedImage(uniqueId('F'), 'projector.jpg', 2 * MB);
    const res = await report(s.teacher, [jpg, pdf]);
    // Only the photos field is marked: Slack keeps everything else typed in the form.
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { photos: '“quote.pdf” is not a photo: add JPG, PNG, GIF, WebP or HEIC images only.' },
    });
    const schoolId = await schoolIdOf(s.teamId);
    expect(await incidentsOf(schoolId)).toHaveLength(0);
    expect(await photosOf(schoolId)).toHaveLength(0);
  });

  it('refuses an image over 10 MB, naming it and its size', async () => {
    const s = await slackSchool(app, SPOC_CHANNEL);
    const big = uploadedImage(uniqueId('F'), 'whiteboard.jpg', 11 * MB);
    const res = await report(s.teacher, [big]);
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { photos: '“whiteboard.jpg” is 11.0 MB: each photo must be 10 MB or less.' },
    });
    expect(await incidentsOf(await schoolIdOf(s.teamId))).toHaveLength(0);
  });

  it('refuses more than 3 photos', async () => {
    const s = await slackSchool(app, SPOC_CHANNEL);
    const four = [1, 2, 3, 4].map((n) => uploadedImage(uniqueId('F'), `photo-${n}.jpg`, MB));
    const res = await report(s.teacher, four);
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { photos: 'Add at most 3 photos: remove 1 of the 4.' },
    });
    expect(await incidentsOf(await schoolIdOf(s.teamId))).toHaveLength(0);
  });
});

describe('photos kept with the incident', () => {
  it('records them with the report, shows them on the card and in the thread, and copies them afterwards', async () => {
    const s = await slackSchool(app, SPOC_CHANNEL);
    const schoolId = await schoolIdOf(s.teamId);
    const jpg = uploadedImage(uniqueId('F'), 'projector.jpg', JPEG.length);
    const png = uploadedImage(uniqueId('F'), 'error.png', PNG.length, {
      mimetype: 'image/png',
      filetype: 'png',
    });
    const webp = uploadedImage(uniqueId('F'), 'cable.webp', WEBP.length, {
      mimetype: 'image/webp',
      filetype: 'webp',
    });
    const viewId = uniqueId('V');

    // The form is answered at once: nothing is fetched from Slack while the person waits.
    const res = await report(s.teacher, [jpg, png, webp], viewId);
    expect(res.json().response_action).toBe('update');
    expect(textOf(res.json().view)).toContain('INC-1');
    const [incident] = await incidentsOf(schoolId);
    const rows = await photosOf(schoolId);
    expect(rows.map((r) => [r.slackFileId, r.name, r.mimetype, r.bytes, r.storedPath, r.data])).toEqual(
      expect.arrayContaining([
        [jpg.id, 'projector.jpg', 'image/jpeg', JPEG.length, null, null],
        [png.id, 'error.png', 'image/png', PNG.length, null, null],
        [webp.id, 'cable.webp', 'image/webp', WEBP.length, null, null],
      ]),
    );
    expect(rows.every((r) => r.incidentId === incident!.id)).toBe(true);

    // The same submission again (Slack retried it) records nothing more.
    const again = await report(s.teacher, [jpg, png, webp], viewId);
    expect(textOf(again.json().view)).toContain('INC-1');
    expect(await incidentsOf(schoolId)).toHaveLength(1);
    expect(await photosOf(schoolId)).toHaveLength(3);
    const queued = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, schoolId));
    expect(queued.map((r) => (r.message as { type: string }).type).sort()).toEqual([
      'incident.card',
      'incident.photos',
      'person.notify',
      'photos.copy',
    ]);

    // The outbox: the card (saying how many photos), the reporter's DM, the photos in the thread,
    // and the copy, whose first download fails and is tried again.
    const card = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000100' },
      { match: inSpoc },
    );
    const dm = expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764494100.000200' },
      { match: (a) => a.channel === s.teacher.userId },
    );
    const thread = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000300' },
      { match: inThread },
    );
    // The WebP is linked (Slack shows only PNG, JPEG and GIF inline): its permalink is asked for.
    pinInfo(webp, 2);
    pinInfo(jpg, 2);
    pinInfo(png);
    const failed = pinDownload(jpg, 500, JPEG, 'image/jpeg');
    const pngDownload = pinDownload(png, 200, PNG, 'image/png');
    const webpDownload = pinDownload(webp, 200, WEBP, 'image/webp');
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 3, retried: 1, dead: 0 });
    expect(failed.isDone() && pngDownload.isDone() && webpDownload.isDone()).toBe(true);

    expect(textOf(card.calls[0]!.blocks)).toContain(':camera: 3 photos');
    expect(dm.calls).toHaveLength(1);
    expect(thread.calls[0]!.text).toBe(':camera: 3 photos with the report, from ms.patel');
    expect(thread.calls[0]!.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: ':camera: 3 photos with the report, from ms.patel' } },
      {
        type: 'image',
        slack_file: { id: jpg.id },
        alt_text: 'Photo 1 of 3: projector.jpg',
        title: { type: 'plain_text', text: 'projector.jpg', emoji: false },
      },
      {
        type: 'image',
        slack_file: { id: png.id },
        alt_text: 'Photo 2 of 3: error.png',
        title: { type: 'plain_text', text: 'error.png', emoji: false },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${webp.permalink}|cable.webp>` }] },
    ]);

    // Two copies kept (in the database: no data directory in this deployment), one to try again.
    const copied = async () =>
      Object.fromEntries(
        (await photosOf(schoolId)).map((r) => [
          r.slackFileId,
          r.data ? Buffer.from(r.data).toString('hex') : null,
        ]),
      );
    expect(await copied()).toEqual({
      [jpg.id]: null,
      [png.id]: PNG.toString('hex'),
      [webp.id]: WEBP.toString('hex'),
    });

    // The retry, after its backoff: only the photo not yet copied is fetched, with the token.
    const retried = pinDownload(jpg, 200, JPEG, 'image/jpeg');
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
    clock.advance(5_000);
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(retried.isDone()).toBe(true);
    expect(await copied()).toEqual({
      [jpg.id]: JPEG.toString('hex'),
      [png.id]: PNG.toString('hex'),
      [webp.id]: WEBP.toString('hex'),
    });

    // Copying again (a repeated job) fetches nothing: every photo has its copy.
    await enqueue(tdb.db, schoolId, [{ type: 'photos.copy', incidentId: incident!.id }], clock.now());
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
  });

  it('leaves a photo deleted from Slack without a copy, and does not try it again', async () => {
    const s = await slackSchool(app, SPOC_CHANNEL);
    const schoolId = await schoolIdOf(s.teamId);
    const jpg = uploadedImage(uniqueId('F'), 'gone.jpg', JPEG.length);
    await report(s.teacher, [jpg]);
    expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000100' },
      { match: inSpoc },
    );
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764494100.000200' },
      {
        match: (a) => a.channel === s.teacher.userId,
      },
    );
    expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000300' },
      { match: inThread },
    );
    expectApi('files.info', { ok: false, error: 'file_not_found' }, { match: (a) => a.file === jpg.id });
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 4, retried: 0, dead: 0 });
    const [row] = await photosOf(schoolId);
    expect(row).toMatchObject({ slackFileId: jpg.id, storedPath: null, data: null });
  });

  it('keeps no copy of a file Slack itself says is not an image', async () => {
    const s = await slackSchool(app, SPOC_CHANNEL);
    const schoolId = await schoolIdOf(s.teamId);
    const claimed = uploadedImage(uniqueId('F'), 'photo.png', 1_000, {
      mimetype: 'image/png',
      filetype: 'png',
    });
    await report(s.teacher, [claimed]);
    expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000100' },
      { match: inSpoc },
    );
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764494100.000200' },
      {
        match: (a) => a.channel === s.teacher.userId,
      },
    );
    expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000300' },
      { match: inThread },
    );
    pinInfo({ ...claimed, mimetype: 'application/pdf', filetype: 'pdf' });
    pinDownload(claimed, 200, Buffer.from('%PDF-1.7'), 'application/pdf');
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 4, retried: 0, dead: 0 });
    const [row] = await photosOf(schoolId);
    expect(row).toMatchObject({ storedPath: null, data: null });
  });

  it('links every photo when Slack will not show them inline', async () => {
    const s = await slackSchool(app, SPOC_CHANNEL);
    const jpg = uploadedImage(uniqueId('F'), 'desk.jpg', JPEG.length);
    await report(s.teacher, [jpg]);
    expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000100' },
      { match: inSpoc },
    );
    expectApi(
      'chat.postMessage',
      { ok: true, channel: 'D0TEACHER1', ts: '1764494100.000200' },
      {
        match: (a) => a.channel === s.teacher.userId,
      },
    );
    const refused = expectApi(
      'chat.postMessage',
      { ok: false, error: 'invalid_blocks' },
      {
        match: (a) => inThread(a) && (a.blocks ?? []).some((b) => b.type === 'image'),
      },
    );
    const linked = expectApi(
      'chat.postMessage',
      { ok: true, channel: SPOC_CHANNEL, ts: '1764494100.000300' },
      {
        match: (a) => inThread(a) && !(a.blocks ?? []).some((b) => b.type === 'image'),
      },
    );
    pinInfo(jpg, 2);
    pinDownload(jpg, 200, JPEG, 'image/jpeg');
    expect(await app.dispatcher.runOnce()).toEqual({ sent: 4, retried: 0, dead: 0 });
    expect(refused.calls).toHaveLength(1);
    expect(linked.calls[0]!.blocks!.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${jpg.permalink}|desk.jpg>` }],
    });
  });
});

describe('school scoping', () => {
  it('never lists another school’s photos', async () => {
    const a = await slackSchool(app, SPOC_CHANNEL);
    const b = await slackSchool(app, SPOC_CHANNEL);
    await report(a.teacher, [uploadedImage(uniqueId('F'), 'a.jpg', 10)]);
    const [incidentA] = await incidentsOf(await schoolIdOf(a.teamId));
    const { listIncidentPhotos } = await import('../../../src/db/queries/photos');
    expect(await listIncidentPhotos(tdb.db, await schoolIdOf(b.teamId), incidentA!.id)).toEqual([]);
    expect(await listIncidentPhotos(tdb.db, await schoolIdOf(a.teamId), incidentA!.id)).toHaveLength(1);
    await tdb.db.delete(outbox).where(and(eq(outbox.schoolId, await schoolIdOf(a.teamId))));
  });
});
