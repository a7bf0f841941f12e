/** The fault form's photos: up to 3 images, through Slack's file input (needs files:read). */
import type { InputBlock } from '@slack/types';
import type { PhotoInput } from '../../../domain/incidents/photos';
import { PHOTO_FILETYPES, PHOTO_MAX } from '../../../domain/incidents/photos';
import { ACTION, FAULT_BLOCK } from '../ids';
import type { SlackFileRef } from '../view-state';
import { plain } from './format';

/**
 * The optional photos field. Slack checks the types and the count as the person picks files, but
 * says that is for convenience only: the report checks them again (`checkPhotos`).
 */
export function faultPhotosBlock(): InputBlock {
  return {
    type: 'input',
    block_id: FAULT_BLOCK.photos,
    optional: true,
    label: plain('Photos'),
    hint: plain(`Up to ${PHOTO_MAX} photos of the fault or the error on screen, each 10 MB or less.`),
    element: {
      type: 'file_input',
      action_id: ACTION.input,
      filetypes: [...PHOTO_FILETYPES],
      max_files: PHOTO_MAX,
    },
  };
}

/** The files of the photos field, as the report takes them. */
export function photosFromState(files: readonly SlackFileRef[]): PhotoInput[] {
  return files.map((f) => ({
    fileId: f.id,
    name: typeof f.name === 'string' ? f.name : '',
    mimetype: typeof f.mimetype === 'string' ? f.mimetype : '',
    ...(typeof f.filetype === 'string' ? { filetype: f.filetype } : {}),
    bytes: typeof f.size === 'number' ? f.size : Number.NaN,
  }));
}
