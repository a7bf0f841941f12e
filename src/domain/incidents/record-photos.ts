import type { Db } from '../../db/client';
import { insertIncidentPhotos } from '../../db/queries/photos';
import type { OutboxMessage } from '../messages';
import type { PhotoInput } from './photos';

/**
 * Records a report's photos in its transaction, and the outbox messages that follow: the copy of
 * each photo's bytes, fetched after the commit, and the photos shown in the card's thread (after
 * the card). None when the report came without photos.
 */
export async function recordPhotos(
  tx: Db,
  schoolId: string,
  incidentId: string,
  photos: readonly PhotoInput[],
  now: Date,
): Promise<OutboxMessage[]> {
  if (photos.length === 0) return [];
  await insertIncidentPhotos(tx, schoolId, incidentId, photos, now);
  return [
    { type: 'incident.photos', incidentId },
    { type: 'photos.copy', incidentId },
  ];
}
