/** The register forms: location, asset (register/edit, move, status) and licence. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { AssetRow } from '../../../../db/queries/assets';
import type { LicenceRow } from '../../../../db/queries/licences';
import {
  ASSET_STATUS_LABELS,
  ASSET_STATUSES,
  ASSET_TYPE_LABELS,
  ASSET_TYPES,
  LICENCE_TYPE_LABELS,
  LICENCE_TYPES,
} from '../../../../domain/registers/types';
import { REGISTER_BLOCK as B, CALLBACK } from '../../ids';
import { escClip, md, plain, poundsInput } from '../format';
import { dateInput, locationInput, numberInput, selectInput, textInput } from './inputs.view';

/** What a register form carries from opening to submitting: the record being edited, if any. */
export interface RegisterModalMetadata {
  id?: string;
}

type Place = { id: string; name: string };

/** A register form: its callback, title, submit label, the record being edited (if any) and its blocks. */
export function modal(
  callbackId: string,
  title: string,
  submit: string,
  id: string | undefined,
  blocks: KnownBlock[],
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title),
    submit: plain(submit),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ ...(id ? { id } : {}) } satisfies RegisterModalMetadata),
    blocks,
  };
}

export function assetModalView(asset: AssetRow | undefined, places: Place[]): ModalView {
  return modal(
    CALLBACK.assetModal,
    asset ? `Edit ${asset.tag}`.slice(0, 24) : 'Register an asset',
    'Save',
    asset?.id,
    [
      textInput(B.tag, 'Asset tag', asset?.tag, { max: 64, placeholder: 'e.g. LAP-0042' }),
      selectInput(B.type, 'Type', ASSET_TYPES, ASSET_TYPE_LABELS, asset?.type),
      textInput(B.make, 'Make', asset?.make, { optional: true, max: 100 }),
      textInput(B.model, 'Model', asset?.model, { optional: true, max: 100 }),
      textInput(B.serial, 'Serial number', asset?.serial, { optional: true, max: 100 }),
      locationInput(B.locationId, 'Location', places, asset?.locationId),
      textInput(B.supplier, 'Supplier', asset?.supplier, { optional: true, max: 100 }),
      dateInput(B.purchaseDate, 'Purchase date', asset?.purchaseDate),
      textInput(B.costPence, 'Cost (£)', poundsInput(asset?.costPence ?? null), {
        optional: true,
        placeholder: 'e.g. 549.99',
      }),
      dateInput(B.warrantyEnd, 'Warranty ends', asset?.warrantyEnd),
      // Disposal goes through the Status form (with its note); a disposed asset stays disposed here.
      selectInput(
        B.status,
        'Status',
        asset?.status === 'disposed' ? ASSET_STATUSES : ASSET_STATUSES.filter((s) => s !== 'disposed'),
        ASSET_STATUS_LABELS,
        asset?.status ?? 'in_use',
      ),
      textInput(B.notes, 'Notes', asset?.notes, { optional: true, multiline: true, max: 2000 }),
    ],
  );
}

export function assetMoveModalView(asset: AssetRow, places: Place[]): ModalView {
  return modal(CALLBACK.assetMoveModal, `Move ${asset.tag}`.slice(0, 24), 'Move', asset.id, [
    { type: 'section', text: md(`Where is *${escClip(asset.tag, 64)}* now?`) },
    locationInput(B.locationId, 'New location', places, asset.locationId, { optional: false }),
  ]);
}

export function assetStatusModalView(asset: AssetRow): ModalView {
  return modal(CALLBACK.assetStatusModal, `Status of ${asset.tag}`.slice(0, 24), 'Save', asset.id, [
    selectInput(B.status, 'Status', ASSET_STATUSES, ASSET_STATUS_LABELS, asset.status),
    textInput(B.note, 'Note', undefined, {
      optional: true,
      multiline: true,
      max: 1000,
      hint: 'Needed for disposal: how it went (WEEE collection, certificate number, sold to…).',
    }),
  ]);
}

export function licenceModalView(licence: LicenceRow | undefined): ModalView {
  return modal(CALLBACK.licenceModal, licence ? 'Edit licence' : 'Add a licence', 'Save', licence?.id, [
    textInput(B.title, 'Software title', licence?.title, { max: 200 }),
    textInput(B.publisher, 'Publisher', licence?.publisher, { optional: true, max: 100 }),
    selectInput(B.type, 'Licence type', LICENCE_TYPES, LICENCE_TYPE_LABELS, licence?.type ?? 'per_device'),
    numberInput(B.quantity, 'Quantity (seats)', licence?.quantity, {
      optional: true,
      hint: 'Leave empty for a site licence.',
    }),
    numberInput(B.seatsInUse, 'Seats in use', licence?.seatsInUse ?? 0),
    dateInput(B.startDate, 'Start date', licence?.startDate),
    dateInput(B.expiryDate, 'Expiry date', licence?.expiryDate),
    textInput(B.supplier, 'Supplier', licence?.supplier, { optional: true, max: 100 }),
    textInput(B.costPence, 'Cost (£)', poundsInput(licence?.costPence ?? null), { optional: true }),
    textInput(B.keyReference, 'Key reference', licence?.keyReference, {
      optional: true,
      max: 500,
      hint: 'Where the key is kept. Only office staff see this.',
    }),
    textInput(B.notes, 'Notes', licence?.notes, { optional: true, multiline: true, max: 2000 }),
  ]);
}
