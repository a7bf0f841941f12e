/**
 * Buttons and forms of the registers: add/edit locations, register/edit/move/dispose assets,
 * add/edit licences, and paging through long lists. Every form is the domain's own
 * (`OfficeForm`), and every change goes through a domain command.
 */
import type { App } from '@slack/bolt';
import { assetForm, assetMoveForm, assetStatusForm } from '../../../domain/forms/assets';
import { licenceForm } from '../../../domain/forms/licences';
import { locationForm } from '../../../domain/forms/locations';
import { locationArchivedText } from '../../../domain/presenters/registers/locations';
import { readPageValue } from '../../../domain/presenters/registers/paging';
import { setLocationArchived } from '../../../domain/registers/locations';
import type { ButtonArgs, SlackDeps } from '../deps';
import { guard } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, CALLBACK } from '../ids';
import { mrkdwn } from '../views/render';
import { noticeView } from '../views/replies.view';
import { actionValue, answerStale, opener, registerRowMenu, reply } from './form-kit';
import { registerOfficeForm } from './office-forms';
import { assetReply, assetsReply, locationsReply } from './register-commands';

export function registerRegisterActions(app: App, deps: SlackDeps): void {
  const open = opener(app, deps);

  open(ACTION.assetView, 'register.view', (ctx, id) => assetReply(ctx, id));
  registerOfficeForm(app, deps, assetForm, CALLBACK.assetModal, [
    { actionId: ACTION.assetAdd, record: false },
    { actionId: ACTION.assetEdit, record: true },
  ]);
  registerOfficeForm(app, deps, assetMoveForm, CALLBACK.assetMoveModal, [
    { actionId: ACTION.assetMove, record: true },
  ]);
  registerOfficeForm(app, deps, assetStatusForm, CALLBACK.assetStatusModal, [
    { actionId: ACTION.assetStatus, record: true },
  ]);
  registerOfficeForm(app, deps, licenceForm, CALLBACK.licenceModal, [
    { actionId: ACTION.licenceAdd, record: false },
    { actionId: ACTION.licenceEdit, record: true },
  ]);
  registerOfficeForm(app, deps, locationForm, CALLBACK.locationModal, [
    { actionId: ACTION.locationAdd, record: false },
    { actionId: ACTION.locationEdit, record: true },
  ]);
  for (const [actionId, archived] of [
    [ACTION.locationArchive, true],
    [ACTION.locationRestore, false],
  ] as const) {
    open(actionId, 'register.manage', async (ctx, id) => {
      const done = await setLocationArchived(ctx, { locationId: id, archived });
      if (!done.ok) return noticeView(done.error.message);
      return noticeView(mrkdwn(locationArchivedText(done.value)));
    });
  }
  registerRowMenu(app, deps);

  app.action(
    new RegExp(`^${ACTION.page}_(prev|next)$`),
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const value = readPageValue(actionValue(args.body));
      if (!value || (value.kind !== 'locations' && value.kind !== 'assets')) return answerStale(args);
      const ctx = await contextFor(deps, slackWho(args.body));
      const message =
        value.kind === 'locations'
          ? await locationsReply(ctx, value.page)
          : await assetsReply(ctx, value.query, value.page);
      await reply(args, message, true);
    }),
  );
}
