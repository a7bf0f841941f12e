/**
 * Photos with a fault report: what the form may take (up to 3 images, each at most 10 MB) and how
 * they are named. The platform gives each photo as a file it already holds (Slack's file id); a
 * copy of the bytes is fetched after the report is committed, never while the person waits.
 */

/** The most photos one report takes. */
export const PHOTO_MAX = 3;
/** The largest photo taken, in bytes (Slack's own limit for a file input). */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** The kinds of image the form offers (file extensions, as Slack's `filetype` names them). */
export const PHOTO_FILETYPES = ['jpg', 'jpeg', 'png', 'gif', 'webp', 'heic'] as const;

/** One photo as the platform gave it with the report. */
export interface PhotoInput {
  /** The platform's id for the file (Slack's `F…`): the photo is kept by it, once per incident. */
  fileId: string;
  name: string;
  /** The media type the platform reports, e.g. `image/jpeg`. */
  mimetype: string;
  /** The file's extension as the platform names it (`jpg`, `pdf`), when it says. */
  filetype?: string;
  /** Its size in bytes, as the platform reports it. */
  bytes: number;
}

/** Whether a file is one of the images the form takes, by its media type and its extension. */
export function isPhoto(p: Pick<PhotoInput, 'mimetype' | 'filetype' | 'name'>): boolean {
  const type = p.mimetype.toLowerCase();
  if (!type.startsWith('image/') || type === 'image/svg+xml') return false;
  const ext = (p.filetype || p.name.split('.').pop() || '').toLowerCase();
  return (PHOTO_FILETYPES as readonly string[]).includes(ext);
}

/** "4.2 MB", for telling someone how big a file was. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Why the photos cannot be taken, in a sentence for beside the field, or undefined when they can.
 * The first problem found is said, naming the file.
 */
export function checkPhotos(photos: readonly PhotoInput[]): string | undefined {
  if (photos.length > PHOTO_MAX)
    return `Add at most ${PHOTO_MAX} photos: remove ${photos.length - PHOTO_MAX} of the ${photos.length}.`;
  const seen = new Set<string>();
  for (const p of photos) {
    if (!p.fileId || seen.has(p.fileId)) return 'Add each photo once.';
    seen.add(p.fileId);
    if (!isPhoto(p))
      return `“${clipName(p.name)}” is not a photo: add JPG, PNG, GIF, WebP or HEIC images only.`;
    if (!Number.isFinite(p.bytes) || p.bytes < 0)
      return `“${clipName(p.name)}” could not be read: add it again.`;
    if (p.bytes > PHOTO_MAX_BYTES)
      return `“${clipName(p.name)}” is ${megabytes(p.bytes)}: each photo must be 10 MB or less.`;
  }
  return undefined;
}

/** "1 photo", "2 photos". */
export function photoCount(n: number): string {
  return `${n} ${n === 1 ? 'photo' : 'photos'}`;
}

function clipName(name: string): string {
  const clean = name.replace(/\s+/g, ' ').trim() || 'The file';
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}
