/** The licence form (Add a licence / Edit), defined once for every platform. */
import type { LicenceRow } from '../../db/queries/licences';
import { bold, emoji, type Rich, typed } from '../presenters/presentation';
import { addLicence, editLicence, getLicenceView, type LicenceInput } from '../registers/licences';
import { LICENCE_TYPE_LABELS, LICENCE_TYPES, type LicenceType } from '../registers/types';
import { moneyInitial, readMoney } from './assets';
import type { FormSpec, OfficeForm } from './form';

/** The form for `licence` (an edit) or a new one. */
export function licenceFormSpec(licence: LicenceRow | undefined): FormSpec {
  return {
    title: licence ? 'Edit licence' : 'Add a licence',
    submit: 'Save',
    fields: [
      { kind: 'text', id: 'title', label: 'Software title', initial: licence?.title, max: 200 },
      {
        kind: 'text',
        id: 'publisher',
        label: 'Publisher',
        initial: licence?.publisher,
        optional: true,
        max: 100,
      },
      {
        kind: 'choice',
        id: 'type',
        label: 'Licence type',
        options: LICENCE_TYPES.map((t) => ({ value: t, label: LICENCE_TYPE_LABELS[t] })),
        initial: licence?.type ?? 'per_device',
      },
      {
        kind: 'number',
        id: 'quantity',
        label: 'Quantity (seats)',
        initial: licence?.quantity,
        optional: true,
        hint: 'Leave empty for a site licence.',
      },
      { kind: 'number', id: 'seatsInUse', label: 'Seats in use', initial: licence?.seatsInUse ?? 0 },
      { kind: 'date', id: 'startDate', label: 'Start date', initial: licence?.startDate },
      { kind: 'date', id: 'expiryDate', label: 'Expiry date', initial: licence?.expiryDate },
      {
        kind: 'text',
        id: 'supplier',
        label: 'Supplier',
        initial: licence?.supplier,
        optional: true,
        max: 100,
      },
      {
        kind: 'text',
        id: 'costPence',
        label: 'Cost (£)',
        initial: moneyInitial(licence?.costPence),
        optional: true,
      },
      {
        kind: 'text',
        id: 'keyReference',
        label: 'Key reference',
        initial: licence?.keyReference,
        optional: true,
        max: 500,
        hint: 'Where the key is kept. Only office staff see this.',
      },
      {
        kind: 'text',
        id: 'notes',
        label: 'Notes',
        initial: licence?.notes,
        optional: true,
        multiline: true,
        max: 2000,
      },
    ],
  };
}

/**
 * More seats in use than bought is saved (the school may be catching up with a purchase), but
 * said plainly on a line of its own under the saved sentence. A site licence has no seat count.
 */
export function overDeployedLine(l: Pick<LicenceRow, 'type' | 'quantity' | 'seatsInUse'>): Rich {
  const { quantity, seatsInUse } = l;
  // As the register's compliance counts seats: a site licence (or one with no count) has none to exceed.
  if (l.type === 'site' || quantity === null || seatsInUse <= quantity) return [];
  return ['\n', emoji(':warning:'), ` ${seatsInUse} seats in use of ${quantity} bought: over-deployed.`];
}

/** A number field's value, or null when it was left empty. */
const count = (raw: string | undefined): number | null => (raw === undefined ? null : Number(raw));

export const licenceForm: OfficeForm = {
  name: 'licence',
  permission: 'register.manage',
  async open(ctx, id) {
    if (!id) return { ok: true, value: licenceFormSpec(undefined) };
    const found = await getLicenceView(ctx, { licenceId: id });
    return found.ok ? { ok: true, value: licenceFormSpec(found.value) } : found;
  },
  async submit(ctx, id, read) {
    const cost = readMoney(read, 'costPence');
    if (!cost.ok) return cost;
    const input: LicenceInput = {
      title: read('title') ?? '',
      publisher: read('publisher') ?? '',
      type: (read('type') ?? '') as LicenceType,
      quantity: count(read('quantity')),
      seatsInUse: count(read('seatsInUse')) ?? 0,
      startDate: read('startDate') ?? null,
      expiryDate: read('expiryDate') ?? null,
      supplier: read('supplier') ?? '',
      costPence: cost.value,
      keyReference: read('keyReference') ?? '',
      notes: read('notes') ?? '',
    };
    const saved = id ? await editLicence(ctx, { ...input, licenceId: id }) : await addLicence(ctx, input);
    if (!saved.ok) return saved;
    return {
      ok: true,
      value: {
        saved: [
          emoji(':page_facing_up:'),
          ' Licence ',
          bold(typed(saved.value.title, 200)),
          ' saved.',
          ...overDeployedLine(saved.value),
        ],
      },
    };
  },
};
