/**
 * Control characters through the real Bolt app: the global input cleaning strips them from every
 * request before a listener sees it, and a CSV holding one is previewed with the row refused.
 */
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK, REGISTER_BLOCK } from '../../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { assets, incidents } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { T0, uniqueId } from '../../support/factories';
import {
  assertAllCallsMade,
  expectApi,
  type SlackTestApp,
  slackSchool,
  startSlackTestApp,
  textOf,
} from '../../support/slack-app';
import { FILES_HOST, uploadedFile } from '../../support/slack-files';
import { BOT_TOKEN, slashCommand, viewSubmission, type Who } from '../../support/slack-payloads';
import { until } from '../../support/wait';

const NUL = '\u0000';

let tdb: TestDatabase;
let app: SlackTestApp;
beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await startSlackTestApp(tdb, fixedClock(T0));
});
afterAll(async () => {
  await app?.stop();
  await tdb?.destroy();
});
afterEach(assertAllCallsMade);

async function schoolIdOf(teamId: string) {
  const school = await findSchoolBySlackTeam(tdb.db, teamId);
  if (!school) throw new Error(`no school for ${teamId}`);
  return school.id;
}

describe('the fault form', () => {
  it('saves a report whose summary and description hold control characters, without them', async () => {
    const s = await slackSchool(app, 'C0SPOCNUL1');
    const res = await app.send(
      viewSubmission(
        s.teacher,
        CALLBACK.faultModal,
        {
          summary: `Projector${NUL} in the hall${'\u001b'} is dead \u{1F4A5}\ud83d`,
          description: `Shows "No signal"${NUL}\r\nsince Monday\tafter${'\u007f'} the update`,
          urgency: { option: 'lesson_stopped' },
        },
        { viewId: uniqueId('V') },
      ),
    );
    expect(res.status).toBe(200);
    const ack = res.json();
    expect(ack.response_action).toBe('update');
    expect(textOf(ack.view)).toContain('INC-1');
    expect(textOf(ack.view)).not.toMatch(/sorry|went wrong/i);

    const schoolId = await schoolIdOf(s.teamId);
    const [saved] = await tdb.db
      .select()
      .from(incidents)
      .where(and(eq(incidents.schoolId, schoolId), eq(incidents.number, 1)));
    expect(saved?.summary).toBe('Projector in the hall is dead \u{1F4A5}');
    expect(saved?.description).toBe('Shows "No signal"\nsince Monday\tafter the update');
  });
});

describe('CSV import', () => {
  it('previews a NUL in a cell as a refused row, by its line, and keeps nothing', async () => {
    const s = await slackSchool(app, 'C0SPOCNUL2');
    const content = ['Asset Tag,Type,Make,Notes', 'A1,Laptop,Dell,fine', `A2,Laptop,Dell,bad${NUL}`, ''].join(
      '\r\n',
    );
    const preview = await uploadAndPreview(s.office, 'nul.csv', content);
    const text = textOf(preview);
    expect(text).toContain('*1* new · *0* updated · *0* unchanged · *1* refused');
    expect(text).toContain('Line 3: "Notes" has a NUL character (U+0000), which cannot be saved: remove it');
    expect(preview.submit).toBeUndefined();
    const schoolId = await schoolIdOf(s.teamId);
    expect(await tdb.db.select().from(assets).where(eq(assets.schoolId, schoolId))).toEqual([]);
  });
});

/** Uploads a file through `/spoc import assets` and returns the preview view Slack was asked to show. */
async function uploadAndPreview(who: Who, name: string, content: string) {
  const open = expectApi('views.open', { ok: true });
  await app.send(slashCommand(who, '/spoc', 'import assets'));
  const form = (await until(() => open.calls[0], 'import form')).view!;
  const fileId = uniqueId('F');
  const file = uploadedFile(fileId, name, Buffer.byteLength(content));
  expectApi('files.info', { ok: true, file }, { match: (a) => a.file === fileId });
  nock(FILES_HOST)
    .get(`/files-pri/T0-${fileId}/download/${name}`)
    .matchHeader('authorization', `Bearer ${BOT_TOKEN}`)
    .reply(200, content, { 'content-type': 'text/csv' });
  const update = expectApi('views.update', { ok: true });
  await app.send(
    viewSubmission(
      who,
      CALLBACK.importModal,
      {
        [REGISTER_BLOCK.file]: { files: [file] },
        [REGISTER_BLOCK.createLocations]: { checked: [] },
      },
      { viewId: 'V0IMPORTNUL', privateMetadata: form.private_metadata as string },
    ),
  );
  return (await until(() => update.calls[0], 'preview')).view!;
}
