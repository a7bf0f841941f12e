/** The CSV import forms: upload, preview (what would change, what is refused), result. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { AnyImportKind } from '../../../../domain/imports/kinds';
import {
  createNamedHeading,
  createNamedLabel,
  IMPORT_LABELS,
  IMPORT_PREVIEW_FIRST,
  IMPORT_TITLES,
  importCheckingText,
  importFailedText,
  importIntro,
  importNamed,
  importProblemText,
  presentImportDone,
  presentImportPreview,
} from '../../../../domain/presenters/import-preview';
import type { ImportResult, ImportSummary } from '../../../../domain/registers/import-register';
import { ACTION, REGISTER_BLOCK as B, CALLBACK } from '../../ids';
import { md, plain } from '../format';
import { mrkdwn, sectionBlocks } from '../render';

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
    { type: 'section', text: md(mrkdwn(importIntro(kind))) },
    {
      type: 'input',
      block_id: B.file,
      label: plain(IMPORT_LABELS.file),
      element: { type: 'file_input', action_id: ACTION.input, filetypes: ['csv'], max_files: 1 },
    },
  ];
  const named = importNamed(kind);
  if (named) {
    blocks.push({
      type: 'input',
      block_id: B.createLocations,
      optional: true,
      label: plain(createNamedHeading(named)),
      element: {
        type: 'checkboxes',
        action_id: ACTION.input,
        options: [{ text: plain(createNamedLabel(named)), value: 'yes' }],
      },
    });
  }
  blocks.push({ type: 'context', elements: [md(mrkdwn([IMPORT_PREVIEW_FIRST]))] });
  return {
    type: 'modal',
    callback_id: CALLBACK.importModal,
    title: plain(IMPORT_TITLES[kind]),
    submit: plain(IMPORT_LABELS.preview),
    close: plain(IMPORT_LABELS.cancel),
    private_metadata: JSON.stringify({ kind } satisfies ImportModalMetadata),
    blocks,
  };
}

/** Shown while the file is downloaded and checked. */
export function importCheckingView(kind: AnyImportKind, fileName: string, doing = 'Checking'): ModalView {
  return {
    type: 'modal',
    title: plain(IMPORT_TITLES[kind]),
    close: plain(IMPORT_LABELS.close),
    blocks: [{ type: 'section', text: md(mrkdwn(importCheckingText(fileName, doing))) }],
  };
}

/** The preview: counts, refused rows by line, unknown locations; a commit button only when it can go through. */
export function importPreviewView(s: ImportSummary, batchId: string, createLocations: boolean): ModalView {
  const { presentation, canCommit } = presentImportPreview(s, createLocations);
  return {
    type: 'modal',
    callback_id: CALLBACK.importPreview,
    title: plain(IMPORT_TITLES[s.kind]),
    close: plain(canCommit ? IMPORT_LABELS.cancel : IMPORT_LABELS.close),
    ...(canCommit ? { submit: plain(IMPORT_LABELS.import) } : {}),
    private_metadata: JSON.stringify({ kind: s.kind, batchId, createLocations } satisfies PreviewMetadata),
    blocks: sectionBlocks(presentation.sections).slice(0, 100),
  };
}

export function importDoneView(result: ImportResult): ModalView {
  return {
    type: 'modal',
    title: plain(IMPORT_TITLES[result.summary.kind]),
    close: plain(IMPORT_LABELS.done),
    blocks: sectionBlocks(presentImportDone(result).sections),
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
  return {
    type: 'modal',
    title: plain(IMPORT_TITLES[kind]),
    close: plain(IMPORT_LABELS.close),
    blocks: [{ type: 'section', text: md(mrkdwn(importFailedText(ref, stage))) }],
  };
}

/** A problem with the file itself (too big, not CSV, no header): said in the form. */
export function importProblemView(kind: AnyImportKind, message: string): ModalView {
  return {
    type: 'modal',
    title: plain(IMPORT_TITLES[kind]),
    close: plain(IMPORT_LABELS.close),
    blocks: [{ type: 'section', text: md(mrkdwn(importProblemText(message))) }],
  };
}
