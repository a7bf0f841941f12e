/**
 * Photos with a report: the rules (images only, 10 MB each, at most 3), the report recording them
 * once with the copy and the thread message queued, the card saying how many, and where the copy
 * is kept (the data directory with the embedded database, else the photo's row).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhotoStore, photoStorageFor } from '../../../src/db/photo-store';
import { listIncidentPhotos } from '../../../src/db/queries/photos';
import { incidentPhotos, outbox } from '../../../src/db/schema';
import { checkPhotos, type PhotoInput } from '../../../src/domain/incidents/photos';
import { reportFault } from '../../../src/domain/incidents/report-fault';
import { DEFAULT_SLA } from '../../../src/domain/incidents/sla';
import { presentIncidentCard } from '../../../src/domain/presenters/incident-card';
import { makeCalendar } from '../../../src/domain/school-time';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { makeSchool } from '../../support/factories';
import { incidentDetail } from '../../support/incident-detail';
import { must } from '../../support/wait';

const MB = 1024 * 1024;
const photo = (over: Partial<PhotoInput> = {}): PhotoInput => ({
  fileId: 'F0PHOTO1',
  name: 'projector.jpg',
  mimetype: 'image/jpeg',
  filetype: 'jpg',
  bytes: 2 * MB,
  ...over,
});

describe('checkPhotos', () => {
  it.each([
    ['no photos', [], undefined],
    [
      'three images of each kind offered',
      [
        photo(),
        photo({ fileId: 'F2', name: 'a.heic', mimetype: 'image/heic', filetype: 'heic' }),
        photo({ fileId: 'F3', name: 'b.webp', mimetype: 'image/webp', filetype: 'webp' }),
      ],
      undefined,
    ],
    ['exactly 10 MB', [photo({ bytes: 10 * MB })], undefined],
    [
      'one byte over 10 MB',
      [photo({ bytes: 10 * MB + 1 })],
      '“projector.jpg” is 10.0 MB: each photo must be 10 MB or less.',
    ],
    [
      'a PDF',
      [photo({ name: 'quote.pdf', mimetype: 'application/pdf', filetype: 'pdf' })],
      '“quote.pdf” is not a photo: add JPG, PNG, GIF, WebP or HEIC images only.',
    ],
    [
      'an SVG (an image that can carry script)',
      [photo({ name: 'x.svg', mimetype: 'image/svg+xml', filetype: 'svg' })],
      '“x.svg” is not a photo: add JPG, PNG, GIF, WebP or HEIC images only.',
    ],
    [
      'an image type the form does not offer',
      [photo({ name: 'scan.tiff', mimetype: 'image/tiff', filetype: 'tiff' })],
      '“scan.tiff” is not a photo: add JPG, PNG, GIF, WebP or HEIC images only.',
    ],
    [
      'a size Slack did not give',
      [photo({ bytes: Number.NaN })],
      '“projector.jpg” could not be read: add it again.',
    ],
    ['the same file twice', [photo(), photo()], 'Add each photo once.'],
    [
      'four photos',
      [1, 2, 3, 4].map((n) => photo({ fileId: `F${n}` })),
      'Add at most 3 photos: remove 1 of the 4.',
    ],
  ])('%s', (_what, photos, expected) => {
    expect(checkPhotos(photos)).toBe(expected);
  });
});

describe('the card', () => {
  it('says how many photos came with the report, and nothing when none did', () => {
    const live = { now: new Date('2026-11-30T10:00:00Z'), calendar: makeCalendar(), sla: DEFAULT_SLA };
    const text = (photos?: number) =>
      JSON.stringify(presentIncidentCard(incidentDetail(), { ...live, photos }).sections);
    expect(text(2)).toContain('{"emoji":":camera:"}," 2 photos"');
    expect(text(1)).toContain('" 1 photo"');
    expect(text(0)).not.toContain(':camera:');
    expect(text()).not.toContain(':camera:');
  });
});

describe('reportFault with photos', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  it('records them once with the incident, and queues the copy and the thread message', async () => {
    const s = await makeSchool(tdb.db);
    const teacher = await s.person('teacher', 'Ms Patel');
    const input = {
      summary: 'Projector shows a blue screen',
      urgency: 'today' as const,
      submissionKey: 'V0PHOTOS01',
      photos: [
        photo(),
        photo({ fileId: 'F0PHOTO2', name: 'error.png', mimetype: 'image/png', filetype: 'png' }),
      ],
    };
    const first = must(await reportFault(teacher, input));
    const again = must(await reportFault(teacher, input));
    expect(again).toMatchObject({ duplicate: true, reference: first.reference });
    const rows = await listIncidentPhotos(tdb.db, s.schoolId, first.incident.id);
    expect(rows.map((r) => [r.slackFileId, r.name, r.copied])).toEqual([
      ['F0PHOTO1', 'projector.jpg', false],
      ['F0PHOTO2', 'error.png', false],
    ]);
    const queued = await tdb.db.select().from(outbox).where(eq(outbox.schoolId, s.schoolId));
    expect(queued.map((r) => [r.message, r.orderKey.split(':').slice(1).join(':')])).toEqual([
      [{ type: 'incident.card', incidentId: first.incident.id }, `card:${first.incident.id}`],
      [expect.objectContaining({ type: 'person.notify' }), `dm:${teacher.actor.personId}`],
      [{ type: 'incident.photos', incidentId: first.incident.id }, `card:${first.incident.id}`],
      [{ type: 'photos.copy', incidentId: first.incident.id }, `photos:${first.incident.id}`],
    ]);
  });

  it('refuses bad photos beside the photos field, with the rest of the report checked too', async () => {
    const s = await makeSchool(tdb.db);
    const teacher = await s.person('teacher');
    const result = await reportFault(teacher, {
      summary: 'x',
      urgency: 'today',
      photos: [photo({ bytes: 11 * MB })],
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fields: {
          summary: 'Say in a few words what is wrong.',
          photos: '“projector.jpg” is 11.0 MB: each photo must be 10 MB or less.',
        },
      },
    });
  });

  it('keeps a copy under the data directory with the embedded database, once', async () => {
    const s = await makeSchool(tdb.db);
    const teacher = await s.person('teacher');
    const { incident } = must(
      await reportFault(teacher, { summary: 'Printer jam', urgency: 'today', photos: [photo()] }),
    );
    const [row] = await listIncidentPhotos(tdb.db, s.schoolId, incident.id);
    const dataDir = await mkdtemp(join(tmpdir(), 'spoc-photos-'));
    try {
      const store = createPhotoStore(photoStorageFor({ database: { dataDir }, playground: false }));
      expect(store.kind).toBe('disk');
      await store.keep(tdb.db, row!, Buffer.from('first'));
      const relative = `photos/${s.schoolId}/${incident.id}/${row!.id}`;
      expect(await readFile(join(dataDir, relative), 'utf8')).toBe('first');
      const [kept] = await listIncidentPhotos(tdb.db, s.schoolId, incident.id);
      expect(kept).toMatchObject({ storedPath: relative, copied: true });
      const [raw] = await tdb.db.select().from(incidentPhotos).where(eq(incidentPhotos.id, row!.id));
      expect(raw?.data).toBeNull();
      expect((await store.read(tdb.db, kept!))?.toString()).toBe('first');
      // Another school's id never reaches its file.
      const other = await makeSchool(tdb.db);
      expect(await listIncidentPhotos(tdb.db, other.schoolId, incident.id)).toEqual([]);
      expect(existsSync(join(dataDir, relative))).toBe(true);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps the copy in the database with Postgres and in the playground, recorded once', async () => {
    expect(photoStorageFor({ database: { url: 'postgres://db/spoc' }, playground: false })).toEqual({
      kind: 'database',
    });
    expect(photoStorageFor({ database: { dataDir: './data' }, playground: true })).toEqual({
      kind: 'database',
    });
    const s = await makeSchool(tdb.db);
    const teacher = await s.person('teacher');
    const { incident } = must(
      await reportFault(teacher, { summary: 'Printer jam', urgency: 'today', photos: [photo()] }),
    );
    const [row] = await listIncidentPhotos(tdb.db, s.schoolId, incident.id);
    const store = createPhotoStore({ kind: 'database' });
    await store.keep(tdb.db, row!, Buffer.from([1, 2, 3]));
    await store.keep(tdb.db, row!, Buffer.from([9, 9, 9]));
    expect([...((await store.read(tdb.db, row!)) ?? [])]).toEqual([1, 2, 3]);
    // Read only within its own school.
    const other = await makeSchool(tdb.db);
    expect(await store.read(tdb.db, { ...row!, schoolId: other.schoolId })).toBeUndefined();
  });
});
