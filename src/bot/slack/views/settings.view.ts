/** `/spoc settings`: the school day, service targets and reminder lead times, and their form. */
import type { ModalView } from '@slack/types';
import { settingsFormSpec, settingsSavedText } from '../../../domain/forms/settings';
import { presentSettings } from '../../../domain/presenters/settings';
import type { SchoolSettings } from '../../../domain/schools/settings';
import { CALLBACK } from '../ids';
import { md, plain } from './format';
import type { SlackMessage } from './incident-card.view';
import { officeFormModal } from './office-form.view';
import { mrkdwn, renderMessage } from './render';

/** The settings as a private reply; the Edit button is there for admins (the form checks again). */
export function settingsView(s: SchoolSettings, canEdit: boolean): SlackMessage {
  return renderMessage(presentSettings(s, canEdit));
}

/** The settings form: every value as text, in the form the command reads back. */
export function settingsModalView(s: SchoolSettings): ModalView {
  return officeFormModal(CALLBACK.settingsModal, settingsFormSpec(s), undefined);
}

/** Replaces the form once saved: what the form's submit says. */
export function settingsSavedView(s: SchoolSettings, changed: number): ModalView {
  return {
    type: 'modal',
    title: plain('Saved'),
    close: plain('Done'),
    blocks: [{ type: 'section', text: md(mrkdwn(settingsSavedText(s, changed))) }],
  };
}
