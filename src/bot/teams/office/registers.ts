/**
 * The registers in Teams: `spoc locations` (Edit, Archive / Restore on each row, Add a location,
 * Previous / Next) — the same presenters, forms and domain commands as Slack's.
 */
import { locationsAnswer } from '../../../domain/answers/registers';
import { locationForm } from '../../../domain/forms/locations';
import { sentence } from '../../../domain/presenters/presentation';
import { LOCATIONS_PAGE, locationArchivedText } from '../../../domain/presenters/registers/locations';
import { readPageValue } from '../../../domain/presenters/registers/paging';
import { listLocationsWithParents, setLocationArchived } from '../../../domain/registers/locations';
import { officeFormDialog } from '../dialogs/office-form';
import { type CardPress, messageAnswer } from '../presses';
import { presentationAnswer } from '../replies';
import type { TeamsFamily } from './family';

/** Previous / Next on a register list, by the list the button names. */
const registersPage: CardPress = async (_deps, ctx, { value }) => {
  const to = readPageValue(value);
  if (!to) return messageAnswer('This card is out of date; nothing was changed.');
  if (to.kind === 'locations') return presentationAnswer(ctx, await locationsAnswer(ctx, to.page));
  return messageAnswer('This card is out of date; nothing was changed.');
};

/** Archive or Restore on a location's row: the list again, with what was done over it. */
const archivePress =
  (archived: boolean): CardPress =>
  async (_deps, ctx, { value: locationId }) => {
    const done = await setLocationArchived(ctx, { locationId, archived });
    if (!done.ok) return messageAnswer(done.error.message);
    const all = await listLocationsWithParents(ctx);
    const at = all.ok ? all.value.findIndex((l) => l.id === locationId) : -1;
    const page = at < 0 ? 1 : Math.floor(at / LOCATIONS_PAGE) + 1;
    return presentationAnswer(
      ctx,
      await locationsAnswer(ctx, page, sentence(locationArchivedText(done.value))),
    );
  };

export const registersFamily: TeamsFamily = {
  replies: [
    {
      words: ['spoc', 'locations'],
      usage: 'spoc locations',
      summary: "the school's locations",
      present: (_deps, ctx) => locationsAnswer(ctx, 1),
    },
  ],
  presses: {
    'registers.previous': registersPage,
    'registers.next': registersPage,
    'location.archive': archivePress(true),
    'location.restore': archivePress(false),
  },
  dialogs: [
    officeFormDialog('location.add', locationForm, { record: false }),
    officeFormDialog('location.edit', locationForm, { record: true }),
  ],
};
