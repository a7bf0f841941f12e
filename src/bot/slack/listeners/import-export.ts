/**
 * CSV import and export in Slack. `/spoc import assets` opens an upload form; the file is checked
 * after the ack (download and parse may take a while) and a preview replaces the form; the SPOC
 * then commits it, all or nothing. `/spoc export assets` sends the CSV to the caller's DMs.
 */
import type { App, RespondFn } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { withQueryTimeout } from '../../../db/deadline';
import { ALL_IMPORT_KINDS, type AnyImportKind } from '../../../domain/imports/kinds';
import { MAX_IMPORT_BYTES } from '../../../domain/imports/read-csv';
import {
  exportFileComment,
  exportSentText,
  exportUsage,
  IMPORT_LABELS,
  importUsage,
} from '../../../domain/presenters/import-preview';
import { EXPORT_KINDS, type ExportKind, exportRegister } from '../../../domain/registers/export-register';
import { commitImport, previewImport } from '../../../domain/registers/import-register';
import { can, FORBIDDEN } from '../../../domain/roles';
import type { CommandArgs, SlackDeps, SubmitArgs } from '../deps';
import { downloadSlackFile, FileTooLarge, sendFileToDm } from '../files';
import { errorRef, guard } from '../guard';
import { contextFor, slackWho } from '../identity';
import { REGISTER_BLOCK as B, CALLBACK } from '../ids';
import { readMetadata, readState } from '../view-state';
import {
  importCheckingView,
  importDoneView,
  importFailedView,
  importModalView,
  importPreviewView,
  importProblemView,
} from '../views/registers/import.view';
import { mrkdwn } from '../views/render';

const Kind = z.custom<AnyImportKind>((v) => (ALL_IMPORT_KINDS as readonly unknown[]).includes(v));
const ImportMeta = z.object({ kind: Kind });
const PreviewMeta = z.object({
  kind: Kind,
  batchId: z.string(),
  createLocations: z.boolean(),
});

const tell = (respond: RespondFn, text: string) => respond({ response_type: 'ephemeral', text });

/** `/spoc import <kind>`: opens the upload form (after the ack: it needs the trigger). */
export async function startImport(
  deps: SlackDeps,
  args: CommandArgs,
  kindWord: string | undefined,
): Promise<void> {
  await args.ack();
  const kind = ALL_IMPORT_KINDS.find((k) => k === kindWord?.toLowerCase());
  if (!kind) return void (await tell(args.respond, mrkdwn(importUsage())));
  const ctx = await contextFor(deps, slackWho(args.command));
  if (!can(ctx.actor.role, 'register.manage'))
    return void (await tell(args.respond, FORBIDDEN['register.manage']));
  await args.client.views.open({ trigger_id: args.command.trigger_id, view: importModalView(kind) });
}

/** `/spoc export <kind>`: the register as a CSV file in the caller's DMs. */
export async function runExport(
  deps: SlackDeps,
  args: CommandArgs,
  kindWord: string | undefined,
): Promise<void> {
  await args.ack();
  const kind = EXPORT_KINDS.find((k) => k === kindWord?.toLowerCase());
  if (!kind) return void (await tell(args.respond, mrkdwn(exportUsage(EXPORT_KINDS))));
  const ctx = await contextFor(deps, slackWho(args.command));
  const file = await exportRegister(ctx, { kind: kind as ExportKind });
  if (!file.ok) return void (await tell(args.respond, file.error.message));
  await sendFileToDm(args.client, args.command.user_id, {
    fileName: file.value.fileName,
    content: file.value.csv,
    comment: exportFileComment(file.value.rows),
  });
  await tell(args.respond, mrkdwn(exportSentText(file.value.rows, kind, file.value.fileName)));
}

/**
 * How long one database call of an import's slow part may take. It runs after the ack, with the
 * modal saying so, so Slack's 3 s do not apply; a chunk of a 20,000-row import may take longer
 * than a request's bound (REQUEST_QUERY_TIMEOUT_MS) on a busy database. Past Postgres's own
 * statement timeout, so only a stall reaches it.
 */
const IMPORT_QUERY_TIMEOUT_MS = 20_000;

/**
 * Runs the slow part of an import (after the ack, with the modal saying "Checking…" or
 * "Importing…"). A fault there is logged once with a reference and the modal says it failed,
 * carrying that reference: it is never left spinning, and the guard has nothing left to report.
 */
async function orFailed(
  deps: SlackDeps,
  kind: AnyImportKind,
  stage: 'checking' | 'importing',
  who: { teamId: string; userId: string },
  work: () => Promise<ModalView>,
): Promise<ModalView> {
  try {
    return await withQueryTimeout(IMPORT_QUERY_TIMEOUT_MS, work);
  } catch (error) {
    const ref = errorRef();
    deps.log.error({ err: error, ref, teamId: who.teamId, userId: who.userId, kind, stage }, 'import failed');
    return importFailedView(kind, ref, stage);
  }
}

/** Updates a modal; if the person has closed it meanwhile, there is nobody to show. */
async function updateView(client: WebClient, viewId: string, view: ModalView): Promise<void> {
  try {
    await client.views.update({ view_id: viewId, view });
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code !== 'not_found' && code !== 'view_not_found') throw error;
  }
}

export function registerImportExport(app: App, deps: SlackDeps): void {
  app.view(
    CALLBACK.importModal,
    guard<SubmitArgs>(deps, async ({ ack, body, view, client }) => {
      // Who may import is settled before anything is fetched.
      const ctx = await contextFor(deps, slackWho(body));
      if (!can(ctx.actor.role, 'register.manage'))
        return ack({ response_action: 'errors', errors: { [B.file]: FORBIDDEN['register.manage'] } });
      const kind = readMetadata(ImportMeta, view.private_metadata)?.kind;
      const state = readState(view.state.values);
      const [file] = state.files(B.file);
      if (!kind || !file)
        return ack({ response_action: 'errors', errors: { [B.file]: IMPORT_LABELS.chooseFile } });
      if ((file.size ?? 0) > MAX_IMPORT_BYTES) {
        return ack({
          response_action: 'errors',
          errors: { [B.file]: new FileTooLarge(file.size ?? 0).message },
        });
      }
      const fileName = file.name ?? 'upload.csv';
      // The download and the check can take longer than Slack waits: say so, then fill in the preview.
      await ack({ response_action: 'update', view: importCheckingView(kind, fileName) });
      const createLocations = state.checked(B.createLocations).includes('yes');
      const checked = async (): Promise<ModalView> => {
        let content: string;
        try {
          // Only the file's id is taken from the payload: Slack says where the file is.
          content = await downloadSlackFile(client, file.id);
        } catch (error) {
          const ref = errorRef();
          deps.log.warn({ err: error, ref, fileId: file.id }, 'could not download an uploaded file');
          return importProblemView(
            kind,
            error instanceof FileTooLarge
              ? error.message
              : `Slack would not give me the file (ref ${ref}). Please upload it again; if it keeps happening, ask your admin to reinstall SPOC so it may read files.`,
          );
        }
        const preview = await previewImport(ctx, { kind, fileName, content });
        return preview.ok
          ? importPreviewView(preview.value.summary, preview.value.batchId, createLocations)
          : importProblemView(kind, preview.error.message);
      };
      await updateView(client, view.id, await orFailed(deps, kind, 'checking', slackWho(body), checked));
    }),
  );

  app.view(
    CALLBACK.importPreview,
    guard<SubmitArgs>(deps, async ({ ack, body, view, client }) => {
      const meta = readMetadata(PreviewMeta, view.private_metadata);
      const kind = meta?.kind ?? 'assets';
      // A big import can take longer than Slack waits: show that it is under way, then the result.
      await ack({ response_action: 'update', view: importCheckingView(kind, 'the import', 'Importing') });
      const outcome = await orFailed(deps, kind, 'importing', slackWho(body), async () => {
        const ctx = await contextFor(deps, slackWho(body));
        const done = await commitImport(ctx, {
          batchId: meta?.batchId ?? '',
          createLocations: meta?.createLocations ?? false,
        });
        if (!done.ok) return importProblemView(kind, done.error.message);
        deps.log.info(
          {
            schoolId: ctx.actor.schoolId,
            kind,
            new: done.value.summary.new,
            updated: done.value.summary.updated,
          },
          'register imported',
        );
        return importDoneView(done.value);
      });
      await updateView(client, view.id, outcome);
    }),
  );
}
