/**
 * The day's briefing as a deliverer sends it: what it lists (read at send time, so an update shows
 * every item added since), and where it was posted, which its items' thread is.
 */
import type { Db } from '../../db/client';
import { findBriefing, recordBriefingPosted } from '../../db/queries/briefings';
import type { BriefingModel } from '../presenters/briefing';
import type { Loaded } from './read-models';

export interface BriefingToSend {
  model: BriefingModel;
  /** Where it was posted (Slack channel and ts; Teams thread and activity id), once it has been. */
  posted: { channel: string; postedId: string } | null;
}

export async function loadBriefingModel(
  db: Db,
  schoolId: string,
  day: string,
): Promise<Loaded<BriefingToSend>> {
  const row = await findBriefing(db, schoolId, day);
  if (!row) return { found: false, missing: `no briefing for ${day}` };
  return {
    found: true,
    model: {
      model: { day: row.day, digest: row.digest, items: row.items },
      posted: row.channel && row.postedId ? { channel: row.channel, postedId: row.postedId } : null,
    },
  };
}

/** Where a briefing's items are posted: its thread, once it is posted; else nowhere yet. */
export async function briefingThread(
  db: Db,
  schoolId: string,
  day: string,
): Promise<{ channel: string; postedId: string } | null> {
  const row = await findBriefing(db, schoolId, day);
  return row?.channel && row.postedId ? { channel: row.channel, postedId: row.postedId } : null;
}

export async function recordBriefingPlace(
  db: Db,
  schoolId: string,
  day: string,
  place: { channel: string; postedId: string },
): Promise<void> {
  await recordBriefingPosted(db, schoolId, day, place.channel, place.postedId);
}
