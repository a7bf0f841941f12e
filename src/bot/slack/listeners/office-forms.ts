/**
 * The office's forms in Slack (`OfficeForm`, defined once in the domain for every platform): a
 * button opens the form as a modal after the role check; its submission, recorded once per view,
 * runs the form's own `submit`, with the domain's messages beside their fields, or replaces the
 * modal with what was saved. A form opened from the App Home (the registers' Add buttons, Edit
 * settings) remembers it, and the presser's home is published again once it is saved; a refusal
 * there goes on top of the home, which has no message to answer under.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { FieldReader, OfficeForm } from '../../../domain/forms/form';
import { can, FORBIDDEN } from '../../../domain/roles';
import type { ButtonArgs, SlackDeps, SubmitArgs } from '../deps';
import { guard, submitWithinBudget } from '../guard';
import { contextFor, slackWho } from '../identity';
import { type FormReply, replyOnce } from '../submit-once';
import { fieldErrors, readMetadata, readState, type StateReader } from '../view-state';
import { officeFormModal } from '../views/office-form.view';
import { mrkdwn } from '../views/render';
import { noticeView } from '../views/replies.view';
import { onButton, reply, type SlackCtx, savedView } from './form-kit';
import {
  FromHome,
  homeNotice,
  openedFromHome,
  pressedOnHome,
  publishHome,
  republishPresserHome,
} from './home';

/** A modal's state as the form reads it: a ticked checkbox reads as `'true'`. */
export function fieldReader(state: StateReader): FieldReader {
  return (id) => state(id) ?? (state.checked(id).length > 0 ? 'true' : undefined);
}

const Metadata = z.object({ id: z.string().optional() });

export interface OfficeFormButton {
  actionId: string;
  /** The button's value names the record the form is about; otherwise the form is for a new one. */
  record: boolean;
}

/** Registers `form` in Slack: the buttons that open it, and its submission under `callbackId`. */
export function registerOfficeForm(
  app: App,
  deps: SlackDeps,
  form: OfficeForm,
  callbackId: string,
  buttons: readonly OfficeFormButton[],
): void {
  // The presser is told privately why the form does not open: under the message, or on their home.
  const refuse = (args: ButtonArgs, ctx: SlackCtx, text: string) =>
    pressedOnHome(args.body)
      ? publishHome(args.client, ctx, args.body.user.id, homeNotice(text))
      : reply(args, noticeView(text));
  for (const button of buttons) {
    onButton(app, deps, button.actionId, async (args, value) => {
      const ctx = await contextFor(deps, slackWho(args.body));
      if (!can(ctx.actor.role, form.permission)) return refuse(args, ctx, FORBIDDEN[form.permission]);
      const id = button.record && value ? value : undefined;
      const spec = await form.open(ctx, id);
      if (!spec.ok) return refuse(args, ctx, spec.error.message);
      const view = officeFormModal(callbackId, spec.value, id);
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: pressedOnHome(args.body) ? openedFromHome(view) : view,
      });
    });
  }
  app.view(
    callbackId,
    guard<SubmitArgs>(deps, async (args) => {
      const { body, view } = args;
      let saved = false;
      await submitWithinBudget(deps, args, async () => {
        const ctx = await contextFor(deps, slackWho(body));
        const id = readMetadata(Metadata, view.private_metadata)?.id;
        const { repeat, reply } = await replyOnce(ctx, view, async (tx): Promise<FormReply> => {
          const result = await form.submit(tx, id, fieldReader(readState(view.state.values)));
          if (!result.ok) {
            const ids = Object.keys(view.state.values);
            const blocks = Object.fromEntries(ids.map((b) => [b, b]));
            return { response_action: 'errors', errors: fieldErrors(result.error, blocks, ids[0] ?? '') };
          }
          return {
            response_action: 'update',
            view: savedView(mrkdwn(result.value.saved, ctx.school.timezone)),
          };
        });
        if (!repeat && reply?.response_action !== 'errors') {
          deps.kick();
          saved = true;
        }
        return reply;
      });
      // Opened from the App Home: the presser's home shows what was saved, at once.
      if (saved && readMetadata(FromHome, view.private_metadata)) await republishPresserHome(deps, args);
    }),
  );
}
