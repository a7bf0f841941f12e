/**
 * The demo school's faults and their histories, as scripts of the ordinary incident commands, so
 * that between them they reach every status of the lifecycle. Times are in school minutes: each
 * incident is reported `ago` school minutes before the seeding moment, and each step comes `after`
 * school minutes more.
 */
import type { HoldReason } from '../incidents/hold-incident';
import type { Category, Impact, Urgency } from '../incidents/priority';
import type { Status } from '../incidents/state-machine';
import type { DemoProvider, DemoWho } from './demo-school';

export type DemoStep = { by: DemoWho; after: number } & (
  | { do: 'triage'; impact: Impact; urgency: Urgency; category: Category }
  | { do: 'forward'; to: DemoWho }
  | { do: 'claim' }
  | { do: 'escalate'; provider: DemoProvider; ref: string; note: string }
  | { do: 'hold'; reason: HoldReason; detail?: string }
  | { do: 'resume' }
  | { do: 'comment'; note: string }
  | { do: 'resolve'; resolution: string }
  | { do: 'close'; note?: string }
  /** The reporter presses "Fixed". */
  | { do: 'fixed' }
  /** The reporter presses "Still broken". */
  | { do: 'still_broken' }
);

export interface DemoIncident {
  /** Stable name within the demo; also the report's idempotency key. */
  key: string;
  by: DemoWho;
  /** Reported this many school minutes before the seeding moment. */
  ago: number;
  summary: string;
  description: string;
  location: string;
  assetTag?: string;
  urgency: Urgency;
  steps: DemoStep[];
  /** Where the script leaves it (checked by the tests). */
  ends: Status;
}

/** A school day of the default 08:00–16:00 calendar, in school minutes. */
const DAY = 480;

export const DEMO_INCIDENTS: DemoIncident[] = [
  {
    key: 'wifi-y6-1',
    by: 'patel',
    ago: 10 * DAY + 300,
    summary: 'Wi-Fi keeps dropping in Year 6 during lessons',
    description: 'The class laptops lose the Wi-Fi every few minutes, so nobody can save their work.',
    location: 'Year 6 classroom',
    assetTag: 'HPS-NET05',
    urgency: 'lesson_stopped',
    ends: 'closed',
    steps: [
      {
        by: 'office',
        after: 10,
        do: 'triage',
        impact: 'room',
        urgency: 'lesson_stopped',
        category: 'network',
      },
      { by: 'tech', after: 15, do: 'claim' },
      {
        by: 'tech',
        after: 40,
        do: 'resolve',
        resolution: 'Restarted the Wi-Fi access point; the laptops reconnected.',
      },
      { by: 'patel', after: 90, do: 'fixed' },
    ],
  },
  {
    key: 'copier-duplex',
    by: 'office',
    ago: 9 * DAY + 200,
    summary: 'Office copier jams on every double-sided job',
    description: 'Single-sided is fine. Double-sided jams at the back every time, with a grinding noise.',
    location: 'School office',
    assetTag: 'HPS-PRN01',
    urgency: 'today',
    ends: 'closed',
    steps: [
      { by: 'office', after: 5, do: 'triage', impact: 'department', urgency: 'today', category: 'printing' },
      {
        by: 'office',
        after: 20,
        do: 'escalate',
        provider: 'printco',
        ref: 'PC-55812',
        note: 'Kyocera TASKalfa jams on duplex with a grinding noise. Rollers cleaned, still jams.',
      },
      { by: 'office', after: 120, do: 'comment', note: 'PrintCo engineer booked for tomorrow morning.' },
      {
        by: 'tech',
        after: 500,
        do: 'resolve',
        resolution: 'PrintCo engineer replaced the duplex roller kit.',
      },
      { by: 'office', after: 60, do: 'close' },
    ],
  },
  {
    key: 'hall-projector',
    by: 'jones',
    ago: 8 * DAY + 100,
    summary: 'Hall projector shows no picture from the laptop',
    description: 'Assembly laptop is plugged in but the projector says "No signal".',
    location: 'Hall',
    assetTag: 'HPS-PRJ01',
    urgency: 'today',
    ends: 'reopened',
    steps: [
      { by: 'office', after: 15, do: 'triage', impact: 'whole_school', urgency: 'today', category: 'av' },
      { by: 'office', after: 5, do: 'forward', to: 'tech' },
      { by: 'tech', after: 30, do: 'claim' },
      { by: 'tech', after: 45, do: 'resolve', resolution: 'The HDMI cable was damaged: replaced it.' },
      { by: 'jones', after: 3 * DAY, do: 'still_broken' },
      { by: 'jones', after: 5, do: 'comment', note: 'Picture flickers and goes again after ten minutes.' },
    ],
  },
  {
    key: 'wifi-y6-2',
    by: 'patel',
    ago: 7 * DAY + 240,
    summary: 'Year 6 Wi-Fi dropped out again',
    description: 'Same as last week: laptops drop off the Wi-Fi, worst after lunch.',
    location: 'Year 6 classroom',
    assetTag: 'HPS-NET05',
    urgency: 'lesson_stopped',
    ends: 'escalated',
    steps: [
      {
        by: 'office',
        after: 10,
        do: 'triage',
        impact: 'room',
        urgency: 'lesson_stopped',
        category: 'network',
      },
      { by: 'tech', after: 20, do: 'claim' },
      {
        by: 'tech',
        after: 60,
        do: 'comment',
        note: 'The access point is rebooting itself every few minutes. Logs saved for County ICT.',
      },
      {
        by: 'office',
        after: 30,
        do: 'escalate',
        provider: 'county',
        ref: 'CICT-104233',
        note: 'Year 6 access point (U6 Pro) reboots itself repeatedly; restarted twice this week. Logs attached.',
      },
    ],
  },
  {
    key: 'server-ups',
    by: 'head',
    ago: 6 * DAY + 120,
    summary: 'Server room UPS is beeping',
    description: 'Long beeps every few seconds from the box under the server.',
    location: 'Server room',
    urgency: 'today',
    ends: 'on_hold',
    steps: [
      {
        by: 'office',
        after: 10,
        do: 'triage',
        impact: 'whole_school',
        urgency: 'today',
        category: 'hardware',
      },
      { by: 'tech', after: 20, do: 'claim' },
      { by: 'tech', after: 60, do: 'comment', note: 'Battery test failed; the UPS still works on mains.' },
      { by: 'tech', after: 10, do: 'hold', reason: 'parts', detail: 'replacement UPS battery ordered' },
    ],
  },
  {
    key: 'wifi-y6-3',
    by: 'head',
    ago: 5 * DAY + 200,
    summary: 'No Wi-Fi in the Year 6 classroom',
    description: 'Popped in to observe and the Wi-Fi was gone again.',
    location: 'Year 6 classroom',
    assetTag: 'HPS-NET05',
    urgency: 'today',
    ends: 'closed',
    steps: [
      { by: 'office', after: 15, do: 'close', note: 'Same fault as the one County ICT have: duplicate.' },
    ],
  },
  {
    key: 'ict-sound',
    by: 'jones',
    ago: 5 * DAY + 60,
    summary: 'No sound from ICT suite PC 7',
    description: 'Headphones plugged in, nothing. The other PCs are fine.',
    location: 'ICT suite',
    assetTag: 'HPS-D07',
    urgency: 'this_week',
    ends: 'closed',
    steps: [
      { by: 'office', after: 20, do: 'triage', impact: 'person', urgency: 'this_week', category: 'hardware' },
      { by: 'tech', after: 30, do: 'claim' },
      { by: 'tech', after: 10, do: 'hold', reason: 'user', detail: 'asked which headphones were used' },
      { by: 'jones', after: 60, do: 'comment', note: 'The blue class set headphones.' },
      { by: 'tech', after: 30, do: 'resume' },
      {
        by: 'tech',
        after: 20,
        do: 'resolve',
        resolution: 'The headphone socket was switched off in sound settings: switched it back on.',
      },
      { by: 'jones', after: 120, do: 'fixed' },
    ],
  },
  {
    key: 'reception-login',
    by: 'office',
    ago: 4 * DAY + 100,
    summary: 'Reception PC takes ten minutes to log in',
    description: 'Stuck on "Preparing Windows" every morning.',
    location: 'Reception',
    assetTag: 'HPS-D12',
    urgency: 'this_week',
    ends: 'assigned',
    steps: [
      { by: 'office', after: 5, do: 'triage', impact: 'person', urgency: 'this_week', category: 'software' },
      { by: 'office', after: 5, do: 'forward', to: 'tech2' },
    ],
  },
  {
    key: 'room2-display',
    by: 'patel',
    ago: 3 * DAY + 150,
    summary: 'Room 2 interactive display not responding to touch',
    description: 'The pen and fingers do nothing in the middle of the screen.',
    location: 'Room 2',
    assetTag: 'HPS-IWB02',
    urgency: 'today',
    ends: 'in_progress',
    steps: [
      { by: 'office', after: 10, do: 'triage', impact: 'room', urgency: 'today', category: 'av' },
      { by: 'tech', after: 25, do: 'claim' },
      {
        by: 'tech',
        after: 40,
        do: 'comment',
        note: 'Recalibrated: touch works at the edges but not the centre. Checking the driver next.',
      },
    ],
  },
  {
    key: 'staff-toner',
    by: 'head',
    ago: DAY + 300,
    summary: 'Staff room printer says toner low and prints faint',
    description: 'Reports for the governors are coming out pale grey.',
    location: 'Staff room',
    assetTag: 'HPS-PRN02',
    urgency: 'today',
    ends: 'resolved',
    steps: [
      { by: 'office', after: 10, do: 'triage', impact: 'department', urgency: 'today', category: 'printing' },
      { by: 'tech2', after: 20, do: 'claim' },
      {
        by: 'tech2',
        after: 25,
        do: 'resolve',
        resolution: 'Fitted a new toner cartridge and printed a test page.',
      },
    ],
  },
  {
    key: 'purple-mash',
    by: 'jones',
    ago: DAY + 100,
    summary: "Can't log in to Purple Mash",
    description: 'It says my account is locked. The children can log in.',
    location: 'Room 5',
    urgency: 'this_week',
    ends: 'triaged',
    steps: [
      { by: 'office', after: 15, do: 'triage', impact: 'person', urgency: 'this_week', category: 'account' },
    ],
  },
  {
    key: 'laptop-battery',
    by: 'patel',
    ago: 200,
    summary: 'Laptop battery only lasts about an hour',
    description: 'Fully charged at 8, flat before break.',
    location: 'Room 1',
    assetTag: 'HPS-L01',
    urgency: 'no_deadline',
    ends: 'new',
    steps: [],
  },
  {
    key: 'room5-projector',
    by: 'jones',
    ago: 40,
    summary: 'Room 5 projector keeps switching itself off',
    description: 'Goes off after about five minutes, mid-lesson. Orange light flashing.',
    location: 'Room 5',
    assetTag: 'HPS-PRJ02',
    urgency: 'lesson_stopped',
    ends: 'new',
    steps: [{ by: 'jones', after: 5, do: 'comment', note: 'Using the whiteboard for now.' }],
  },
];
