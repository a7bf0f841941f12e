import { parse } from 'csv-parse/sync';
import { and, eq, sql } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALLBACK, REGISTER_BLOCK } from '../../../src/bot/slack/ids';
import { findSchoolBySlackTeam } from '../../../src/db/queries/schools';
import { assets, locations } from '../../../src/db/schema';
import { fixedClock } from '../../../src/domain/clock';
import { MAX_IMPORT_ROWS } from '../../../src/domain/imports/read-csv';
import { silentLogger } from '../../../src/log';
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
import { FILES_HOST, uploadedFile } from '../../support/slack-files';
import { BOT_TOKEN, slashCommand, viewSubmission, type Who } from '../../support/slack-payloads';
import { until } from '../../support/wait';

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

async function school() {
  return slackSchool(app, 'C0SPOC0009');
}

/** A school's spreadsheet: 2,000 devices across 40 rooms, UK dates, £ costs, spreadsheet headings. */
function spreadsheet(rows: number): string {
  const lines = ['Asset Tag,Type,Make,Model,Serial No.,Room,Purchase Date,Cost (£),Warranty,Notes'];
  for (let i = 1; i <= rows; i++) {
    const type = i % 10 === 0 ? 'Projector' : 'Laptop';
    lines.push(
      `LAP-${String(i).padStart(4, '0')},${type},Dell,"Latitude 3440, 14""",SN${i},Room ${(i % 40) + 1},01/09/2024,"£1,049.50",31/08/2027,`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Uploads a file through the import form and returns the preview view Slack was asked to show. */
async function uploadAndPreview(
  who: Who,
  kind: string,
  name: string,
  content: string,
  checked: string[] = [],
) {
  const open = expectApi('views.open', { ok: true });
  await app.send(slashCommand(who, '/spoc', `import ${kind}`));
  const form = (await until(() => open.calls[0], 'import form')).view!;
  expect(form.callback_id).toBe(CALLBACK.importModal);
  const fileId = uniqueId('F');
  const file = uploadedFile(fileId, name, Buffer.byteLength(content));
  expectApi('files.info', { ok: true, file }, { match: (a) => a.file === fileId });
  const download = nock(FILES_HOST)
    .get(`/files-pri/T0-${fileId}/download/${name}`)
    .matchHeader('authorization', `Bearer ${BOT_TOKEN}`)
    .reply(200, content, { 'content-type': 'text/csv' });
  const update = expectApi('views.update', { ok: true });
  const ack = await app.send(
    viewSubmission(
      who,
      CALLBACK.importModal,
      { [REGISTER_BLOCK.file]: { files: [file] }, [REGISTER_BLOCK.createLocations]: { checked } },
      {
        viewId: 'V0IMPORT01',
        privateMetadata: form.private_metadata as string,
      },
    ),
  );
  expect(ack.json()).toMatchObject({
    response_action: 'update',
    view: { title: { text: `Import ${kind}` } },
  });
  expect(textOf(ack.json().view)).toContain(`Checking *${name}*`);
  const preview = (await until(() => update.calls[0], 'preview')) as ApiArgs;
  expect(download.isDone()).toBe(true);
  expect(preview.view_id).toBe('V0IMPORT01');
  return preview.view!;
}

/** The file content of a multipart/form-data upload (Web API uploads the bytes as a form). */
function fileFromMultipart(body: string): string {
  const boundary = body.slice(0, body.indexOf('\r\n'));
  if (!boundary.startsWith('--')) return body;
  const part = body.split(boundary).find((p) => p.includes('filename='));
  if (!part) return body;
  const start = part.indexOf('\r\n\r\n') + 4;
  return part.slice(start, part.lastIndexOf('\r\n'));
}

/**
 * Presses Import on a preview: the form says the import is under way at once, then shows the
 * outcome through views.update. Returns that outcome view.
 */
async function commit(who: Who, preview: Record<string, unknown>) {
  const update = expectApi('views.update', { ok: true });
  const ack = await app.send(
    viewSubmission(
      who,
      CALLBACK.importPreview,
      {},
      { viewId: 'V0IMPORT01', privateMetadata: preview.private_metadata as string },
    ),
  );
  expect(textOf(ack.json().view)).toContain('Importing');
  // Not a speed check (the benchmark measures that): a 20,000-row import on a busy machine may
  // take longer than the default wait.
  const result = await until(() => update.calls[0], 'import result', 30_000);
  expect(result.view_id).toBe('V0IMPORT01');
  return result.view!;
}

async function countAssets(teamId: string) {
  const s = await findSchoolBySlackTeam(tdb.db, teamId);
  return (await tdb.db.select().from(assets).where(eq(assets.schoolId, s!.id))).length;
}

describe('CSV import through Slack', () => {
  it('imports a 2,000-row asset spreadsheet with a preview and a report, and a re-import changes nothing', async () => {
    const s = await school();
    const csv = spreadsheet(2000);

    // Without permission to create the 40 rooms, the preview says so and offers no Import button.
    const blocked = await uploadAndPreview(s.office, 'assets', 'devices.csv', csv);
    expect(textOf(blocked)).toContain('*2000* new · *0* updated · *0* unchanged · *0* refused');
    expect(textOf(blocked)).toContain('These locations are not in the list');
    expect(blocked.submit).toBeUndefined();
    expect(await countAssets(s.teamId)).toBe(0);

    const preview = await uploadAndPreview(s.office, 'assets', 'devices.csv', csv, ['yes']);
    expect(textOf(preview)).toContain('These locations will be created: Room 2, Room 3');
    expect(preview.submit).toMatchObject({ text: 'Import' });
    const done = await commit(s.office, preview);
    expect(textOf(done)).toContain('*devices.csv* imported.');
    expect(textOf(done)).toContain('*2000* new');
    expect(await countAssets(s.teamId)).toBe(2000);
    const row = await findSchoolBySlackTeam(tdb.db, s.teamId);
    const [one] = await tdb.db
      .select()
      .from(assets)
      .where(and(eq(assets.schoolId, row!.id), eq(assets.tag, 'LAP-0010')));
    expect(one).toMatchObject({
      type: 'projector',
      model: 'Latitude 3440, 14"',
      purchaseDate: '2024-09-01',
      costPence: 104950,
      warrantyEnd: '2027-08-31',
    });
    const rooms = await tdb.db.select().from(locations).where(eq(locations.schoolId, row!.id));
    expect(rooms.filter((r) => r.name.startsWith('Room '))).toHaveLength(40);

    // Committing the same preview again does nothing twice.
    const again = await commit(s.office, preview);
    expect(textOf(again)).toContain('devices.csv has already been imported.');

    // The same file again: all unchanged, nothing to import.
    const rerun = await uploadAndPreview(s.office, 'assets', 'devices.csv', csv, ['yes']);
    expect(textOf(rerun)).toContain('*0* new · *0* updated · *2000* unchanged · *0* refused');
    expect(rerun.submit).toBeUndefined();
  });

  it('imports a spreadsheet at the documented limit (20,000 rows) and says so in the form', async () => {
    const s = await school();
    const csv = spreadsheet(MAX_IMPORT_ROWS);
    const preview = await uploadAndPreview(s.office, 'assets', 'all-devices.csv', csv, ['yes']);
    expect(textOf(preview)).toContain('*20000* new · *0* updated · *0* unchanged · *0* refused');
    const done = await commit(s.office, preview);
    expect(textOf(done)).toContain('*all-devices.csv* imported.');
    expect(textOf(done)).toContain('*20000* new');
    expect(await countAssets(s.teamId)).toBe(MAX_IMPORT_ROWS);
  }, 120_000);

  it('reports each refused row by line and imports nothing', async () => {
    const s = await school();
    const csv = [
      'Tag,Type,Room,Purchase Date,Cost',
      'PC-1,Desktop,Library,01/09/2024,500',
      'PC-2,Toaster,Library,31/02/2024,-5',
      'PC-1,Desktop,Hall,,',
      '',
    ].join('\n');
    const preview = await uploadAndPreview(s.office, 'assets', 'bad.csv', csv);
    const text = textOf(preview);
    expect(text).toContain('*1* new · *0* updated · *0* unchanged · *2* refused');
    expect(text).toMatch(/Line 3: .*Type.*Toaster/);
    expect(text).toMatch(/Line 3: .*"31\/02\/2024" is not a date/);
    expect(text).toContain('Line 4: ');
    expect(text).toContain('already on line 2');
    expect(preview.submit).toBeUndefined();
    expect(await countAssets(s.teamId)).toBe(0);
  });

  it('refuses a file over 5 MB beside the field', async () => {
    const s = await school();
    const open = expectApi('views.open', { ok: true });
    await app.send(slashCommand(s.office, '/spoc', 'import assets'));
    const form = (await until(() => open.calls[0], 'form')).view!;
    const res = await app.send(
      viewSubmission(
        s.office,
        CALLBACK.importModal,
        { [REGISTER_BLOCK.file]: { files: [uploadedFile('FBIG', 'huge.csv', 5.5 * 1024 * 1024)] } },
        {
          privateMetadata: form.private_metadata as string,
        },
      ),
    );
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { file: 'The file is 5.5 MB; the largest import is 5 MB.' },
    });
  });

  it('never sends the bot token to a URL taken from the payload', async () => {
    const s = await school();
    const open = expectApi('views.open', { ok: true });
    await app.send(slashCommand(s.office, '/spoc', 'import assets'));
    const form = (await until(() => open.calls[0], 'form')).view!;
    const stolen: string[] = [];
    const evil = nock('https://attacker.example').persist().get(/.*/);
    evil.reply(function () {
      stolen.push(String(this.req.headers.authorization));
      return [200, 'Tag\nPC-1'];
    });
    const forged = {
      ...uploadedFile('F0FORGED1', 'devices.csv', 20),
      url_private: 'https://attacker.example/steal',
      url_private_download: 'https://attacker.example/steal?download=1',
    };
    const submit = (who: Who) =>
      app.send(
        viewSubmission(
          who,
          CALLBACK.importModal,
          { [REGISTER_BLOCK.file]: { files: [forged] } },
          { viewId: 'V0FORGED01', privateMetadata: form.private_metadata as string },
        ),
      );

    // A teacher, and a user of another school, are refused before anything is fetched.
    const teacher: Who = { teamId: s.teamId, userId: uniqueId('U'), userName: 'ms.patel' };
    expect((await submit(teacher)).json()).toEqual({
      response_action: 'errors',
      errors: { [REGISTER_BLOCK.file]: 'Only office staff (the SPOC) can change the registers.' },
    });
    const other = await slackSchool(app, 'C0SPOC0099');
    const outsider: Who = { teamId: other.teamId, userId: uniqueId('U'), userName: 'stranger' };
    expect((await submit(outsider)).json()).toMatchObject({ response_action: 'errors' });

    // The office: the file is looked up by id, and Slack's own address is the one downloaded.
    expectApi(
      'files.info',
      { ok: true, file: uploadedFile('F0FORGED1', 'devices.csv', 20) },
      {
        match: (a) => a.file === 'F0FORGED1',
      },
    );
    const real = nock(FILES_HOST)
      .get('/files-pri/T0-F0FORGED1/download/devices.csv')
      .matchHeader('authorization', `Bearer ${BOT_TOKEN}`)
      .reply(200, 'Tag,Type,Room\nPC-9,Desktop,Library\n', { 'content-type': 'text/csv' });
    const update = expectApi('views.update', { ok: true });
    await submit(s.office);
    const preview = await until(() => update.calls[0], 'preview');
    expect(textOf(preview.view)).toContain('*1* new');
    expect(real.isDone()).toBe(true);

    // Should files.info itself name another host, nothing is fetched from it either.
    expectApi('files.info', { ok: true, file: forged }, { match: (a) => a.file === 'F0FORGED1' });
    const refused = expectApi('views.update', { ok: true });
    await submit(s.office);
    const problem = await until(() => refused.calls[0], 'problem view');
    expect(textOf(problem.view)).toContain('Slack would not give me the file');

    expect(stolen).toEqual([]);
    nock.removeInterceptor(evil);
  });

  it('says in the preview that a contracts sheet with no Title column is titled by its Service', async () => {
    const s = await school();
    const csv = [
      'Supplier,Service,Start Date,End Date,Notice (days),Value',
      'Oakwood ICT,Technical support,01/09/2026,31/08/2027,90,"£4,500.00"',
      '',
    ].join('\r\n');
    const preview = await uploadAndPreview(s.office, 'contracts', 'contracts.csv', csv, ['yes']);
    expect(textOf(preview)).toContain('*1* new · *0* updated · *0* unchanged · *0* refused');
    expect(textOf(preview)).toContain('No Title column: titles were taken from the Service column.');
    expect(preview.submit).toMatchObject({ text: 'Import' });
  });

  it('is office work: a teacher is told, not shown the form', async () => {
    const s = await school();
    const teacher: Who = { teamId: s.teamId, userId: uniqueId('U'), userName: 'ms.patel' };
    const said: Array<{ text?: string }> = [];
    nock('https://hooks.slack.com')
      .post(`/commands/${s.teamId}/1111/cmdresponse`)
      .reply((_uri, body) => {
        said.push(body as { text?: string });
        return [200, 'ok'];
      });
    await app.send(slashCommand(teacher, '/spoc', 'import assets'));
    const reply = await until(() => said[0], 'refusal');
    expect(reply.text).toBe('Only office staff (the SPOC) can change the registers.');
  });
});

/**
 * A fault injected in the database: inserting into `table` a row whose `column` is `value` raises
 * an error, as a write the database cannot take would. Removed again by the returned function.
 */
async function refuseRow(table: string, column: string, value: string): Promise<() => Promise<void>> {
  const name = uniqueId('refuse_').toLowerCase();
  await tdb.rows(
    sql.raw(`create function ${name}() returns trigger language plpgsql as $$
      begin
        if new.${column} = '${value}' then raise exception 'injected failure'; end if;
        return new;
      end $$`),
  );
  await tdb.rows(
    sql.raw(`create trigger ${name} before insert on ${table} for each row execute function ${name}()`),
  );
  return async () => {
    await tdb.rows(sql.raw(`drop trigger ${name} on ${table}`));
    await tdb.rows(sql.raw(`drop function ${name}()`));
  };
}

describe('an import that fails in SPOC itself', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('replaces "Importing…" with the failure and its reference, logged once, with no apology DM', async () => {
    const s = await school();
    const restore = await refuseRow('assets', 'tag', 'BOOM-1');
    try {
      const csv = 'Tag,Type,Room\nPC-1,Desktop,Library\nBOOM-1,Desktop,Library\n';
      const preview = await uploadAndPreview(s.office, 'assets', 'boom.csv', csv, ['yes']);
      expect(preview.submit).toMatchObject({ text: 'Import' });
      const errors = vi.spyOn(silentLogger, 'error');
      const warnings = vi.spyOn(silentLogger, 'warn');

      // commit() checks that the ack said "Importing…" and returns the view that replaced it.
      const failed = await commit(s.office, preview);
      const text = textOf(failed);
      const ref = text.match(/The import failed, so nothing was imported \(ref (E-[0-9A-F]{8})\)/)?.[1];
      expect(ref).toBeDefined();
      expect(text).not.toContain('Importing');
      expect(failed.submit).toBeUndefined();
      expect(errors).toHaveBeenCalledTimes(1);
      expect(errors.mock.calls[0]?.[0]).toMatchObject({ ref, kind: 'assets', stage: 'importing' });
      expect(warnings).not.toHaveBeenCalled();
      expect(await countAssets(s.teamId)).toBe(0);
    } finally {
      await restore();
    }
  });

  it('replaces "Checking…" with the failure and its reference when the preview cannot be kept', async () => {
    const s = await school();
    const restore = await refuseRow('import_batches', 'file_name', 'stuck.csv');
    try {
      const errors = vi.spyOn(silentLogger, 'error');
      const shown = await uploadAndPreview(s.office, 'assets', 'stuck.csv', 'Tag,Type\nPC-1,Desktop\n');
      const ref = textOf(shown).match(
        /I could not check the file, so nothing was imported \(ref (E-[0-9A-F]{8})\)/,
      )?.[1];
      expect(ref).toBeDefined();
      expect(errors).toHaveBeenCalledTimes(1);
      expect(errors.mock.calls[0]?.[0]).toMatchObject({ ref, stage: 'checking' });
    } finally {
      await restore();
    }
  });
});

describe('CSV export through Slack', () => {
  it('sends the register to the caller’s DMs, neutralising formula cells, and it re-imports unchanged', async () => {
    const s = await school();
    const csv = [
      'Tag,Type,Room,Notes',
      'PC-1,Desktop,Library,"=HYPERLINK(""http://evil"",""x"")"',
      'PC-2,Desktop,Hall,@SUM(A1)',
      '',
    ].join('\r\n');
    const preview = await uploadAndPreview(s.office, 'assets', 'two.csv', csv);
    await commit(s.office, preview);

    expectApi(
      'conversations.open',
      { ok: true, channel: { id: 'D0OFFICE01' } },
      { match: (a) => a.users === s.office.userId },
    );
    expectApi('files.getUploadURLExternal', {
      ok: true,
      upload_url: `${FILES_HOST}/upload/v1/ABC`,
      file_id: 'F0EXPORT01',
    });
    let uploaded = '';
    const upload = nock(FILES_HOST)
      .post('/upload/v1/ABC', (body) => {
        uploaded = fileFromMultipart(
          typeof body === 'string' ? body : Buffer.from(body as Buffer).toString('utf8'),
        );
        return true;
      })
      .reply(200, 'OK');
    const complete = expectApi('files.completeUploadExternal', { ok: true, files: [{ id: 'F0EXPORT01' }] });
    const respond = nock('https://hooks.slack.com')
      .post(`/commands/${s.teamId}/1111/cmdresponse`)
      .reply(200, 'ok');
    await app.send(slashCommand(s.office, '/spoc', 'export assets'));
    await until(() => (respond.isDone() ? true : undefined), 'export reply');
    expect(upload.isDone()).toBe(true);
    expect(complete.calls[0]).toMatchObject({ channel_id: 'D0OFFICE01' });
    const rows = parse(uploaded.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r['Asset tag'], r.Location, r.Notes])).toEqual([
      ['PC-1', 'Library', `'=HYPERLINK("http://evil","x")`],
      ['PC-2', 'Hall', `'@SUM(A1)`],
    ]);
    // Round trip: the export imports as all unchanged.
    const back = await uploadAndPreview(s.office, 'assets', 'export.csv', uploaded);
    expect(textOf(back)).toContain('*0* new · *0* updated · *2* unchanged · *0* refused');
  });
});
