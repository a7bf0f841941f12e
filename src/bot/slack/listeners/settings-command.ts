/**
 * `/spoc settings [sla P1 30m 4h | hours 08:30 15:30]` and its Edit form, both defined once in the
 * domain (`answers/settings.ts`, `forms/settings.ts`). Staff may look; only an admin may change
 * anything.
 */
import type { App } from '@slack/bolt';
import { settingsAnswer } from '../../../domain/answers/settings';
import { settingsForm } from '../../../domain/forms/settings';
import type { SlackDeps } from '../deps';
import { ACTION, CALLBACK } from '../ids';
import { renderMessage } from '../views/render';
import { registerOfficeForm } from './office-forms';
import type { Handler } from './subcommand';

export { durationWords } from '../../../domain/answers/settings';

export const settingsCommand: Handler = async (ctx, args) =>
  renderMessage(await settingsAnswer(ctx, args), ctx.school.timezone);

export const SETTINGS_SUBCOMMANDS: Record<string, Handler> = { settings: settingsCommand };

/** The Edit button and the settings form. */
export function registerSettingsActions(app: App, deps: SlackDeps): void {
  registerOfficeForm(app, deps, settingsForm, CALLBACK.settingsModal, [
    { actionId: ACTION.settingsEdit, record: false },
  ]);
}
