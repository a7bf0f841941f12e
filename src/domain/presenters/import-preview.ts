/**
 * What SPOC says about a CSV import and export, decided once for every platform: the upload's
 * instructions, the preview (counts, refused rows by line, names the school does not have yet),
 * the result, and the sentences around them. Slack's import form and Teams' cards only lay these
 * out (`src/bot/slack/views/registers/import.view.ts`, `src/bot/teams/office/csv.ts`).
 */
import type { AnyImportKind } from '../imports/kinds';
import { ALL_IMPORT_KINDS } from '../imports/kinds';
import { headersOf } from '../imports/write-csv';
import type { ImportResult, ImportSummary } from '../registers/import-register';
import { bold, emoji, type Presentation, type Rich, type Section, sentence, typed } from './presentation';

export const IMPORT_TITLES: Record<AnyImportKind, string> = {
  locations: 'Import locations',
  assets: 'Import assets',
  licences: 'Import licences',
  providers: 'Import providers',
  contracts: 'Import contracts',
  payments: 'Import payments',
};

/** What a file of this kind may name that the school must already have. */
const NAMED: Partial<Record<AnyImportKind, 'locations' | 'providers'>> = {
  locations: 'locations',
  assets: 'locations',
  contracts: 'providers',
  payments: 'providers',
};

/** The labels of the import's buttons and fields. */
export const IMPORT_LABELS = {
  file: 'CSV file',
  chooseFile: 'Choose a CSV file.',
  preview: 'Preview',
  import: 'Import',
  cancel: 'Cancel',
  close: 'Close',
  done: 'Done',
} as const;

/** What the school must already have for a file of this kind ("locations", "providers"), if anything. */
export const importNamed = (kind: AnyImportKind): 'locations' | 'providers' | undefined => NAMED[kind];

/** The heading of the "create what the file names" choice. */
export const createNamedHeading = (named: 'locations' | 'providers'): string =>
  named === 'providers' ? 'Providers' : 'Locations';

/** The "create what the file names" choice itself. */
export const createNamedLabel = (named: 'locations' | 'providers'): string =>
  `Create any ${named} the file names that are not in the list yet`;

/** What to upload: the size limit, the columns understood, the headings and dates accepted. */
export function importIntro(kind: AnyImportKind): Rich {
  return [
    `Upload a CSV file (up to 5 MB). Columns I understand: ${headersOf(kind).join(', ')}. ` +
      'Common spreadsheet headings work too (Tag, Serial No., Room…), and dates may be UK (31/08/2027) or ISO.',
  ];
}

export const IMPORT_PREVIEW_FIRST = 'You will see a preview before anything changes.';

/** How to say the import and export commands. */
export const importUsage = (): Rich => ['Usage: ', { command: `spoc import ${ALL_IMPORT_KINDS.join('|')}` }];
export const exportUsage = (kinds: readonly string[]): Rich => [
  'Usage: ',
  { command: `spoc export ${kinds.join('|')}` },
];

/** A file over the size limit (its size, where known). */
export const fileTooLargeText = (bytes?: number): string =>
  bytes === undefined
    ? 'The file is over 5 MB; the largest import is 5 MB.'
    : `The file is ${(bytes / 1024 / 1024).toFixed(1)} MB; the largest import is 5 MB.`;

/** A file that is not CSV (a spreadsheet sent as it is, say). */
export const NOT_CSV =
  'That file is not a CSV file. In Excel choose Save As › "CSV UTF-8 (Comma delimited)" and send that file.';

function counts(s: ImportSummary): Rich {
  return [
    bold(String(s.new)),
    ' new · ',
    bold(String(s.updated)),
    ' updated · ',
    bold(String(s.unchanged)),
    ' unchanged · ',
    bold(String(s.rejected.length)),
    ' refused',
  ];
}

const unknownCount = (s: ImportSummary) => s.unknownLocations.length + s.unknownProviders.length;

export interface ImportPreviewAnswer {
  presentation: Presentation;
  /** Whether the import can go through (no refused rows, something to change, names agreed). */
  canCommit: boolean;
  /**
   * Where the preview itself asks whether to create the names the file uses (`askHere`): the
   * choice's label; otherwise undefined.
   */
  askToCreate?: string;
}

/**
 * The preview: counts, refused rows by line, unknown locations or providers, notes, ignored
 * columns. `createLocations`: the person has already agreed to create what the file names (Slack's
 * upload form asks). `askHere`: the platform asks that on the preview itself (Teams has no upload
 * form), so the preview says to tick it there rather than to upload again.
 */
export function presentImportPreview(
  s: ImportSummary,
  createLocations: boolean,
  opts: { askHere?: boolean } = {},
): ImportPreviewAnswer {
  const sections: Section[] = [{ kind: 'text', text: [bold(typed(s.fileName, 200)), '\n', ...counts(s)] }];
  const refused = s.rejected.length > 0;
  const unknown = [...s.unknownLocations, ...s.unknownProviders];
  const named = NAMED[s.kind] ?? 'locations';
  const asking = Boolean(opts.askHere) && !createLocations && unknown.length > 0 && !refused;
  const needsLocations = unknownCount(s) > 0 && !createLocations && !asking;
  if (refused) {
    const lines: Rich[] = s.rejected.slice(0, 40).map((r) => [`• Line ${r.line}: `, typed(r.reason, 400)]);
    if (s.rejected.length > 40) lines.push([`…and ${s.rejected.length - 40} more.`]);
    sections.push({
      kind: 'lines',
      lines: [
        [emoji(':no_entry:'), ' ', bold('Refused rows'), ' — nothing is imported until they are fixed:'],
        ...lines,
      ],
    });
  }
  if (unknown.length > 0) {
    const names: Rich = [typed(unknown.slice(0, 30).join(', '), 2500), ...(unknown.length > 30 ? ['…'] : [])];
    const text: Rich = createLocations
      ? [emoji(':round_pushpin:'), ` These ${named} will be created: `, ...names]
      : asking
        ? [
            emoji(':warning:'),
            ` These ${named} are not in the list: `,
            ...names,
            '. Tick ',
            bold(`Create any ${named}…`),
            ' below to create them, or fix the file.',
          ]
        : [
            emoji(':warning:'),
            ` These ${named} are not in the list: `,
            ...names,
            '. Upload again and tick ',
            bold(`Create any ${named}…`),
            ', or fix the file.',
          ];
    sections.push({ kind: 'text', text });
  }
  for (const note of s.notes.slice(0, 5)) sections.push({ kind: 'context', text: [typed(note, 1500)] });
  if (s.ignoredColumns.length > 0) {
    sections.push({ kind: 'context', text: ['Columns ignored: ', typed(s.ignoredColumns.join(', '), 1500)] });
  }
  const canCommit = !refused && !needsLocations && s.new + s.updated > 0;
  if (!refused && !needsLocations && s.new + s.updated === 0) {
    sections.push({
      kind: 'text',
      text: [emoji(':white_check_mark:'), ' The register already matches this file: nothing to import.'],
    });
  }
  return {
    presentation: { text: [typed(s.fileName, 200), ': ', ...counts(s)], sections, actions: [] },
    canCommit,
    ...(asking && canCommit ? { askToCreate: createNamedLabel(named) } : {}),
  };
}

/** An import done: the counts, and any locations it created. */
export function presentImportDone(result: ImportResult): Presentation {
  const s = result.summary;
  const created: Rich = result.createdLocations.length
    ? ['\nNew locations: ', typed(result.createdLocations.join(', '), 2000)]
    : [];
  const text: Rich = [
    emoji(':white_check_mark:'),
    ' ',
    bold(typed(s.fileName, 200)),
    ' imported.\n',
    ...counts(s),
    ...created,
  ];
  return { text, sections: [{ kind: 'text', text }], actions: [] };
}

/** Said while the file is fetched and checked, or imported. */
export function importCheckingText(fileName: string, doing = 'Checking'): Rich {
  return [emoji(':hourglass_flowing_sand:'), ` ${doing} `, bold(typed(fileName, 200)), '…'];
}

/** A fault of SPOC's own while checking or importing a file, with the reference it was logged under. */
export function importFailedText(ref: string, stage: 'checking' | 'importing'): Rich {
  const what =
    stage === 'importing'
      ? 'The import failed, so nothing was imported'
      : 'I could not check the file, so nothing was imported';
  return [
    emoji(':warning:'),
    ` ${what} (ref ${ref}). Please try again; if it keeps happening, tell your ICT lead the ref.`,
  ];
}

/** A problem with the file itself (too big, not CSV, no header). */
export function importProblemText(message: string): Rich {
  return [emoji(':no_entry:'), ' ', typed(message, 2900)];
}

/** A preview left without importing (Cancel). */
export const IMPORT_CANCELLED = 'Nothing was imported.';

/** Import pressed on a preview someone else has already imported. */
export const IMPORT_ALREADY_DONE = 'That import has already been done.';

/** Teams: how to send the file, since there is no upload form. */
export function sendFileWith(kind: AnyImportKind): Rich {
  return [
    'Send me the CSV file here, in your next message (or attached to one that says ',
    { command: `spoc import ${kind}` },
    ').',
  ];
}

/** Teams: a file sent with no words saying which register it is for. */
export function whichRegister(): Presentation {
  return sentence([
    'Which register is this file for? Send it again with the words ',
    { command: `spoc import ${ALL_IMPORT_KINDS.join('|')}` },
    '.',
  ]);
}

/** Files come and go only in the personal chat with SPOC (Teams' rule). */
export function filesInPersonalChat(said: string): Presentation {
  return sentence(['Files come through our personal chat: say ', { command: said }, ' to me there.']);
}

// The export.

/** What comes with the exported file. */
export const exportFileComment = (rows: number): string => `Here is the export you asked for (${rows} rows).`;

/** Slack: the export is in the person's direct messages. */
export function exportSentText(rows: number, kind: string, fileName: string): Rich {
  return [
    emoji(':page_facing_up:'),
    ` ${rows} ${kind} exported: I have sent `,
    bold(fileName),
    ' to you in a direct message.',
  ];
}

/** Teams: the person declined the file. */
export const exportDeclinedText = (fileName: string): Presentation =>
  sentence(['All right: I have not sent ', bold(typed(fileName, 200)), '.']);

/** Teams: the file could not be put in the person's OneDrive. */
export const exportUploadFailedText = (ref: string): Presentation =>
  sentence([
    emoji(':warning:'),
    ` I could not put the file in your OneDrive (ref ${ref}). Please ask for the export again.`,
  ]);
