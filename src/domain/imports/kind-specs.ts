/**
 * What each register looks like as a CSV: its columns (canonical heading, the headings schools'
 * spreadsheets use, the cell parser), its natural key and the checks that span several cells.
 */
import { IMPACT_LABELS, IMPACTS } from '../incidents/priority';
import {
  ASSET_STATUS_LABELS,
  ASSET_STATUSES,
  ASSET_TYPE_LABELS,
  ASSET_TYPES,
  type AssetRecord,
  keyOf,
  LICENCE_TYPE_LABELS,
  LICENCE_TYPES,
  type LicenceRecord,
  type LocationRecord,
} from '../registers/types';
import {
  boolColumn,
  type Columns,
  choiceColumn,
  countColumn,
  countOrZeroColumn,
  dateColumn,
  moneyColumn,
  optionalChoiceColumn,
  optionalTextColumn,
  textColumn,
} from './columns';
import { quoted } from './fields';

/** The key cells of a row, restored and trimmed ('' when the column is absent). */
export type KeyCells<R> = Record<keyof R & string, string>;

export interface KindSpec<R> {
  columns: Columns<R>;
  /** The natural key of a record (keyOf in types.ts); null from cells when the key is blank. */
  keyOf: (record: R) => string;
  keyOfCells: (cells: KeyCells<R>) => string | null;
  /** Names a row by its key, for "… is already on line 7". */
  describeKey: (cells: KeyCells<R>) => string;
  /** Fields that name a location: compared ignoring case, and checked against known locations. */
  locationField?: keyof R & string;
  /** The field that names a provider: compared ignoring case, and checked against known providers. */
  providerField?: keyof R & string;
  /** Problems spanning several cells; a field is undefined when its own cell was refused. */
  check: (record: Partial<R>) => string[];
  /**
   * Required fields a file may leave out when it has another column to read them from: for each
   * such field, the field whose cell stands in for it (see mapHeaders).
   */
  standIns?: Partial<Record<keyof R & string, keyof R & string>>;
}

// The limits the register commands apply (registers/assets.ts, licences.ts, locations.ts), so that
// whatever the preview accepts can be committed. Repeated, not imported, to keep this module pure.
const ASSET_TAG_MAX = 64;
const LOCATION_NAME_MAX = 100;
const SHORT_TEXT_MAX = 100;
const TITLE_MAX = 200;
const KEY_REFERENCE_MAX = 500;
const NOTES_MAX = 2000;

export const locationSpec: KindSpec<LocationRecord> = {
  columns: {
    name: textColumn({
      header: 'Name',
      aliases: ['location', 'room', 'location name', 'room name'],
      required: true,
      max: LOCATION_NAME_MAX,
    }),
    parent: optionalTextColumn({
      header: 'Parent',
      aliases: ['parent location', 'building', 'block', 'in', 'inside', 'part of'],
      max: LOCATION_NAME_MAX,
    }),
    defaultImpact: optionalChoiceColumn({
      header: 'Default impact',
      aliases: ['impact'],
      choices: IMPACTS,
      labels: IMPACT_LABELS,
      extraAliases: {
        school: 'whole_school',
        everyone: 'whole_school',
        department: 'department',
        dept: 'department',
        suite: 'department',
        'suite / department': 'department',
        'suite or department': 'department',
        'whole school': 'whole_school',
        room: 'room',
        'one room / class': 'room',
        class: 'room',
        classroom: 'room',
        'one person': 'person',
        person: 'person',
        individual: 'person',
      },
    }),
    archived: boolColumn({ header: 'Archived', aliases: ['inactive'] }),
  },
  keyOf: keyOf.location,
  keyOfCells: (cells) => (cells.name === '' ? null : keyOf.location(cells)),
  describeKey: (cells) => `Name ${quoted(cells.name)}`,
  locationField: 'parent',
  check: (r) =>
    r.name !== undefined &&
    r.parent != null &&
    keyOf.location({ name: r.parent }) === keyOf.location({ name: r.name })
      ? ['Parent: a location cannot be inside itself']
      : [],
};

export const assetSpec: KindSpec<AssetRecord> = {
  columns: {
    tag: textColumn({
      header: 'Asset tag',
      aliases: ['tag', 'asset no', 'asset number', 'asset id', 'inventory number', 'inventory no'],
      required: true,
      max: ASSET_TAG_MAX,
    }),
    type: choiceColumn({
      header: 'Type',
      aliases: ['asset type', 'category', 'device type'],
      required: true,
      choices: ASSET_TYPES,
      labels: ASSET_TYPE_LABELS,
      extraAliases: {
        pc: 'desktop',
        computer: 'desktop',
        notebook: 'laptop',
        chromebook: 'laptop',
        ipad: 'tablet',
        whiteboard: 'interactive_display',
        smartboard: 'interactive_display',
        'interactive whiteboard': 'interactive_display',
        panel: 'interactive_display',
        switch: 'network',
        'access point': 'network',
        router: 'network',
        wap: 'network',
        mfd: 'printer',
        copier: 'printer',
        photocopier: 'printer',
      },
    }),
    make: textColumn({ header: 'Make', aliases: ['manufacturer', 'brand'], max: SHORT_TEXT_MAX }),
    model: textColumn({ header: 'Model', aliases: ['model number', 'model no'], max: SHORT_TEXT_MAX }),
    serial: textColumn({
      header: 'Serial',
      aliases: ['serial no', 'serial number', 's/n', 'sn'],
      max: SHORT_TEXT_MAX,
    }),
    location: optionalTextColumn({
      header: 'Location',
      aliases: ['room', 'site', 'where', 'location name', 'room name'],
      max: LOCATION_NAME_MAX,
    }),
    supplier: textColumn({ header: 'Supplier', aliases: ['vendor', 'bought from'], max: SHORT_TEXT_MAX }),
    purchaseDate: dateColumn({
      header: 'Purchase date',
      aliases: ['purchased', 'date purchased', 'bought', 'date bought'],
    }),
    costPence: moneyColumn({ header: 'Cost', aliases: ['price', 'purchase price', 'value', 'cost £'] }),
    warrantyEnd: dateColumn({
      header: 'Warranty end',
      aliases: ['warranty', 'warranty expiry', 'warranty until', 'warranty expires', 'warranty end date'],
    }),
    status: choiceColumn({
      header: 'Status',
      aliases: ['state'],
      choices: ASSET_STATUSES,
      labels: ASSET_STATUS_LABELS,
      fallback: 'in_use',
      extraAliases: {
        live: 'in_use',
        active: 'in_use',
        deployed: 'in_use',
        stock: 'spare',
        'in stock': 'spare',
        repair: 'in_repair',
        broken: 'in_repair',
        faulty: 'in_repair',
        disposed: 'disposed',
        scrapped: 'disposed',
        'written off': 'disposed',
        sold: 'disposed',
      },
    }),
    notes: textColumn({ header: 'Notes', aliases: ['comments', 'description'], max: NOTES_MAX }),
  },
  keyOf: keyOf.asset,
  keyOfCells: (cells) => (cells.tag === '' ? null : keyOf.asset(cells)),
  describeKey: (cells) => `Asset tag ${quoted(cells.tag)}`,
  locationField: 'location',
  check: () => [],
};

export const licenceSpec: KindSpec<LicenceRecord> = {
  columns: {
    title: textColumn({
      header: 'Title',
      aliases: ['software', 'product', 'name', 'software title', 'software name', 'application'],
      required: true,
      max: TITLE_MAX,
    }),
    publisher: textColumn({
      header: 'Publisher',
      aliases: ['vendor', 'developer', 'manufacturer'],
      max: SHORT_TEXT_MAX,
    }),
    type: choiceColumn({
      header: 'Type',
      aliases: ['licence type'],
      choices: LICENCE_TYPES,
      labels: LICENCE_TYPE_LABELS,
      fallback: 'per_device',
      extraAliases: {
        device: 'per_device',
        'per machine': 'per_device',
        user: 'per_user',
        'named user': 'per_user',
        'site licence': 'site',
        'school site': 'site',
        floating: 'concurrent',
        annual: 'subscription',
      },
    }),
    quantity: countColumn({
      header: 'Quantity',
      aliases: ['seats', 'licences', 'qty', 'number of licences', 'no of licences', 'seats bought'],
    }),
    seatsInUse: countOrZeroColumn({
      header: 'Seats in use',
      aliases: ['in use', 'used', 'installed', 'installs', 'deployed'],
    }),
    startDate: dateColumn({
      header: 'Start date',
      aliases: ['start', 'starts', 'valid from', 'purchase date'],
    }),
    expiryDate: dateColumn({
      header: 'Expiry date',
      aliases: ['expiry', 'expires', 'end date', 'renewal date', 'renewal', 'valid until'],
    }),
    supplier: textColumn({ header: 'Supplier', aliases: ['reseller', 'bought from'], max: SHORT_TEXT_MAX }),
    costPence: moneyColumn({ header: 'Cost', aliases: ['price', 'annual cost', 'value', 'cost £'] }),
    keyReference: textColumn({
      header: 'Key reference',
      aliases: ['licence key', 'key', 'key location', 'product key', 'where is the key'],
      max: KEY_REFERENCE_MAX,
    }),
    notes: textColumn({ header: 'Notes', aliases: ['comments', 'description'], max: NOTES_MAX }),
  },
  keyOf: keyOf.licence,
  keyOfCells: (cells) => (cells.title === '' ? null : keyOf.licence(cells)),
  describeKey: (cells) =>
    cells.publisher === ''
      ? `Title ${quoted(cells.title)}`
      : `Title ${quoted(cells.title)} from ${quoted(cells.publisher)}`,
  check: (r) =>
    r.type !== undefined && r.type !== 'site' && r.quantity === null
      ? [`Quantity is needed for a ${LICENCE_TYPE_LABELS[r.type].toLowerCase()} licence`]
      : [],
};
