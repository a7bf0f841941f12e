/** Every dialog a card button opens in Teams, by its verb. */
import { officeDialogs } from '../office/index';
import { commentDialog } from './comment';
import type { Dialog } from './dialog';
import { escalateDialog, forwardDialog, handBackDialog, providerUpdateDialog } from './liaison';
import { reassignDialog } from './reassign';
import { renewedDialog } from './renewed';
import { resolveDialog } from './resolve';
import { satisfactionDialog } from './satisfaction';
import { closeDialog, holdDialog, mergeDialog, noteDialog, replyDialog, triageDialog } from './staff-forms';

export const DIALOGS: ReadonlyMap<string, Dialog> = new Map(
  [
    resolveDialog,
    triageDialog,
    forwardDialog,
    escalateDialog,
    providerUpdateDialog,
    handBackDialog,
    holdDialog,
    noteDialog,
    replyDialog,
    mergeDialog,
    closeDialog,
    commentDialog,
    satisfactionDialog,
    renewedDialog,
    reassignDialog,
    ...officeDialogs,
  ].map((d) => [d.verb, d]),
);
