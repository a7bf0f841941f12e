/**
 * The registers in Teams: `spoc locations` (Edit, Archive / Restore on each row, Add a location,
 * Previous / Next), `spoc assets [location|type|text]` (View on each row, Register an asset,
 * Previous / Next), `spoc asset TAG` (Edit, Move, Status / dispose) and `spoc licences` (Edit on
 * each row, Add a licence) — the same answers, presenters, forms and domain commands as Slack's.
 */
import {
  assetAnswer,
  assetsAnswer,
  licencesAnswer,
  locationsAnswer,
} from '../../../domain/answers/registers';
import { assetForm, assetMoveForm, assetStatusForm } from '../../../domain/forms/assets';
import { licenceForm } from '../../../domain/forms/licences';
import { locationForm } from '../../../domain/forms/locations';
import { sentence } from '../../../domain/presenters/presentation';
import { LOCATIONS_PAGE, locationArchivedText } from '../../../domain/presenters/registers/locations';
import { readPageValue } from '../../../domain/presenters/registers/paging';
import { listLocationsWithParents, setLocationArchived } from '../../../domain/registers/locations';
import { can, FORBIDDEN } from '../../../domain/roles';
import { officeFormDialog } from '../dialogs/office-form';
import { type CardPress, messageAnswer } from '../presses';
import { presentationAnswer, type ReplyCommand } from '../replies';
import type { TeamsFamily } from './family';

const OUT_OF_DATE = 'This card is out of date; nothing was changed.';

/** Previous / Next on a register list, by the list the button names. */
const registersPage: CardPress = async (_deps, ctx, { value }) => {
  const to = readPageValue(value);
  if (!to) return messageAnswer(OUT_OF_DATE);
  if (to.kind === 'locations') return presentationAnswer(ctx, await locationsAnswer(ctx, to.page));
  if (to.kind === 'assets') return presentationAnswer(ctx, await assetsAnswer(ctx, to.query, to.page));
  return messageAnswer(OUT_OF_DATE);
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

/** View on an asset's row: the asset's page, for the presser (who must see the registers). */
const viewAsset: CardPress = async (_deps, ctx, { value }) => {
  if (!can(ctx.actor.role, 'register.view')) return messageAnswer(FORBIDDEN['register.view']);
  if (!value) return messageAnswer(OUT_OF_DATE);
  return presentationAnswer(ctx, await assetAnswer(ctx, value));
};

const licences = (words: string[], summary: string): ReplyCommand => ({
  words,
  usage: words.join(' '),
  summary,
  present: (_deps, ctx) => licencesAnswer(ctx),
});

export const registersFamily: TeamsFamily = {
  replies: [
    {
      words: ['spoc', 'locations'],
      usage: 'spoc locations',
      summary: "the school's locations",
      present: (_deps, ctx) => locationsAnswer(ctx, 1),
    },
    {
      words: ['spoc', 'assets'],
      usage: 'spoc assets [location|type|text]',
      summary: 'the asset register',
      present: (_deps, ctx, rest) => assetsAnswer(ctx, rest, 1),
    },
    {
      words: ['spoc', 'asset'],
      usage: 'spoc asset TAG',
      summary: 'one asset',
      present: (_deps, ctx, rest) => assetAnswer(ctx, rest),
    },
    licences(['spoc', 'licences'], 'the licence list, with compliance'),
    licences(['spoc', 'licenses'], 'the same as spoc licences'),
  ],
  presses: {
    'registers.previous': registersPage,
    'registers.next': registersPage,
    'location.archive': archivePress(true),
    'location.restore': archivePress(false),
    'asset.view': viewAsset,
  },
  dialogs: [
    officeFormDialog('location.add', locationForm, { record: false }),
    officeFormDialog('location.edit', locationForm, { record: true }),
    officeFormDialog('asset.add', assetForm, { record: false }),
    officeFormDialog('asset.edit', assetForm, { record: true }),
    officeFormDialog('asset.move', assetMoveForm, { record: true }),
    officeFormDialog('asset.status', assetStatusForm, { record: true }),
    officeFormDialog('licence.add', licenceForm, { record: false }),
    officeFormDialog('licence.edit', licenceForm, { record: true }),
  ],
};
