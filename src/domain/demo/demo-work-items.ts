/** The demo school's change and problem, with dated progress and the incidents behind them. */
import type { WorkItemKind, WorkItemStatus } from '../work-items/types';
import type { DemoWho } from './demo-school';

/** A school day of the default 08:00–16:00 calendar, in school minutes. */
const DAY = 480;

export interface DemoWorkItem {
  key: string;
  kind: WorkItemKind;
  by: DemoWho;
  ago: number;
  title: string;
  description: string;
  owner: DemoWho;
  /** Days from today. */
  targetInDays: number;
  status: WorkItemStatus;
  percentDone: number;
  incidents: string[];
  updates: Array<{ by: DemoWho; after: number; note: string; status?: WorkItemStatus; percentDone?: number }>;
  /** A diary entry for the work (a change's planned installation), this many days from today. */
  diary?: { inDays: number; title: string; notes: string };
}

export const DEMO_WORK_ITEMS: DemoWorkItem[] = [
  {
    key: 'hall-projector-change',
    kind: 'change',
    by: 'office',
    ago: 4 * DAY + 400,
    title: 'Replace the Hall projector with a laser projector',
    description: 'The Hall projector is out of warranty and keeps failing; County ICT quoted a laser model.',
    owner: 'tech',
    targetInDays: 10,
    status: 'approved',
    percentDone: 0,
    incidents: ['hall-projector'],
    updates: [
      {
        by: 'tech',
        after: 2 * DAY,
        note: 'New projector ordered from County ICT.',
        status: 'in_progress',
        percentDone: 20,
      },
      { by: 'tech', after: DAY, note: 'Ceiling bracket fitted; cabling next week.', percentDone: 40 },
    ],
    diary: {
      inDays: 6,
      title: 'Install the new Hall projector (no assemblies in the Hall that morning)',
      notes: 'County ICT engineer from 8:00; the Hall is closed until lunch.',
    },
  },
  {
    key: 'wifi-y6-problem',
    kind: 'problem',
    by: 'office',
    ago: 4 * DAY + 300,
    title: 'Year 6 Wi-Fi access point keeps dropping out',
    description: 'Three reports in a fortnight from the Year 6 classroom; restarts only help for a day.',
    owner: 'tech',
    targetInDays: 7,
    status: 'in_progress',
    percentDone: 30,
    incidents: ['wifi-y6-1', 'wifi-y6-2', 'wifi-y6-3'],
    updates: [
      {
        by: 'tech',
        after: DAY,
        note: 'Access point logs show a firmware crash; County ICT confirm a known bug.',
        percentDone: 50,
      },
      {
        by: 'tech',
        after: DAY,
        note: 'Firmware update booked with County ICT for the Wi-Fi survey visit.',
        percentDone: 60,
      },
    ],
  },
];
