/** The CSV import forms: upload, preview (what would change, what is refused), result. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { AnyImportKind } from '../../../../domain/imports/kinds';
import { headersOf } from '../../../../domain/imports/write-csv';
import type { ImportResult, ImportSummary } from '../../../../domain/registers/import-register';
import { ACTION, REGISTER_BLOCK as B, CALLBACK } from '../../ids';
import { escClip, md, plain, sectionsOf } from '../format';

const TITLES: Record<AnyImportKind, string> = {
  locations: 'Import locations',
  assets: 'Import assets',
  licences: 'Import licences',
  providers: 'Import providers',
  contracts: 'Import contracts',
  payments: 'Import payments',
};

/** What a file of this kind may name that the school must already have. */
const NAMED: Partial<Record<AnyImportKind, string>> = {
  locations: 'locations',
  assets: 'locations',
  contracts: 'providers',
  payments: 'providers',
};

export interface ImportModalMetadata {
  kind: AnyImportKind;
}

export interface PreviewMetadata {
  kind: AnyImportKind;
  batchId: string;
  createLocations: boolean;
}

/** Upload a CSV: the columns it understands, and whether to create locations it names. */
export function importModalView(kind: AnyImportKind): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: md(
        `Upload a CSV file (up to 5 MB). Columns I understand: ${headersOf(kind).join(', ')}. ` +
          'Common spreadsheet headings work too (Tag, Serial No., Room…), and dates may be UK (31/08/2027) or ISO.',
      ),
    },
    {
      type: 'input',
      block_id: B.file,
      label: plain('CSV file'),
      element: { type: 'file_input', action_id: ACTION.input, filetypes: ['csv'], max_files: 1 },
    },
  ];
  const named = NAMED[kind];
  if (named) {
    blocks.push({
      type: 'input',
      block_id: B.createLocations,
      optional: true,
      label: plain(named === 'providers' ? 'Providers' : 'Locations'),
      element: {
        type: 'checkboxes',
        action_id: ACTION.input,
        options: [
          { text: plain(`Create any ${named} the file names that are not in the list yet`), value: 'yes' },
        ],
      },
    });
  }
  blocks.push({ type: 'context', elements: [md('You will see a preview before anything changes.')] });
  return {
    type: 'modal',
    callback_id: CALLBACK.importModal,
    title: plain(TITLES[kind]),
    submit: plain('Preview'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ kind } satisfies ImportModalMetadata),
    blocks,
  };
}

/** Shown while the file is downloaded and checked. */
export function importCheckingView(kind: AnyImportKind, fileName: string, doing = 'Checking'): ModalView {
  return {
    type: 'modal',
    title: plain(TITLES[kind]),
    close: plain('Close'),
    blocks: [{ type: 'section', text: md(`:hourglass_flowing_sand: ${doing} *${escClip(fileName, 200)}*…`) }],
  };
}

const unknownCount = (s: ImportSummary) => s.unknownLocations.length + s.unknownProviders.length;

function counts(s: ImportSummary): string {
  return `*${s.new}* new · *${s.updated}* updated · *${s.unchanged}* unchanged · *${s.rejected.length}* refused`;
}

/** The preview: counts, refused rows by line, unknown locations; a commit button only when it can go through. */
export function importPreviewView(s: ImportSummary, batchId: string, createLocations: boolean): ModalView {
  const blocks: KnownBlock[] = [{ type: 'section', text: md(`*${escClip(s.fileName, 200)}*\n${counts(s)}`) }];
  const refused = s.rejected.length > 0;
  const needsLocations = unknownCount(s) > 0 && !createLocations;
  if (refused) {
    const lines = s.rejected.slice(0, 40).map((r) => `• Line ${r.line}: ${escClip(r.reason, 400)}`);
    if (s.rejected.length > 40) lines.push(`…and ${s.rejected.length - 40} more.`);
    blocks.push(
      ...sectionsOf([
        ':no_entry: *Refused rows* — nothing is imported until they are fixed:',
        ...lines,
      ]).slice(0, 20),
    );
  }
  const unknown = [...s.unknownLocations, ...s.unknownProviders];
  const named = NAMED[s.kind] ?? 'locations';
  if (unknown.length > 0) {
    const names = escClip(unknown.slice(0, 30).join(', '), 2500) + (unknown.length > 30 ? '…' : '');
    blocks.push({
      type: 'section',
      text: md(
        createLocations
          ? `:round_pushpin: These ${named} will be created: ${names}`
          : `:warning: These ${named} are not in the list: ${names}. Upload again and tick *Create any ${named}…*, or fix the file.`,
      ),
    });
  }
  for (const note of s.notes.slice(0, 5)) {
    blocks.push({ type: 'context', elements: [md(escClip(note, 1500))] });
  }
  if (s.ignoredColumns.length > 0) {
    blocks.push({
      type: 'context',
      elements: [md(`Columns ignored: ${escClip(s.ignoredColumns.join(', '), 1500)}`)],
    });
  }
  const canCommit = !refused && !needsLocations && s.new + s.updated > 0;
  if (!refused && !needsLocations && s.new + s.updated === 0) {
    blocks.push({
      type: 'section',
      text: md(':white_check_mark: The register already matches this file: nothing to import.'),
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACK.importPreview,
    title: plain(TITLES[s.kind]),
    close: plain(canCommit ? 'Cancel' : 'Close'),
    ...(canCommit ? { submit: plain('Import') } : {}),
    private_metadata: JSON.stringify({ kind: s.kind, batchId, createLocations } satisfies PreviewMetadata),
    blocks: blocks.slice(0, 100),
  };
}

export function importDoneView(result: ImportResult): ModalView {
  const s = result.summary;
  const created = result.createdLocations.length
    ? `\nNew locations: ${escClip(result.createdLocations.join(', '), 2000)}`
    : '';
  return {
    type: 'modal',
    title: plain(TITLES[s.kind]),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: md(`:white_check_mark: *${escClip(s.fileName, 200)}* imported.\n${counts(s)}${created}`),
      },
    ],
  };
}

/**
 * A fault of SPOC's own while checking or importing a file (the database failed, say): said in the
 * form in place of "Checking…" or "Importing…", with the reference it was logged under.
 */
export function importFailedView(
  kind: AnyImportKind,
  ref: string,
  stage: 'checking' | 'importing',
): ModalView {
  const what =
    stage === 'importing'
      ? 'The import failed, so nothing was imported'
      : 'I could not check the file, so nothing was imported';
  return {
    type: 'modal',
    title: plain(TITLES[kind]),
    close: plain('Close'),
    blocks: [
      {
        type: 'section',
        text: md(
          `:warning: ${what} (ref ${ref}). Please try again; if it keeps happening, tell your ICT lead the ref.`,
        ),
      },
    ],
  };
}

/** A problem with the file itself (too big, not CSV, no header): said in the form. */
export function importProblemView(kind: AnyImportKind, message: string): ModalView {
  return {
    type: 'modal',
    title: plain(TITLES[kind]),
    close: plain('Close'),
    blocks: [{ type: 'section', text: md(`:no_entry: ${escClip(message, 2900)}`) }],
  };
}
