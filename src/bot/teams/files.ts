/**
 * Files through Teams, in the personal chat with SPOC (the only place Teams lets a bot exchange
 * files without Microsoft Graph):
 *
 * - **Sending** (a CSV export, a report): SPOC sends a file consent card (`sendCsvFile`) naming
 *   the file, its size and what the accept is to produce (`context`, echoed back by Teams); when
 *   the person accepts, Teams sends a `fileConsent/invoke` with an upload session in their
 *   OneDrive (`uploadInfo.uploadUrl`); SPOC makes the bytes again, PUTs them there in one range
 *   (`uploadToConsent`), and sends a file info card (`fileInfoAttachment`) showing the file.
 *   Nothing is kept in SPOC meanwhile: whatever the accept needs comes back in the context.
 * - **Receiving** (a CSV to import): a file the person sends arrives as an attachment of
 *   `application/vnd.microsoft.teams.file.download.info` whose `downloadUrl` is pre-authenticated
 *   and short-lived (`downloadTeamsFile`, bounded in size).
 */
import type { Attachment, FileUploadInfo, TurnContext } from 'botbuilder';
import { MAX_IMPORT_BYTES } from '../../domain/imports/read-csv';
import { fileTooLargeText } from '../../domain/presenters/import-preview';

export const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';
export const FILE_DOWNLOAD = 'application/vnd.microsoft.teams.file.download.info';

/** How long one upload or download may take. */
const TRANSFER_TIMEOUT_MS = 20_000;

/** What a consent card carries back to SPOC on accept or decline: which file to make, for what. */
export interface FileConsentContext {
  /** What produces the file (`export`: a register; `report`: the service report); the accept goes by it. */
  spoc: string;
  [key: string]: string;
}

/**
 * Offers a file to the person (the turn must be in their personal chat): a file consent card with
 * its name, a description and its size. `context` comes back with the accept or decline.
 */
export async function sendCsvFile(
  context: TurnContext,
  file: { fileName: string; sizeInBytes: number; description: string; context: FileConsentContext },
): Promise<void> {
  await context.sendActivity({
    type: 'message',
    attachments: [
      {
        contentType: FILE_CONSENT,
        name: file.fileName,
        content: {
          description: file.description,
          sizeInBytes: file.sizeInBytes,
          acceptContext: file.context,
          declineContext: file.context,
        },
      },
    ],
  });
}

/** The context a consent card carried back, if it is one SPOC sent. */
export function consentContextOf(context: unknown): FileConsentContext | undefined {
  if (!context || typeof context !== 'object') return undefined;
  const c = context as Record<string, unknown>;
  if (typeof c.spoc !== 'string') return undefined;
  if (!Object.values(c).every((v) => typeof v === 'string')) return undefined;
  return c as FileConsentContext;
}

export class UploadRefused extends Error {}

/**
 * Puts the bytes in the upload session Teams opened in the person's OneDrive: one PUT of the
 * whole file with its `Content-Range`, as the Bot Framework's file upload describes. Only an
 * https address is used (it is OneDrive's, from an authenticated invoke).
 */
export async function uploadToConsent(uploadInfo: FileUploadInfo | undefined, bytes: Buffer): Promise<void> {
  const url = uploadInfo?.uploadUrl;
  if (!url || !isHttps(url)) throw new UploadRefused('the accept named no https upload address');
  const size = bytes.byteLength;
  const res = await fetch(url, {
    method: 'PUT',
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'content-range': `bytes 0-${Math.max(size - 1, 0)}/${size}`,
    },
    body: bytes,
    redirect: 'error',
    signal: AbortSignal.timeout(TRANSFER_TIMEOUT_MS),
  });
  // Drain the answer (OneDrive's record of the item), which SPOC does not need.
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new UploadRefused(`the upload was refused: HTTP ${res.status}`);
}

/** The card that shows an uploaded file in the chat. */
export function fileInfoAttachment(uploadInfo: FileUploadInfo): Attachment {
  return {
    contentType: FILE_INFO,
    contentUrl: uploadInfo.contentUrl,
    name: uploadInfo.name,
    content: { uniqueId: uploadInfo.uniqueId, fileType: uploadInfo.fileType },
  };
}

/** A file someone sent SPOC: its name, type and where to fetch it. */
export interface SentFile {
  name: string;
  fileType: string;
  downloadUrl: string;
}

/** The first file a message carries, if any. */
export function sentFileOf(context: TurnContext): SentFile | undefined {
  for (const a of context.activity.attachments ?? []) {
    if (a.contentType !== FILE_DOWNLOAD) continue;
    const content = (a.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
    if (typeof content.downloadUrl !== 'string') continue;
    const name = typeof a.name === 'string' && a.name ? a.name : 'upload.csv';
    const fileType = typeof content.fileType === 'string' ? content.fileType : (name.split('.').pop() ?? '');
    return { name, fileType: fileType.toLowerCase(), downloadUrl: content.downloadUrl };
  }
  return undefined;
}

/** A file larger than an import takes; its message is the domain's. */
export class TeamsFileTooLarge extends Error {
  constructor(readonly bytes?: number) {
    super(fileTooLargeText(bytes));
  }
}

const isHttps = (url: string): boolean => {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password;
  } catch {
    return false;
  }
};

/**
 * Downloads a file someone sent SPOC from its pre-authenticated address (https only; no SPOC
 * credential is ever sent with it), reading at most `maxBytes`: past that it stops reading and
 * throws `TeamsFileTooLarge`. The text is UTF-8.
 */
export async function downloadTeamsFile(file: SentFile, maxBytes = MAX_IMPORT_BYTES): Promise<string> {
  if (!isHttps(file.downloadUrl)) throw new Error('the file is not at an https address');
  const res = await fetch(file.downloadUrl, { signal: AbortSignal.timeout(TRANSFER_TIMEOUT_MS) });
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`Teams file download failed: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new TeamsFileTooLarge(declared);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        // Only what was read is known: the size is not given as if it were the file's.
        throw new TeamsFileTooLarge();
      }
      chunks.push(value);
    }
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}
