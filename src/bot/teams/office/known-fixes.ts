/**
 * Known fixes in Teams: `spoc fixes` (technicians, office and admin) with, for the office, a
 * row's Edit (a dialog), Retire / Put back in use, Add a fix (a dialog) and Previous / Next — the
 * same answer, presenter, form and domain commands as Slack's `/spoc fixes`.
 */
import { fixesAnswer, pageOfFix } from '../../../domain/answers/known-fixes';
import { knownFixForm } from '../../../domain/forms/known-fixes';
import { setKnownFixRetired } from '../../../domain/known-fixes/known-fixes';
import { FIXES_PAGE, fixRetiredText } from '../../../domain/presenters/known-fixes';
import { sentence } from '../../../domain/presenters/presentation';
import { readPageValue } from '../../../domain/presenters/registers/paging';
import { officeFormDialog } from '../dialogs/office-form';
import { type CardPress, messageAnswer } from '../presses';
import { presentationAnswer } from '../replies';
import type { TeamsFamily } from './family';

const OUT_OF_DATE = 'This card is out of date; nothing was changed.';

const fixesPage: CardPress = async (_deps, ctx, { value }) => {
  const to = readPageValue(value);
  if (to?.kind !== 'fixes') return messageAnswer(OUT_OF_DATE);
  return presentationAnswer(ctx, await fixesAnswer(ctx, to.page));
};

/** Retire or Put back in use on a fix's row: the list again, with what was done over it. */
const retirePress =
  (retired: boolean): CardPress =>
  async (_deps, ctx, { value: fixId }) => {
    const done = await setKnownFixRetired(ctx, { fixId, retired });
    if (!done.ok) return messageAnswer(done.error.message);
    const page = await pageOfFix(ctx, fixId, FIXES_PAGE);
    return presentationAnswer(ctx, await fixesAnswer(ctx, page, sentence(fixRetiredText(done.value))));
  };

export const knownFixesFamily: TeamsFamily = {
  replies: [
    {
      words: ['spoc', 'fixes'],
      usage: 'spoc fixes',
      summary: 'known fixes, offered to teachers as they report',
      present: (_deps, ctx) => fixesAnswer(ctx, 1),
    },
  ],
  presses: {
    'fixes.previous': fixesPage,
    'fixes.next': fixesPage,
    'fix.retire': retirePress(true),
    'fix.restore': retirePress(false),
  },
  dialogs: [
    officeFormDialog('fix.add', knownFixForm, { record: false }),
    officeFormDialog('fix.edit', knownFixForm, { record: true }),
  ],
};
