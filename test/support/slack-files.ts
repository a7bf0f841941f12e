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
