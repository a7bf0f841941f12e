/** The demo school's forty assets: a believable mix over its rooms, dated from the school's today. */
import type { AssetInput } from '../registers/assets';
import type { AssetStatus, AssetType } from '../registers/types';
import { addIsoDays } from '../school-time/iso-date';

interface AssetSpec {
  tag: string;
  type: AssetType;
  make: string;
  model: string;
  location: string;
  costPence: number;
  /** Days since it was bought. */
  age: number;
  /** Warranty length in years from purchase… */
  warrantyYears?: number;
  /** …or a warranty ending this many days from today (to show one ending soon). */
  warrantyInDays?: number;
  status?: AssetStatus;
  supplier?: string;
  notes?: string;
}

const ictSuite = Array.from({ length: 10 }, (_, i): AssetSpec => {
  const n = String(i + 1).padStart(2, '0');
  return {
    tag: `HPS-D${n}`,
    type: 'desktop',
    make: 'Dell',
    model: 'OptiPlex 3000',
    location: 'ICT suite',
    costPence: 52_900,
    age: 640,
    warrantyYears: 3,
    notes: `ICT suite PC ${i + 1}`,
  };
});

const laptopRooms = [
  'Room 1',
  'Room 2',
  'Room 3',
  'Room 4',
  'Room 5',
  'Room 6',
  'Year 6 classroom',
  'Library',
];

const laptops = laptopRooms.map(
  (location, i): AssetSpec => ({
    tag: `HPS-L${String(i + 1).padStart(2, '0')}`,
    type: 'laptop',
    make: 'Lenovo',
    model: 'ThinkPad E14',
    location,
    costPence: 61_500,
    age: i < 4 ? 420 : 1_250 - i * 10,
    warrantyYears: 3,
    // A teacher laptop whose warranty is about to end, and one away being fixed.
    ...(i === 2 ? { warrantyInDays: 12 } : {}),
    ...(i === 4
      ? { status: 'in_repair' as const, notes: 'Cracked screen: with County ICT for a replacement panel.' }
      : {}),
  }),
);

const SPECS: AssetSpec[] = [
  ...ictSuite,
  {
    tag: 'HPS-D11',
    type: 'desktop',
    make: 'Dell',
    model: 'OptiPlex 7010',
    location: 'School office',
    costPence: 68_000,
    age: 1_075,
    warrantyInDays: 20,
  },
  {
    tag: 'HPS-D12',
    type: 'desktop',
    make: 'Dell',
    model: 'OptiPlex 3000',
    location: 'Reception',
    costPence: 52_900,
    age: 640,
    warrantyYears: 3,
  },
  {
    tag: 'HPS-D13',
    type: 'desktop',
    make: 'HP',
    model: 'ProDesk 400 G7',
    location: 'Staff room',
    costPence: 49_900,
    age: 1_400,
    warrantyYears: 3,
    notes: 'Old kit: replace next year.',
  },
  ...laptops,
  ...['Room 1', 'Room 2', 'Room 4', 'Room 6', 'Year 6 classroom'].map(
    (location, i): AssetSpec => ({
      tag: `HPS-IWB${String(i + 1).padStart(2, '0')}`,
      type: 'interactive_display',
      make: 'Promethean',
      model: 'ActivPanel 9 65"',
      location,
      costPence: 289_000,
      age: 500 + i * 90,
      warrantyYears: 5,
    }),
  ),
  {
    tag: 'HPS-PRJ01',
    type: 'projector',
    make: 'Epson',
    model: 'EB-L630U',
    location: 'Hall',
    costPence: 185_000,
    age: 1_500,
    warrantyYears: 3,
  },
  {
    tag: 'HPS-PRJ02',
    type: 'projector',
    make: 'Epson',
    model: 'EB-695Wi',
    location: 'Room 5',
    costPence: 99_000,
    age: 1_300,
    warrantyYears: 3,
  },
  {
    tag: 'HPS-PRJ03',
    type: 'projector',
    make: 'Epson',
    model: 'EB-695Wi',
    location: 'Room 3',
    costPence: 99_000,
    age: 1_300,
    warrantyYears: 3,
    status: 'in_repair',
    notes: 'Lamp failed: replacement lamp ordered.',
  },
  {
    tag: 'HPS-PRJ04',
    type: 'projector',
    make: 'BenQ',
    model: 'MW560',
    location: 'Library',
    costPence: 45_000,
    age: 900,
    warrantyYears: 3,
  },
  {
    tag: 'HPS-PRN01',
    type: 'printer',
    make: 'Kyocera',
    model: 'TASKalfa 2554ci',
    location: 'School office',
    costPence: 0,
    age: 980,
    warrantyYears: 4,
    supplier: 'PrintCo',
    notes: 'Leased copier: PrintCo maintain it.',
  },
  {
    tag: 'HPS-PRN02',
    type: 'printer',
    make: 'HP',
    model: 'LaserJet Pro M404dn',
    location: 'Staff room',
    costPence: 27_500,
    age: 700,
    warrantyInDays: 25,
  },
  {
    tag: 'HPS-PRN03',
    type: 'printer',
    make: 'HP',
    model: 'Color LaserJet M454dw',
    location: 'ICT suite',
    costPence: 39_900,
    age: 300,
    warrantyYears: 3,
  },
  {
    tag: 'HPS-NET01',
    type: 'network',
    make: 'HPE Aruba',
    model: '2930F 48G core switch',
    location: 'Server room',
    costPence: 310_000,
    age: 1_200,
    warrantyYears: 5,
    supplier: 'County ICT Services',
  },
  {
    tag: 'HPS-NET02',
    type: 'network',
    make: 'Fortinet',
    model: 'FortiGate 60F firewall',
    location: 'Server room',
    costPence: 120_000,
    age: 800,
    warrantyYears: 3,
    supplier: 'County ICT Services',
  },
  {
    tag: 'HPS-NET03',
    type: 'network',
    make: 'Ubiquiti',
    model: 'U6 Pro access point',
    location: 'Hall',
    costPence: 16_500,
    age: 500,
    warrantyYears: 2,
  },
  {
    tag: 'HPS-NET04',
    type: 'network',
    make: 'Ubiquiti',
    model: 'U6 Pro access point',
    location: 'Library',
    costPence: 16_500,
    age: 500,
    warrantyYears: 2,
  },
  {
    tag: 'HPS-NET05',
    type: 'network',
    make: 'Ubiquiti',
    model: 'U6 Pro access point',
    location: 'Year 6 classroom',
    costPence: 16_500,
    age: 500,
    warrantyYears: 2,
  },
  {
    tag: 'HPS-SRV01',
    type: 'server',
    make: 'Dell',
    model: 'PowerEdge T350',
    location: 'Server room',
    costPence: 420_000,
    age: 1_000,
    warrantyYears: 5,
    supplier: 'County ICT Services',
    notes: 'File server and backups.',
  },
  {
    tag: 'HPS-TAB01',
    type: 'tablet',
    make: 'Apple',
    model: 'iPad 10th gen (class set of 16)',
    location: 'Year 6 classroom',
    costPence: 560_000,
    age: 250,
    warrantyYears: 1,
    notes: 'Charging trolley, one tag for the set.',
  },
];

/** Forty assets as register input; `locationIdOf` maps a location name to its id. */
export function demoAssets(today: string, locationIdOf: (name: string) => string): AssetInput[] {
  return SPECS.map((a) => {
    const purchaseDate = addIsoDays(today, -a.age);
    const warrantyEnd =
      a.warrantyInDays !== undefined
        ? addIsoDays(today, a.warrantyInDays)
        : addIsoDays(purchaseDate, Math.round((a.warrantyYears ?? 1) * 365.25));
    return {
      tag: a.tag,
      type: a.type,
      make: a.make,
      model: a.model,
      serial: `SN-${a.tag.slice(4)}-${(a.age * 7919).toString(36).toUpperCase()}`,
      locationId: locationIdOf(a.location),
      supplier: a.supplier ?? (a.type === 'interactive_display' ? 'County ICT Services' : 'Dell Education'),
      purchaseDate,
      costPence: a.costPence || null,
      warrantyEnd,
      status: a.status ?? 'in_use',
      notes: a.notes ?? '',
    };
  });
}
