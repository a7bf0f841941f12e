/**
 * The photos given with a report, as a reply in the card's thread. Slack shows an uploaded file
 * in an image block by its id (`slack_file`), for PNG, JPEG and GIF only: any other image (WebP,
 * HEIC) is a link to the file instead, as is every photo when Slack refuses the image blocks.
 */
import type { KnownBlock } from '@slack/types';
import { photosHeading } from '../../../domain/presenters/photos';
import { clip, esc, plain } from './format';
import { mrkdwn } from './render';

/** A photo as the thread shows it: Slack's file, and its permalink when Slack gave one. */
export interface ThreadPhoto {
  fileId: string;
  name: string;
  mimetype: string;
  permalink?: string;
}

/** The image types Slack shows by `slack_file` in an image block. */
const IMAGE_BLOCK_TYPES = ['image/png', 'image/jpeg', 'image/jpg', 'image/gif'];

/** Whether Slack can show the photo inline (else it is linked). */
export function showsInline(photo: Pick<ThreadPhoto, 'mimetype'>): boolean {
  return IMAGE_BLOCK_TYPES.includes(photo.mimetype.toLowerCase());
}

/**
 * The thread message: a heading, then each photo inline where Slack can show it, else as a link
 * (or its name, when Slack gave no link). `inline: false` links every photo.
 */
export function incidentPhotosView(
  photos: readonly ThreadPhoto[],
  reporterName: string,
  options: { inline?: boolean } = {},
): { text: string; blocks: KnownBlock[] } {
  const inline = options.inline ?? true;
  const heading = mrkdwn(photosHeading(photos.length, reporterName));
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: heading } }];
  const linked: string[] = [];
  photos.forEach((p, n) => {
    const name = clip(p.name.trim() || `Photo ${n + 1}`, 150);
    if (inline && showsInline(p)) {
      blocks.push({
        type: 'image',
        slack_file: { id: p.fileId },
        alt_text: `Photo ${n + 1} of ${photos.length}: ${name}`,
        title: plain(name, false),
      });
    } else {
      linked.push(p.permalink ? `<${p.permalink}|${esc(name)}>` : esc(name));
    }
  });
  if (linked.length > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: linked.join(' · ') }] });
  return { text: heading, blocks };
}
