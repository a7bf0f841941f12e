/**
 * Where SPOC keeps its own copy of a photo's bytes. With the embedded database the copy is a
 * file beside it, under the data directory (`photos/<school>/<incident>/<photo>`), so the
 * database stays small and one backup of SPOC_DATA_DIR holds both. With Postgres (several
 * replicas may serve, none sharing a disk) and in the playground (whose workspace is a stand-in,
 * and whose database can be thrown away whole) the copy is in the photo's row (`data`, bytea).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { isUuid } from '../domain/ids';
import type { Db } from './client';
import { type PhotoRow, readPhotoData, recordPhotoCopy } from './queries/photos';

export type PhotoStorage = { kind: 'disk'; dataDir: string } | { kind: 'database' };

/**
 * The storage a deployment uses: on disk under SPOC_DATA_DIR when the database is the embedded
 * one in that directory (and not the playground), else in the database.
 */
export function photoStorageFor(config: {
  database: { url: string } | { dataDir: string };
  playground: boolean;
}): PhotoStorage {
  return 'dataDir' in config.database && !config.playground
    ? { kind: 'disk', dataDir: config.database.dataDir }
    : { kind: 'database' };
}

export interface PhotoStore {
  readonly kind: PhotoStorage['kind'];
  /** Keeps a copy of a photo's bytes; a photo already copied is left as it is. */
  keep(db: Db, photo: Pick<PhotoRow, 'id' | 'schoolId' | 'incidentId'>, bytes: Uint8Array): Promise<void>;
  /** The copy's bytes, or undefined when none is kept. */
  read(
    db: Db,
    photo: Pick<PhotoRow, 'id' | 'schoolId' | 'incidentId' | 'storedPath'>,
  ): Promise<Buffer | undefined>;
}

/** The copy's path relative to the data directory: ids only (uuids), so it names nothing else. */
function relativePath(photo: Pick<PhotoRow, 'id' | 'schoolId' | 'incidentId'>): string {
  for (const id of [photo.schoolId, photo.incidentId, photo.id])
    if (!isUuid(id)) throw new Error('a photo is stored by its ids, which must be uuids');
  return ['photos', photo.schoolId, photo.incidentId, photo.id].join('/');
}

export function createPhotoStore(storage: PhotoStorage): PhotoStore {
  if (storage.kind === 'database') {
    return {
      kind: 'database',
      async keep(db, photo, bytes) {
        await recordPhotoCopy(db, photo.schoolId, photo.id, { data: Buffer.from(bytes) });
      },
      async read(db, photo) {
        return readPhotoData(db, photo.schoolId, photo.id);
      },
    };
  }
  const root = resolve(storage.dataDir);
  const inRoot = (relative: string) => {
    const path = resolve(root, relative);
    if (!path.startsWith(root + sep)) throw new Error('a stored photo must be under the data directory');
    return path;
  };
  return {
    kind: 'disk',
    async keep(db, photo, bytes) {
      const relative = relativePath(photo);
      const path = inRoot(relative);
      await mkdir(dirname(path), { recursive: true });
      // Written whole, then renamed into place: a crash never leaves half a photo under its name.
      const partial = `${path}.${process.pid}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, path);
      await recordPhotoCopy(db, photo.schoolId, photo.id, { storedPath: relative });
    },
    async read(_db, photo) {
      if (!photo.storedPath) return undefined;
      return readFile(inRoot(join(photo.storedPath))).catch(() => undefined);
    },
  };
}
