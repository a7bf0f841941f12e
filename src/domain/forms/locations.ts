/** The location form (add and edit), defined once for every platform. */
import type { LocationRow } from '../../db/queries/locations';
import { IMPACT_LABELS, IMPACTS, type Impact } from '../incidents/priority';
import { listLocations } from '../locations/list-locations';
import { bold, emoji, typed } from '../presenters/presentation';
import {
  addLocation,
  getLocationFor,
  LOCATION_NAME_MAX,
  type LocationInput,
  updateLocation,
} from '../registers/locations';
import type { FormSpec, OfficeForm } from './form';

/** The form for `location` (an edit) or a new one; `places`: where it may be inside. */
export function locationFormSpec(
  location: LocationRow | undefined,
  places: ReadonlyArray<{ id: string; name: string }>,
): FormSpec {
  return {
    title: location ? 'Edit location' : 'Add a location',
    submit: 'Save',
    fields: [
      {
        kind: 'text',
        id: 'name',
        label: 'Name',
        initial: location?.name,
        max: LOCATION_NAME_MAX,
        placeholder: 'e.g. Mrs Brown’s class',
      },
      {
        kind: 'location',
        id: 'parentId',
        label: 'Inside',
        places,
        initial: location?.parentId,
        hint: 'A room in a block, say.',
      },
      {
        kind: 'choice',
        id: 'defaultImpact',
        label: 'A fault here usually affects',
        options: IMPACTS.map((i) => ({ value: i, label: IMPACT_LABELS[i] })),
        initial: location?.defaultImpact,
        optional: true,
        hint: 'Used as the impact when a fault is reported here (the ICT suite affects a whole suite).',
      },
    ],
  };
}

export const locationForm: OfficeForm = {
  name: 'location',
  permission: 'register.manage',
  async open(ctx, id) {
    const found = id ? await getLocationFor(ctx, { locationId: id }) : undefined;
    if (found && !found.ok) return found;
    const location = found?.value;
    // A location cannot be inside itself: it is left out of the places it may be in.
    const places = (await listLocations(ctx)).filter((p) => p.id !== location?.id);
    return { ok: true, value: locationFormSpec(location, places) };
  },
  async submit(ctx, id, read) {
    const input: LocationInput = {
      name: read('name') ?? '',
      parentId: read('parentId') ?? null,
      defaultImpact: (read('defaultImpact') ?? null) as Impact | null,
    };
    const saved = id
      ? await updateLocation(ctx, { ...input, locationId: id })
      : await addLocation(ctx, input);
    if (!saved.ok) return saved;
    return {
      ok: true,
      value: {
        saved: [emoji(':round_pushpin:'), ' Location ', bold(typed(saved.value.name, 100)), ' saved.'],
      },
    };
  },
};
