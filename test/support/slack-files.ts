/** Payload pieces for files uploaded through a Block Kit file input, as Slack sends them. */
export const FILES_HOST = 'https://files.slack.com';

export function uploadedFile(id: string, name: string, size: number) {
  return {
    id,
    created: 1764494160,
    timestamp: 1764494160,
    name,
    title: name,
    mimetype: 'text/csv',
    filetype: 'csv',
    pretty_type: 'CSV',
    user: 'U0UPLOADER',
    size,
    mode: 'hosted',
    is_external: false,
    is_public: false,
    url_private: `${FILES_HOST}/files-pri/T0-${id}/${name}`,
    url_private_download: `${FILES_HOST}/files-pri/T0-${id}/download/${name}`,
  };
}

/**
 * A photo uploaded through a file input, as the view_submission state lists it (Slack's file
 * object: type, size, the private download address, thumbnails and permalink).
 */
export function uploadedImage(
  id: string,
  name: string,
  size: number,
  type: { mimetype: string; filetype: string } = { mimetype: 'image/jpeg', filetype: 'jpg' },
) {
  return {
    ...uploadedFile(id, name, size),
    mimetype: type.mimetype,
    filetype: type.filetype,
    pretty_type: type.filetype.toUpperCase(),
    user_team: 'T0UPLOADER',
    editable: false,
    external_type: '',
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    media_display_type: 'unknown',
    thumb_64: `${FILES_HOST}/files-tmb/T0-${id}-abc/${name}_64.png`,
    thumb_360: `${FILES_HOST}/files-tmb/T0-${id}-abc/${name}_360.png`,
    thumb_360_w: 360,
    thumb_360_h: 270,
    original_w: 4032,
    original_h: 3024,
    permalink: `https://hillside.slack.com/files/U0UPLOADER/${id}/${name}`,
    permalink_public: `https://slack-files.com/T0-${id}-abc`,
    has_rich_preview: false,
    file_access: 'visible',
  };
}
