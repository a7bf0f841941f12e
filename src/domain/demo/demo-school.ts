/**
 * The demo school's people and registers (issue 6): what `seedDemo` feeds the register commands.
 * Dates are offsets from the school's today, so the demo always looks current.
 */

import type { LicenceInput } from '../registers/licences';
import type { ContractInput, ProviderInput } from '../registers/providers';
import type { DiaryKind, Recurrence } from '../registers/supply-types';
import type { Role } from '../roles';
import { addIsoDays } from '../school-time/iso-date';

/** The playground's Slack workspace (see the playground brief): one team, one SPOC channel. */
export const DEMO_TEAM_ID = 'T0PLAYGRND';
export const DEMO_TEAM_NAME = 'Hillside Primary (demo)';
export const DEMO_CHANNEL_ID = 'C0PLAYSPOC';
/** Where the diary's staff notices go. */
export const DEMO_STAFF_CHANNEL_ID = 'C0PLAYSTAF';

export type DemoWho = 'head' | 'office' | 'tech' | 'tech2' | 'patel' | 'jones';

/** Everyone the demo uses; Mr Head sets the school up, so he is its first admin. */
export const DEMO_PEOPLE: Record<DemoWho, { slackUserId: string; name: string; role: Role }> = {
  head: { slackUserId: 'U0PLAYHEAD', name: 'Mr Head', role: 'admin' },
  office: { slackUserId: 'U0PLAYOFFC', name: 'Mrs Office', role: 'office' },
  tech: { slackUserId: 'U0PLAYTECH', name: 'Sam Tech', role: 'technician' },
  tech2: { slackUserId: 'U0PLAYTECH2', name: 'Alex Turner', role: 'technician' },
  patel: { slackUserId: 'U0PLAYTEACH', name: 'Ms Patel', role: 'teacher' },
  jones: { slackUserId: 'U0PLAYJONES', name: 'Mr Jones', role: 'teacher' },
};

/** Classrooms added to the preset locations. */
export const DEMO_ROOMS = ['Room 1', 'Room 2', 'Room 3', 'Room 4', 'Room 5', 'Room 6', 'Year 6 classroom'];

export function demoLicences(today: string): LicenceInput[] {
  const base = { startDate: addIsoDays(today, -300), supplier: 'County ICT Services', notes: '' };
  return [
    {
      ...base,
      title: 'Adobe Creative Cloud for Education',
      publisher: 'Adobe',
      type: 'per_device',
      quantity: 15,
      seatsInUse: 18,
      expiryDate: addIsoDays(today, 65),
      costPence: 67_500,
      keyReference: 'Adobe Admin Console (office safe: login card)',
      notes: 'Installed on every ICT suite PC plus the media club laptops.',
    },
    {
      ...base,
      title: 'Sophos Intercept X',
      publisher: 'Sophos',
      type: 'per_device',
      quantity: 60,
      seatsInUse: 52,
      expiryDate: addIsoDays(today, 40),
      costPence: 54_000,
      keyReference: 'Sophos Central account (County ICT hold it)',
    },
    {
      ...base,
      title: 'Purple Mash',
      publisher: '2Simple',
      type: 'site',
      quantity: null,
      seatsInUse: 210,
      expiryDate: addIsoDays(today, 220),
      supplier: '2Simple',
      costPence: 49_500,
      keyReference: 'School login in the office password book',
    },
    {
      ...base,
      title: 'Microsoft 365 A1',
      publisher: 'Microsoft',
      type: 'subscription',
      quantity: 300,
      seatsInUse: 212,
      expiryDate: addIsoDays(today, 300),
      costPence: null,
      keyReference: 'Microsoft 365 admin centre',
    },
    {
      ...base,
      title: 'Clicker 8',
      publisher: 'Crick Software',
      type: 'per_user',
      quantity: 10,
      seatsInUse: 9,
      expiryDate: addIsoDays(today, 180),
      supplier: 'Crick Software',
      costPence: 36_000,
      keyReference: 'Crick account, SENCo has the login',
    },
  ];
}

export type DemoProvider = 'county' | 'printco';

export const DEMO_PROVIDERS: Record<DemoProvider, ProviderInput> = {
  county: {
    name: 'County ICT Services',
    level: 'second',
    contactName: 'Service desk',
    email: 'servicedesk@county-ict.example',
    phone: '01632 960100',
    // No shared channel: escalations hand the SPOC an email to send.
    chatChannel: '',
    notes: 'Local authority traded service: network, server, second-line support.',
  },
  printco: {
    name: 'PrintCo',
    level: 'supplier',
    contactName: 'Dee Rollers',
    email: 'support@printco.example',
    phone: '01632 960200',
    chatChannel: '',
    notes: 'Copier lease, toner and repairs.',
  },
};

export function demoContracts(
  today: string,
): Array<Omit<ContractInput, 'providerId'> & { provider: DemoProvider }> {
  return [
    {
      provider: 'county',
      title: 'Managed ICT support',
      service: 'Second-line support, network and server',
      startDate: addIsoDays(today, -300),
      endDate: addIsoDays(today, 430),
      noticeDays: 90,
      autoRenews: true,
      valuePence: 640_000,
      responseTargetHours: 4,
      notes: 'Response within 4 school hours; termly invoices.',
    },
    {
      // Its notice deadline falls in the next fortnight: the SPOC must decide soon.
      provider: 'printco',
      title: 'Copier lease and maintenance',
      service: 'Kyocera copier lease, toner and repairs',
      startDate: addIsoDays(today, -995),
      endDate: addIsoDays(today, 100),
      noticeDays: 90,
      autoRenews: true,
      valuePence: 174_000,
      responseTargetHours: 16,
      notes: 'Renews for three years unless notice is given.',
    },
  ];
}

export interface DemoPayment {
  payee: string;
  provider: DemoProvider | null;
  amountPence: number;
  dueDate: string;
  recurrence: Recurrence;
  reference: string;
  notes: string;
  /** Marked paid on its due date (a recurring one then schedules the next). */
  paid?: boolean;
}

/** `weekEnd` is the Sunday of the school's current week. */
export function demoPayments(today: string, weekEnd: string): DemoPayment[] {
  const soon = addIsoDays(today, 2) <= weekEnd ? addIsoDays(today, 2) : weekEnd;
  return [
    {
      payee: 'County ICT Services',
      provider: 'county',
      amountPence: 213_300,
      dueDate: soon,
      recurrence: 'termly',
      reference: 'CICT-INV-0423',
      notes: 'Termly support invoice.',
    },
    {
      payee: 'PrintCo',
      provider: 'printco',
      amountPence: 14_500,
      dueDate: addIsoDays(today, -26),
      recurrence: 'monthly',
      reference: 'PC-LEASE',
      notes: 'Copier lease, monthly.',
      paid: true,
    },
    {
      payee: 'Schools Broadband Ltd',
      provider: null,
      amountPence: 42_000,
      dueDate: addIsoDays(today, -6),
      recurrence: 'none',
      reference: 'SB-2291',
      notes: 'Line rental for the autumn: the invoice went to the old email address.',
    },
    {
      payee: '2Simple',
      provider: null,
      amountPence: 49_500,
      dueDate: addIsoDays(today, 215),
      recurrence: 'annually',
      reference: 'Purple Mash renewal',
      notes: '',
    },
  ];
}

export interface DemoDiaryEntry {
  date: string;
  title: string;
  kind: DiaryKind;
  notes: string;
  assetTag?: string;
}

/** `schoolDay` is today when it is a school day, else the next one. */
export function demoDiary(today: string, schoolDay: string): DemoDiaryEntry[] {
  return [
    {
      date: schoolDay,
      title: 'County ICT technician visit: Wi-Fi survey',
      kind: 'visit',
      notes: 'Walk round with the heat-map kit; Year 6 classroom first.',
      assetTag: 'HPS-NET05',
    },
    {
      date: addIsoDays(today, 4),
      title: 'PrintCo toner delivery',
      kind: 'delivery',
      notes: 'Two boxes to the school office.',
      assetTag: 'HPS-PRN01',
    },
    {
      date: addIsoDays(today, -7),
      title: 'Server backup restore test',
      kind: 'maintenance',
      notes: 'Restored a folder from last Friday: fine.',
      assetTag: 'HPS-SRV01',
    },
  ];
}
