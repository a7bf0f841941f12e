/**
 * Files through Slack: downloading one someone uploaded to the bot (needs files:read), with a size
 * cap, and sending one to a person's DMs (needs files:write).
 */
import type { WebClient } from '@slack/web-api';
import { MAX_IMPORT_BYTES } from '../../domain/imports/read-csv';

export class FileTooLarge extends Error {
  constructor(
    readonly bytes: number,
    what = 'the largest import is 5 MB',
  ) {
    super(`The file is ${(bytes / 1024 / 1024).toFixed(1)} MB; ${what}.`);
  }
}

/** Slack's own file hosts: the only places a bot token is ever sent with a download. */
const SLACK_FILE_HOSTS = ['files.slack.com'];

/**
 * Whether a URL is on Slack's file hosts (https), or on the Web API's own origin when an offline
 * stand-in is configured through SLACK_API_URL (the playground, a test's fake Slack).
 */
export function isSlackFileUrl(url: string, apiUrl?: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'https:' && SLACK_FILE_HOSTS.includes(u.hostname) && !u.port && !u.username) return true;
  if (!apiUrl) return false;
  const api = new URL(apiUrl);
  return api.hostname !== 'slack.com' && u.origin === api.origin && !u.username;
}

export class NotASlackFile extends Error {
  constructor() {
    super('the file is not on a Slack file host');
  }
}

/**
 * Downloads a file someone uploaded to SPOC. The file is looked up by its id with the Web API
 * (`files.info`) and only the address Slack itself returns is used, and only on Slack's file
 * hosts: a URL taken from a request payload could name any host, and the download carries the
 * bot token. Redirects are followed by hand, to Slack's hosts only.
 */
export async function downloadSlackFile(
  client: WebClient,
  fileId: string,
  maxBytes = MAX_IMPORT_BYTES,
): Promise<string> {
  const { bytes } = await downloadSlackFileBytes(client, fileId, maxBytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/** A file's bytes as downloaded, with the media type Slack served it as. */
export interface DownloadedFile {
  bytes: Uint8Array;
  /** The media type of the download, as served. */
  contentType: string;
  /** The file's media type as `files.info` gives it. */
  mimetype: string;
}

/**
 * Downloads a file's bytes, as `downloadSlackFile` does (by its id, from Slack's own hosts only,
 * with the bot token, at most `maxBytes`). `tooLarge` says what the limit is, for the error.
 */
export async function downloadSlackFileBytes(
  client: WebClient,
  fileId: string,
  maxBytes: number,
  tooLarge?: string,
): Promise<DownloadedFile> {
  const info = await client.files.info({ file: fileId });
  const declaredSize = info.file?.size ?? 0;
  if (declaredSize > maxBytes) throw new FileTooLarge(declaredSize, tooLarge);
  let url = info.file?.url_private_download ?? info.file?.url_private;
  const apiUrl = client.slackApiUrl;
  for (let hop = 0; hop < 4; hop++) {
    if (!url || !isSlackFileUrl(url, apiUrl)) throw new NotASlackFile();
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${client.token}` },
      redirect: 'manual',
      signal: AbortSignal.timeout(20_000),
    });
    if (res.status >= 300 && res.status < 400) {
      const next = res.headers.get('location');
      url = next ? new URL(next, url).toString() : undefined;
      continue;
    }
    if (!res.ok) throw new Error(`Slack file download failed: HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > maxBytes) throw new FileTooLarge(declared, tooLarge);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw new FileTooLarge(bytes.byteLength, tooLarge);
    // Slack answers a download it refuses with its HTML login page rather than an error status.
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType.includes('text/html')) {
      throw new Error('Slack sent a web page instead of the file (is files:read granted?)');
    }
    return { bytes, contentType, mimetype: info.file?.mimetype ?? '' };
  }
  throw new Error('Slack file download redirected too many times');
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
