/**
 * The known-fix form (Add a fix, Edit), defined once for every platform. The device is named by
 * its asset tag, as people read it on the sticker; an unknown tag is refused beside the field.
 */
import { getAsset, getAssetByTag } from '../../db/queries/assets';
import {
  addKnownFix,
  editKnownFix,
  FIX_KEYWORDS_MAX,
  FIX_STEPS_MAX,
  FIX_TITLE_MAX,
  getKnownFixFor,
  type KnownFix,
  type KnownFixInput,
} from '../known-fixes/known-fixes';
import { listLocations } from '../locations/list-locations';
import { bold, emoji, typed } from '../presenters/presentation';
import { ASSET_TAG_MAX } from '../registers/assets';
import { ASSET_TYPE_LABELS, ASSET_TYPES, type AssetType } from '../registers/types';
import { fail } from '../result';
import type { FormSpec, OfficeForm } from './form';

/** The form for `fix` (an edit) or a new one. */
export function knownFixFormSpec(
  fix: KnownFix | undefined,
  places: ReadonlyArray<{ id: string; name: string }>,
  assetTag: string | null,
): FormSpec {
  return {
    title: fix ? 'Edit known fix' : 'Add a known fix',
    submit: 'Save',
    fields: [
      {
        kind: 'text',
        id: 'title',
        label: 'What it fixes',
        initial: fix?.title,
        max: FIX_TITLE_MAX,
        placeholder: 'e.g. Projector shows “No signal”',
      },
      {
        kind: 'text',
        id: 'steps',
        label: 'What to do',
        initial: fix?.steps,
        max: FIX_STEPS_MAX,
        multiline: true,
        hint: 'Steps a teacher can follow; they are shown it while reporting a matching fault.',
      },
      {
        kind: 'location',
        id: 'locationId',
        label: 'For faults in',
        places,
        initial: fix?.locationId,
        hint: 'Leave blank for anywhere.',
      },
      {
        kind: 'choice',
        id: 'assetType',
        label: 'For this kind of device',
        options: ASSET_TYPES.map((t) => ({ value: t, label: ASSET_TYPE_LABELS[t] })),
        initial: fix?.assetType,
        optional: true,
        placeholder: 'Any kind',
      },
      {
        kind: 'text',
        id: 'assetTag',
        label: 'For one device (asset tag)',
        initial: assetTag,
        max: ASSET_TAG_MAX,
        optional: true,
        placeholder: 'e.g. PRJ-0007',
      },
      {
        kind: 'text',
        id: 'keywords',
        label: 'Key words',
        initial: fix?.keywords,
        max: FIX_KEYWORDS_MAX,
        optional: true,
        hint: 'Other words people use for the fault, e.g. beamer, no picture.',
      },
    ],
  };
}

export const knownFixForm: OfficeForm = {
  name: 'knownFix',
  permission: 'register.manage',
  async open(ctx, id) {
    const found = id ? await getKnownFixFor(ctx, { fixId: id }) : undefined;
    if (found && !found.ok) return found;
    const fix = found?.value;
    const asset = fix?.assetId ? await getAsset(ctx.db, ctx.actor.schoolId, fix.assetId) : undefined;
    const places = await listLocations(ctx);
    return { ok: true, value: knownFixFormSpec(fix, places, asset?.tag ?? null) };
  },
  async submit(ctx, id, read) {
    const tag = read('assetTag')?.trim();
    const asset = tag ? await getAssetByTag(ctx.db, ctx.actor.schoolId, tag) : undefined;
    if (tag && !asset) {
      return fail('VALIDATION', 'That asset tag is not in your register.', {
        assetTag: `No device has the tag “${tag.slice(0, 40)}”: check the sticker, or leave it blank.`,
      });
    }
    const input: KnownFixInput = {
      title: read('title') ?? '',
      steps: read('steps') ?? '',
      keywords: read('keywords') ?? '',
      locationId: read('locationId') ?? null,
      assetType: (read('assetType') ?? null) as AssetType | null,
      assetId: asset?.id ?? null,
    };
    const saved = id ? await editKnownFix(ctx, { ...input, fixId: id }) : await addKnownFix(ctx, input);
    if (!saved.ok) {
      const { assetId, ...rest } = saved.error.fields ?? {};
      return assetId
        ? { ok: false, error: { ...saved.error, fields: { ...rest, assetTag: assetId } } }
        : saved;
    }
    return { ok: true, value: { saved: savedText(saved.value.title) } };
  },
};

const savedText = (title: string) => [emoji(':bulb:'), ' Known fix ', bold(typed(title, 150)), ' saved.'];
