/**
 * Files through Slack: downloading one someone uploaded to the bot (needs files:read), with a size
 * cap, and sending one to a person's DMs (needs files:write).
 */
import type { WebClient } from '@slack/web-api';
import { MAX_IMPORT_BYTES } from '../../domain/imports/read-csv';

export class FileTooLarge extends Error {
  constructor(readonly bytes: number) {
    super(`The file is ${(bytes / 1024 / 1024).toFixed(1)} MB; the largest import is 5 MB.`);
  }
}

export async function downloadSlackFile(
  url: string,
  token: string,
  maxBytes = MAX_IMPORT_BYTES,
): Promise<string> {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(20_000),
  });
  if (!res.ok) throw new Error(`Slack file download failed: HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new FileTooLarge(declared);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new FileTooLarge(bytes.byteLength);
  // Slack answers a download it refuses with its HTML login page rather than an error status.
  if ((res.headers.get('content-type') ?? '').includes('text/html')) {
    throw new Error('Slack sent a web page instead of the file (is files:read granted?)');
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Sends a text file (a CSV export or report) to the person in a direct message. */
export async function sendFileToDm(
  client: WebClient,
  userId: string,
  file: { fileName: string; content: string; comment: string },
): Promise<void> {
  const dm = await client.conversations.open({ users: userId });
  const channel = dm.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  await client.files.uploadV2({
    channel_id: channel,
    file: Buffer.from(file.content, 'utf8'),
    filename: file.fileName,
    title: file.fileName,
    initial_comment: file.comment,
  });
}
