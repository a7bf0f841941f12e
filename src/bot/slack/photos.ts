/**
 * The photos given with a report, after it is committed (never inside the form's 3 seconds):
 * SPOC's own copy of each is fetched from Slack (`photos.copy`), and they are shown in the card's
 * thread (`incident.photos`). Both come from the outbox, so a failure is tried again later, and
 * both are idempotent: a photo already copied is not fetched again, and the thread message is
 * posted once (by its outbox row, as every post is).
 */
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Db } from '../../db/client';
import type { PhotoStore } from '../../db/photo-store';
import { getIncidentDetail } from '../../db/queries/incidents';
import { listIncidentPhotos, type PhotoRow } from '../../db/queries/photos';
import type { SchoolRow } from '../../db/queries/schools';
import type { Clock } from '../../domain/clock';
import { PHOTO_MAX_BYTES } from '../../domain/incidents/photos';
import type { Logger } from '../../log';
import { DeliveryRetry } from '../../worker/outbox-dispatcher';
import { downloadSlackFileBytes, FileTooLarge, NotASlackFile } from './files';
import { incidentPhotosView, showsInline, type ThreadPhoto } from './views/incident-photos.view';

/** Posts a message once (the deliverer's `postOnce`, which finds an earlier post of the row). */
export type PostOnce = (args: ChatPostMessageArguments & { channel: string }) => Promise<unknown>;

/** Slack's answers that mean this file will never be fetched: no use trying again. */
const GONE = ['file_not_found', 'file_deleted', 'file_is_not_shared'];

class NotAnImage extends Error {
  constructor(type: string) {
    super(`the file is not an image (${type || 'no type'})`);
  }
}

function platformError(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  return e?.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
}

export function slackPhotos(deps: { db: Db; clock: Clock; log: Logger; store: PhotoStore }) {
  const { db, clock, log, store } = deps;

  /** Fetches one photo's bytes from Slack, by its file id, and keeps them. */
  async function copyOne(client: WebClient, photo: PhotoRow & { slackFileId: string }): Promise<void> {
    const file = await downloadSlackFileBytes(
      client,
      photo.slackFileId,
      PHOTO_MAX_BYTES,
      'each photo must be 10 MB or less',
    );
    // What Slack says the file is must be an image, and what it served must not be text (its
    // login page, say); a HEIC may be served as plain bytes.
    const served = file.contentType.toLowerCase();
    if (!file.mimetype.toLowerCase().startsWith('image/') || /^(text|application\/(json|xml))/.test(served))
      throw new NotAnImage(file.mimetype || served);
    await store.keep(db, photo, file.bytes);
  }

  /**
   * Copies every photo of the incident that has none yet. A photo that can never be fetched
   * (deleted, not an image, too large, not on Slack's hosts) is logged and left without a copy;
   * any other failure is thrown once the rest are done, so the outbox tries again later.
   */
  async function copy(client: WebClient, school: SchoolRow, incidentId: string): Promise<void> {
    const photos = await listIncidentPhotos(db, school.id, incidentId);
    let retry: unknown;
    for (const photo of photos) {
      if (photo.copied || !photo.slackFileId) continue;
      try {
        await copyOne(client, { ...photo, slackFileId: photo.slackFileId });
        log.info({ schoolId: school.id, incidentId, photoId: photo.id, storage: store.kind }, 'photo copied');
      } catch (error) {
        const code = platformError(error);
        const never =
          error instanceof FileTooLarge ||
          error instanceof NotASlackFile ||
          error instanceof NotAnImage ||
          (code !== undefined && GONE.includes(code));
        if (!never) {
          retry ??= error;
          continue;
        }
        log.warn(
          { schoolId: school.id, incidentId, photoId: photo.id, reason: code ?? (error as Error).message },
          'a photo could not be copied and never will be; it is kept as Slack has it',
        );
      }
    }
    if (retry !== undefined) throw retry;
  }

  /** Each photo's permalink where the thread links it (best effort: its name otherwise). */
  async function withLinks(client: WebClient, photos: ThreadPhoto[], all: boolean): Promise<ThreadPhoto[]> {
    const out: ThreadPhoto[] = [];
    for (const p of photos) {
      if (!all && showsInline(p)) {
        out.push(p);
        continue;
      }
      try {
        const info = await client.files.info({ file: p.fileId });
        out.push({ ...p, ...(info.file?.permalink ? { permalink: info.file.permalink } : {}) });
      } catch (error) {
        // Retried as a whole by the outbox when Slack did not answer; a refusal links nothing.
        if (!platformError(error)) throw error;
        out.push(p);
      }
    }
    return out;
  }

  /**
   * The photos in the card's thread: inline where Slack can show them. Should Slack refuse the
   * image blocks (it shows a file by id only to those who may see it), every photo is linked.
   */
  async function thread(
    client: WebClient,
    school: SchoolRow,
    incidentId: string,
    post: PostOnce,
  ): Promise<void> {
    const incident = await getIncidentDetail(db, school.id, incidentId);
    if (!incident) throw new DeliveryRetry('incident not found', { permanent: true });
    const photos: ThreadPhoto[] = (await listIncidentPhotos(db, school.id, incidentId)).flatMap((p) =>
      p.slackFileId ? [{ fileId: p.slackFileId, name: p.name, mimetype: p.mimetype }] : [],
    );
    if (photos.length === 0) return;
    if (!incident.cardTs || !incident.cardChannel)
      throw new DeliveryRetry('card not posted yet', {
        at: new Date(clock.now().getTime() + 60_000),
        waiting: true,
      });
    const place = { channel: incident.cardChannel, thread_ts: incident.cardTs, unfurl_links: false };
    try {
      await post({
        ...place,
        ...incidentPhotosView(await withLinks(client, photos, false), incident.reporterName),
      });
    } catch (error) {
      if (platformError(error) !== 'invalid_blocks') throw error;
      log.warn({ schoolId: school.id, incidentId }, 'Slack would not show the photos inline; linking them');
      const linked = await withLinks(client, photos, true);
      await post({ ...place, ...incidentPhotosView(linked, incident.reporterName, { inline: false }) });
    }
  }

  return { copy, thread };
}
