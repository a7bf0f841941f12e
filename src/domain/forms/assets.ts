/**
 * The asset forms, defined once for every platform: Register an asset / Edit (`assetForm`), Move
 * (`assetMoveForm`, technicians too) and Status / dispose (`assetStatusForm`). Also the money
 * fields every office form shares: how a sum opens in a form and how what was typed is read.
 */
import type { AssetRow } from '../../db/queries/assets';
import { parseMoney } from '../imports/fields';
import { listLocations } from '../locations/list-locations';
import { bold, emoji, typed } from '../presenters/presentation';
import {
  ASSET_TAG_MAX,
  type AssetInput,
  editAsset,
  getAssetDetail,
  moveAsset,
  registerAsset,
  setAssetStatus,
} from '../registers/assets';
import {
  ASSET_STATUS_LABELS,
  ASSET_STATUSES,
  ASSET_TYPE_LABELS,
  ASSET_TYPES,
  type AssetStatus,
  type AssetType,
} from '../registers/types';
import type { Result } from '../result';
import type { FieldReader, FormOption, FormSpec, OfficeForm } from './form';

type Place = { id: string; name: string };

/** Pence as the plain figure a money field opens with (`1234.50`). */
export function moneyInitial(pence: number | null | undefined): string | undefined {
  return pence === null || pence === undefined ? undefined : (pence / 100).toFixed(2);
}

/**
 * A money field's value in pence (`1234.5`, `£1,234.50`; empty is null); a figure that is not one
 * is refused beside the field before any command runs.
 */
export function readMoney(read: FieldReader, id: string): Result<number | null> {
  const parsed = parseMoney(read(id) ?? '');
  if (parsed.ok) return { ok: true, value: parsed.value };
  return {
    ok: false,
    error: { code: 'VALIDATION', message: parsed.reason, fields: { [id]: parsed.reason } },
  };
}

const optionsOf = <K extends string>(values: readonly K[], labels: Record<K, string>): FormOption[] =>
  values.map((v) => ({ value: v, label: labels[v] }));

/** The places a form offers, keeping the record's current one even if it has been archived. */
function withCurrent(places: readonly Place[], id: string | null, name: string | null): Place[] {
  return id && !places.some((l) => l.id === id)
    ? [...places, { id, name: `${name ?? 'Unknown'} (archived)` }]
    : [...places];
}

/** The form for `asset` (an edit) or a new one; `places`: where it may be. */
export function assetFormSpec(asset: AssetRow | undefined, places: readonly Place[]): FormSpec {
  return {
    title: asset ? `Edit ${asset.tag}` : 'Register an asset',
    submit: 'Save',
    fields: [
      {
        kind: 'text',
        id: 'tag',
        label: 'Asset tag',
        initial: asset?.tag,
        max: ASSET_TAG_MAX,
        placeholder: 'e.g. LAP-0042',
      },
      {
        kind: 'choice',
        id: 'type',
        label: 'Type',
        options: optionsOf(ASSET_TYPES, ASSET_TYPE_LABELS),
        initial: asset?.type,
      },
      { kind: 'text', id: 'make', label: 'Make', initial: asset?.make, optional: true, max: 100 },
      { kind: 'text', id: 'model', label: 'Model', initial: asset?.model, optional: true, max: 100 },
      {
        kind: 'text',
        id: 'serial',
        label: 'Serial number',
        initial: asset?.serial,
        optional: true,
        max: 100,
      },
      { kind: 'location', id: 'locationId', label: 'Location', places, initial: asset?.locationId },
      { kind: 'text', id: 'supplier', label: 'Supplier', initial: asset?.supplier, optional: true, max: 100 },
      { kind: 'date', id: 'purchaseDate', label: 'Purchase date', initial: asset?.purchaseDate },
      {
        kind: 'text',
        id: 'costPence',
        label: 'Cost (£)',
        initial: moneyInitial(asset?.costPence),
        optional: true,
        placeholder: 'e.g. 549.99',
      },
      { kind: 'date', id: 'warrantyEnd', label: 'Warranty ends', initial: asset?.warrantyEnd },
      // Disposal goes through the Status form (with its note); a disposed asset stays disposed here.
      {
        kind: 'choice',
        id: 'status',
        label: 'Status',
        options: optionsOf(
          asset?.status === 'disposed' ? ASSET_STATUSES : ASSET_STATUSES.filter((s) => s !== 'disposed'),
          ASSET_STATUS_LABELS,
        ),
        initial: asset?.status ?? 'in_use',
      },
      {
        kind: 'text',
        id: 'notes',
        label: 'Notes',
        initial: asset?.notes,
        optional: true,
        multiline: true,
        max: 2000,
      },
    ],
  };
}

/** Where an asset is moved to. */
export function assetMoveFormSpec(asset: AssetRow, places: readonly Place[]): FormSpec {
  return {
    title: `Move ${asset.tag}`,
    submit: 'Move',
    fields: [
      { kind: 'note', text: ['Where is ', bold(typed(asset.tag, ASSET_TAG_MAX)), ' now?'] },
      {
        kind: 'location',
        id: 'locationId',
        label: 'New location',
        places,
        initial: asset.locationId,
        optional: false,
      },
    ],
  };
}

/** An asset's status, with the note disposal needs. */
export function assetStatusFormSpec(asset: AssetRow): FormSpec {
  return {
    title: `Status of ${asset.tag}`,
    submit: 'Save',
    fields: [
      {
        kind: 'choice',
        id: 'status',
        label: 'Status',
        options: optionsOf(ASSET_STATUSES, ASSET_STATUS_LABELS),
        initial: asset.status,
      },
      {
        kind: 'text',
        id: 'note',
        label: 'Note',
        optional: true,
        multiline: true,
        max: 1000,
        hint: 'Needed for disposal: how it went (WEEE collection, certificate number, sold to…).',
      },
    ],
  };
}

export const assetForm: OfficeForm = {
  name: 'asset',
  permission: 'register.manage',
  async open(ctx, id) {
    const places = await listLocations(ctx);
    if (!id) return { ok: true, value: assetFormSpec(undefined, places) };
    const found = await getAssetDetail(ctx, { ref: id });
    if (!found.ok) return found;
    const { asset, locationName } = found.value;
    return { ok: true, value: assetFormSpec(asset, withCurrent(places, asset.locationId, locationName)) };
  },
  async submit(ctx, id, read) {
    const cost = readMoney(read, 'costPence');
    if (!cost.ok) return cost;
    const input: AssetInput = {
      tag: read('tag') ?? '',
      type: (read('type') ?? '') as AssetType,
      make: read('make') ?? '',
      model: read('model') ?? '',
      serial: read('serial') ?? '',
      locationId: read('locationId') ?? null,
      supplier: read('supplier') ?? '',
      purchaseDate: read('purchaseDate') ?? null,
      costPence: cost.value,
      warrantyEnd: read('warrantyEnd') ?? null,
      status: (read('status') ?? 'in_use') as AssetStatus,
      notes: read('notes') ?? '',
    };
    const saved = id ? await editAsset(ctx, { ...input, assetId: id }) : await registerAsset(ctx, input);
    if (!saved.ok) return saved;
    return {
      ok: true,
      value: {
        saved: [
          emoji(':white_check_mark:'),
          ' Asset ',
          bold(typed(saved.value.tag, ASSET_TAG_MAX)),
          ' saved.',
        ],
      },
    };
  },
};

export const assetMoveForm: OfficeForm = {
  name: 'assetMove',
  permission: 'asset.move',
  async open(ctx, id) {
    const found = await getAssetDetail(ctx, { ref: id ?? '' });
    if (!found.ok) return found;
    return { ok: true, value: assetMoveFormSpec(found.value.asset, await listLocations(ctx)) };
  },
  async submit(ctx, id, read) {
    const moved = await moveAsset(ctx, { assetId: id ?? '', locationId: read('locationId') ?? null });
    if (!moved.ok) return moved;
    return {
      ok: true,
      value: { saved: [emoji(':truck:'), ' ', bold(typed(moved.value.tag, ASSET_TAG_MAX)), ' moved.'] },
    };
  },
};

export const assetStatusForm: OfficeForm = {
  name: 'assetStatus',
  permission: 'register.manage',
  async open(ctx, id) {
    const found = await getAssetDetail(ctx, { ref: id ?? '' });
    if (!found.ok) return found;
    return { ok: true, value: assetStatusFormSpec(found.value.asset) };
  },
  async submit(ctx, id, read) {
    const set = await setAssetStatus(ctx, {
      assetId: id ?? '',
      status: (read('status') ?? '') as AssetStatus,
      note: read('note'),
    });
    if (!set.ok) return set;
    return {
      ok: true,
      value: {
        saved: [
          bold(typed(set.value.tag, ASSET_TAG_MAX)),
          ` is now ${ASSET_STATUS_LABELS[set.value.status].toLowerCase()}.`,
        ],
      },
    };
  },
};
