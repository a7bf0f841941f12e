/**
 * CSV export and import in Teams, in the personal chat with SPOC (Teams exchanges files with a
 * bot only there), with the same registers, role checks, domain code and words as Slack's
 * `/spoc export` and `/spoc import`.
 *
 * - `spoc export <register>`: a file consent card naming the file (`files.ts`, `sendCsvFile`). On
 *   accept the CSV is made again, with the role checked again, from the register the card's
 *   context names, and put in the person's OneDrive; a file info card shows it. Nothing is kept in
 *   SPOC between the two. The service report's file (`spoc report <period> csv`, `reports.ts`)
 *   comes back the same way: its context names the period as the command took it and the file
 *   offered, and the accept makes the report again (the role checked again), or says the period
 *   has moved on when the file it would make now is not the one the card named.
 * - `spoc import <register>` with a CSV file attached: the file is fetched (at most 5 MB) and
 *   planned by the domain (`previewImport`, which keeps the file in `import_batches` for the
 *   commit), and the preview is answered with Import / Cancel (Universal Actions). Import commits
 *   the batch all or nothing, once (`submitOnce`, kind `teams.import`, keyed by the batch: a double
 *   press or a re-delivered invoke gets the first answer), with the role checked again. Without a
 *   file, the command says how to send one.
 */
import type { FileConsentCardResponse, TurnContext } from 'botbuilder';
import { withQueryTimeout } from '../../../db/deadline';
import { setPendingImport, takePendingImport } from '../../../db/queries/teams-pending-imports';
import {
  reportFile,
  reportFileMovedText,
  reportProblem,
  reportUploadFailedText,
} from '../../../domain/answers/reports';
import { submitOnce } from '../../../domain/form-submissions';
import { ALL_IMPORT_KINDS, type AnyImportKind } from '../../../domain/imports/kinds';
import { PHOTO_FILETYPES } from '../../../domain/incidents/photos';
import {
  exportDeclinedText,
  exportFileComment,
  exportUploadFailedText,
  exportUsage,
  filesInPersonalChat,
  IMPORT_ALREADY_DONE,
  IMPORT_CANCELLED,
  IMPORT_LABELS,
  IMPORT_PREVIEW_FIRST,
  IMPORT_TITLES,
  importFailedText,
  importIntro,
  importProblemText,
  importUsage,
  NOT_CSV,
  presentImportDone,
  presentImportPreview,
  sendFileWith,
  whichRegister,
} from '../../../domain/presenters/import-preview';
import { photoNotKept } from '../../../domain/presenters/photos';
import { type Presentation, type Rich, sentence } from '../../../domain/presenters/presentation';
import { EXPORT_KINDS, type ExportKind, exportRegister } from '../../../domain/registers/export-register';
import {
  commitImport,
  type ImportResult,
  type ImportSummary,
  previewImport,
} from '../../../domain/registers/import-register';
import { can, FORBIDDEN } from '../../../domain/roles';
import { errorRef } from '../../../log';
import type { TeamsCommand } from '../commands';
import { type TeamsDeps, teamsContext } from '../commands/deps';
import type { DialogCtx } from '../dialogs/dialog';
import {
  consentContextOf,
  downloadTeamsFile,
  type FileConsentContext,
  fileInfoAttachment,
  type SentFile,
  sendCsvFile,
  sentFileOf,
  TeamsFileTooLarge,
  uploadToConsent,
} from '../files';
import { type CardPress, cardAnswer, messageAnswer } from '../presses';
import {
  type AdaptiveCard,
  cardAttachment,
  cardMessage,
  plainText,
  renderCard,
  renderText,
} from '../render/adaptive-card';
import type { TeamsFamily } from './family';
import { reportFileOf } from './reports';

/** The verbs of the preview's buttons. */
export const IMPORT_CONFIRM = 'import.confirm';
export const IMPORT_CANCEL = 'import.cancel';
/** `submitOnce`'s kind for an import's commit (keyed by its batch). */
export const IMPORT_COMMIT_KIND = 'teams.import';
/** The preview's choice to create the locations or providers a file names. */
const CREATE_INPUT = 'createLocations';
/** What the consent card of an export carries back. */
const EXPORT_CONTEXT = 'export';

/**
 * How long one database call of an import may take: checking or importing a big file may take
 * longer than a Teams request's bound (as in Slack, past Postgres's own statement timeout, so
 * only a stall reaches it).
 */
const IMPORT_QUERY_TIMEOUT_MS = 20_000;

const inPersonalChat = (context: TurnContext) =>
  context.activity.conversation?.conversationType === 'personal';

async function say(context: TurnContext, text: Rich, timezone?: string): Promise<void> {
  await context.sendActivity({ type: 'message', text: renderText(text, timezone), textFormat: 'markdown' });
}

async function show(context: TurnContext, p: Presentation, timezone?: string): Promise<void> {
  await context.sendActivity(cardMessage(p, { timezone }));
}

/** A presentation under the import's title. */
const titled = (kind: AnyImportKind, p: Presentation): Presentation => ({
  ...p,
  sections: [{ kind: 'heading', text: [IMPORT_TITLES[kind]] }, ...p.sections],
});

const problem = (kind: AnyImportKind, rich: Rich): Presentation => titled(kind, sentence(rich));

// The export.

/** `spoc export <register>`: the file offered in the personal chat. */
function exportCommand(deps: TeamsDeps): TeamsCommand {
  return {
    words: ['spoc', 'export'],
    usage: 'spoc export <register>',
    summary: 'a register as a CSV file, sent to you here',
    async run(context, rest) {
      const word = rest.split(/\s+/)[0]?.toLowerCase();
      const kind = EXPORT_KINDS.find((k) => k === word);
      if (!kind) return say(context, exportUsage(EXPORT_KINDS));
      const who = await teamsContext(deps, context);
      if (!who.ok) return say(context, [who.message]);
      const { timezone } = who.ctx.school;
      if (!inPersonalChat(context))
        return show(context, filesInPersonalChat(`spoc export ${kind}`), timezone);
      const file = await exportRegister(who.ctx, { kind });
      if (!file.ok) return say(context, [file.error.message]);
      await sendCsvFile(context, {
        fileName: file.value.fileName,
        sizeInBytes: Buffer.byteLength(file.value.csv, 'utf8'),
        description: exportFileComment(file.value.rows),
        context: { spoc: EXPORT_CONTEXT, kind },
      });
    },
  };
}

/** A file SPOC offered, as its consent card's context names it: a register's export or the report. */
type Offered = { export: ExportKind } | { report: { period: string; fileName: string } };

function offeredOf(context: FileConsentContext | undefined): Offered | undefined {
  const report = reportFileOf(context);
  if (report) return { report };
  const kind = EXPORT_KINDS.find((k) => k === context?.kind);
  return context?.spoc === EXPORT_CONTEXT && kind ? { export: kind as ExportKind } : undefined;
}

/** A file made again for an accept, with what to log and what to say if it cannot be put; or the answer instead. */
type Remade =
  | {
      ok: true;
      csv: string;
      logged: Record<string, unknown>;
      done: string;
      failed: (ref: string) => Presentation;
    }
  | { ok: false; answer: Presentation };

/** The file offered, made again as the person accepting it (the role checked again). */
async function remake(ctx: DialogCtx, offered: Offered): Promise<Remade> {
  if ('report' in offered) {
    const { period, fileName } = offered.report;
    const file = await reportFile(ctx, period);
    if (!file.ok) return { ok: false, answer: reportProblem(ctx, file.error) };
    // `week` accepted next week would be another week's figures under the name the card showed.
    if (fileName && file.value.fileName !== fileName)
      return { ok: false, answer: reportFileMovedText(fileName) };
    return {
      ok: true,
      csv: file.value.csv,
      logged: { period },
      done: 'service report sent as a file',
      failed: reportUploadFailedText,
    };
  }
  const kind = offered.export;
  const file = await exportRegister(ctx, { kind });
  if (!file.ok) return { ok: false, answer: sentence(file.error.message) };
  return {
    ok: true,
    csv: file.value.csv,
    logged: { kind, rows: file.value.rows },
    done: 'register exported',
    failed: exportUploadFailedText,
  };
}

/**
 * The person accepted a file SPOC offered (a register's export, the service report): the file
 * made again (the role checked again) and put in the upload session Teams opened in their
 * OneDrive, then shown with a file info card.
 */
export async function acceptFile(
  deps: TeamsDeps,
  context: TurnContext,
  response: FileConsentCardResponse,
): Promise<void> {
  const offered = offeredOf(consentContextOf(response?.context));
  if (!offered) {
    deps.log.debug('Teams file consent for nothing SPOC offered');
    return say(context, ['This card is out of date; nothing was changed.']);
  }
  const who = await teamsContext(deps, context);
  if (!who.ok) return say(context, [who.message]);
  const { ctx } = who;
  const { timezone } = ctx.school;
  const made = await remake(ctx, offered);
  if (!made.ok) return show(context, made.answer, timezone);
  const uploadInfo = response.uploadInfo;
  try {
    await uploadToConsent(uploadInfo, Buffer.from(made.csv, 'utf8'));
  } catch (error) {
    const ref = errorRef();
    // The upload address is a credential of its own: never logged, nor the file's contents.
    deps.log.warn(
      {
        err: error instanceof Error ? error.message : String(error),
        ref,
        schoolId: ctx.school.id,
        ...made.logged,
      },
      'could not upload a file to OneDrive',
    );
    return show(context, made.failed(ref), timezone);
  }
  await context.sendActivity({ type: 'message', attachments: [fileInfoAttachment(uploadInfo ?? {})] });
  deps.log.info({ schoolId: ctx.school.id, ...made.logged }, made.done);
}

/** The person declined a file SPOC offered: said so; nothing was made. */
export async function declineFile(
  deps: TeamsDeps,
  context: TurnContext,
  response: FileConsentCardResponse,
): Promise<void> {
  const offered = offeredOf(consentContextOf(response?.context));
  const offeredName =
    offered && 'report' in offered ? offered.report.fileName : offered ? `spoc-${offered.export}.csv` : '';
  const name = (response?.uploadInfo?.name ?? '') || offeredName || 'the file';
  deps.log.debug({ offered: offered ? Object.keys(offered)[0] : undefined }, 'Teams file declined');
  await show(context, exportDeclinedText(name));
}

// The import.

/** `spoc import <register>`, with the CSV attached; without one, how to send it. */
function importCommand(deps: TeamsDeps): TeamsCommand {
  return {
    words: ['spoc', 'import'],
    usage: 'spoc import <register>',
    summary: 'a register from a CSV file attached to the message, with a preview first',
    async run(context, rest) {
      const word = rest.split(/\s+/)[0]?.toLowerCase();
      const kind = ALL_IMPORT_KINDS.find((k) => k === word);
      if (!kind) return say(context, importUsage());
      const who = await teamsContext(deps, context);
      if (!who.ok) return say(context, [who.message]);
      const { ctx } = who;
      const { timezone } = ctx.school;
      // Who may import is settled before anything is fetched.
      if (!can(ctx.actor.role, 'register.manage')) return say(context, [FORBIDDEN['register.manage']]);
      if (!inPersonalChat(context))
        return show(context, filesInPersonalChat(`spoc import ${kind}`), timezone);
      const file = sentFileOf(context);
      if (!file) {
        // The next file the person sends is for this register, whichever process it reaches.
        await setPendingImport(deps.db, {
          personId: ctx.actor.personId,
          schoolId: ctx.actor.schoolId,
          kind,
          createdAt: deps.clock.now(),
        });
        return show(
          context,
          titled(kind, {
            text: [IMPORT_TITLES[kind]],
            sections: [
              { kind: 'text', text: importIntro(kind) },
              { kind: 'text', text: sendFileWith(kind) },
              { kind: 'context', text: [IMPORT_PREVIEW_FIRST] },
            ],
            actions: [],
          }),
          timezone,
        );
      }
      await context.sendActivity({ type: 'typing' });
      await context.sendActivity(await checkFile(deps, ctx, kind, file));
    },
  };
}

/** How long after `spoc import <register>` a file sent alone is taken for that register. */
const PENDING_IMPORT_MS = 30 * 60 * 1000;

/**
 * A file sent with no words: checked for the register the person asked to import in the last half
 * hour (`spoc import <register>` with no file), else asked which register it is for.
 */
/** A picture (by its extension), as a fault's photo would be: not a file for a register. */
const isPhotoFile = (file: SentFile) => (PHOTO_FILETYPES as readonly string[]).includes(file.fileType);

export async function answerFileAlone(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const file = sentFileOf(context);
  const who = await teamsContext(deps, context);
  if (!file || !who.ok || !inPersonalChat(context)) return show(context, whichRegister());
  const { ctx } = who;
  const since = new Date(deps.clock.now().getTime() - PENDING_IMPORT_MS);
  const pending = await takePendingImport(deps.db, ctx.actor.personId, ctx.actor.schoolId, since);
  const kind = ALL_IMPORT_KINDS.find((k) => k === pending);
  if (!kind) return show(context, isPhotoFile(file) ? photoNotKept() : whichRegister(), ctx.school.timezone);
  // The role is checked again: it may have changed since the command.
  if (!can(ctx.actor.role, 'register.manage')) return say(context, [FORBIDDEN['register.manage']]);
  await context.sendActivity({ type: 'typing' });
  await context.sendActivity(await checkFile(deps, ctx, kind, file));
}

type Message = ReturnType<typeof cardMessage>;

/** Fetches and plans the file: the preview card, or what is wrong with the file. */
async function checkFile(
  deps: TeamsDeps,
  ctx: DialogCtx,
  kind: AnyImportKind,
  file: SentFile,
): Promise<Message> {
  const { timezone } = ctx.school;
  const card = (p: Presentation) => cardMessage(p, { timezone });
  if (file.fileType !== 'csv') return card(problem(kind, importProblemText(NOT_CSV)));
  let content: string;
  try {
    content = await downloadTeamsFile(file);
  } catch (error) {
    if (error instanceof TeamsFileTooLarge) return card(problem(kind, importProblemText(error.message)));
    const ref = errorRef();
    deps.log.warn(
      { err: error instanceof Error ? error.message : String(error), ref, kind },
      'could not download a file sent in Teams',
    );
    return card(problem(kind, importFailedText(ref, 'checking')));
  }
  try {
    const preview = await withQueryTimeout(IMPORT_QUERY_TIMEOUT_MS, () =>
      previewImport(ctx, { kind, fileName: file.name, content }),
    );
    if (!preview.ok) return card(problem(kind, importProblemText(preview.error.message)));
    return previewMessage(ctx, preview.value.summary, preview.value.batchId);
  } catch (error) {
    const ref = errorRef();
    deps.log.error({ err: error, ref, schoolId: ctx.school.id, kind, stage: 'checking' }, 'import failed');
    return card(problem(kind, importFailedText(ref, 'checking')));
  }
}

/** A Universal Action of the preview's. */
function executeButton(verb: string, title: string, data: Record<string, string>, primary = false) {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    associatedInputs: verb === IMPORT_CONFIRM ? 'auto' : 'none',
    ...(primary ? { style: 'positive' } : {}),
  };
}

/** The preview as a card: the domain's words, the choice to create what the file names, Import / Cancel. */
function previewMessage(ctx: DialogCtx, summary: ImportSummary, batchId: string): Message {
  const { timezone } = ctx.school;
  const { presentation, canCommit, askToCreate } = presentImportPreview(summary, false, { askHere: true });
  const card: AdaptiveCard = renderCard(titled(summary.kind, presentation), { timezone });
  if (askToCreate) {
    card.body.push({
      type: 'Input.Toggle',
      id: CREATE_INPUT,
      title: askToCreate,
      value: 'no',
      valueOn: 'yes',
      valueOff: 'no',
    });
  }
  if (canCommit) {
    const data = { value: batchId, kind: summary.kind };
    card.actions = [
      executeButton(IMPORT_CONFIRM, IMPORT_LABELS.import, data, true),
      executeButton(IMPORT_CANCEL, IMPORT_LABELS.cancel, data),
    ];
  }
  return {
    type: 'message',
    summary: plainText(presentation.text, timezone).slice(0, 250),
    attachments: [cardAttachment(card)],
  };
}

/** What an import's commit records once, and shows again to a repeat of it. */
type ImportAnswer = { result: ImportResult } | { error: string };

const kindOf = (value: unknown): AnyImportKind =>
  ALL_IMPORT_KINDS.find((k) => k === value) ?? ('assets' satisfies AnyImportKind);

const doneCard = (ctx: DialogCtx, kind: AnyImportKind, p: Presentation) =>
  cardAnswer(renderCard(titled(kind, p), { timezone: ctx.school.timezone }));

/** Import on a preview: the batch committed all or nothing, once. */
const confirmImport: CardPress = async (deps, ctx, data) => {
  const batchId = data.value;
  const kind = kindOf(data.kind);
  const createLocations = data[CREATE_INPUT] === 'yes';
  try {
    const { repeat, answer } = await withQueryTimeout(IMPORT_QUERY_TIMEOUT_MS, () =>
      submitOnce<DialogCtx, ImportAnswer>(ctx, { kind: IMPORT_COMMIT_KIND, key: batchId }, async (tx) => {
        const done = await commitImport(tx, { batchId, createLocations });
        if (!done.ok) return { saved: false, answer: { error: done.error.message } };
        return { saved: true, answer: { result: done.value } };
      }),
    );
    // Committed already, by someone else pressing the same card.
    if (!answer) return messageAnswer(IMPORT_ALREADY_DONE);
    if ('error' in answer) return doneCard(ctx, kind, sentence(importProblemText(answer.error)));
    if (!repeat) {
      const s = answer.result.summary;
      deps.log.info(
        { schoolId: ctx.school.id, kind: s.kind, new: s.new, updated: s.updated },
        'register imported',
      );
    }
    return doneCard(ctx, kind, presentImportDone(answer.result));
  } catch (error) {
    const ref = errorRef();
    deps.log.error({ err: error, ref, schoolId: ctx.school.id, kind, stage: 'importing' }, 'import failed');
    return doneCard(ctx, kind, sentence(importFailedText(ref, 'importing')));
  }
};

/** Cancel on a preview: nothing imported (the batch lapses unused). */
const cancelImport: CardPress = async (_deps, ctx, data) =>
  doneCard(ctx, kindOf(data.kind), sentence([IMPORT_CANCELLED]));

export const csvFamily: TeamsFamily = {
  commands: (deps) => [exportCommand(deps), importCommand(deps)],
  presses: { [IMPORT_CONFIRM]: confirmImport, [IMPORT_CANCEL]: cancelImport },
};
