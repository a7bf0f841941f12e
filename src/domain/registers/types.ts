/**
 * The registers a SPOC keeps: locations, assets and licences, as plain records.
 * Dates are ISO calendar dates (`YYYY-MM-DD`); money is integer pence (GBP).
 */
import type { Impact } from '../incidents/priority';

export const ASSET_TYPES = [
  'desktop',
  'laptop',
  'tablet',
  'interactive_display',
  'projector',
  'printer',
  'network',
  'server',
  'phone',
  'other',
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export const ASSET_TYPE_LABELS: Record<AssetType, string> = {
  desktop: 'Desktop',
  laptop: 'Laptop',
  tablet: 'Tablet',
  interactive_display: 'Interactive display',
  projector: 'Projector',
  printer: 'Printer',
  network: 'Network',
  server: 'Server',
  phone: 'Phone',
  other: 'Other',
};

export const ASSET_STATUSES = ['in_use', 'spare', 'in_repair', 'disposed'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

export const ASSET_STATUS_LABELS: Record<AssetStatus, string> = {
  in_use: 'In use',
  spare: 'Spare',
  in_repair: 'In repair',
  disposed: 'Disposed',
};

export const LICENCE_TYPES = ['per_device', 'per_user', 'site', 'concurrent', 'subscription'] as const;
export type LicenceType = (typeof LICENCE_TYPES)[number];

export const LICENCE_TYPE_LABELS: Record<LicenceType, string> = {
  per_device: 'Per device',
  per_user: 'Per user',
  site: 'Site',
  concurrent: 'Concurrent',
  subscription: 'Subscription',
};

/** A location as a register row (import/export shape): the parent is named, not referenced. */
export interface LocationRecord {
  name: string;
  /** Name of the containing location (a room in a block), if any. */
  parent: string | null;
  defaultImpact: Impact | null;
  archived: boolean;
}

export interface AssetRecord {
  /** Asset tag, unique per school (case-insensitive). */
  tag: string;
  type: AssetType;
  make: string;
  model: string;
  serial: string;
  /** Location name; must exist in the school's locations (or be created on the SPOC's say-so). */
  location: string | null;
  supplier: string;
  /** `YYYY-MM-DD` */
  purchaseDate: string | null;
  costPence: number | null;
  /** `YYYY-MM-DD` */
  warrantyEnd: string | null;
  status: AssetStatus;
  notes: string;
}

export interface LicenceRecord {
  title: string;
  publisher: string;
  type: LicenceType;
  /** Seats bought; null for a site licence. */
  quantity: number | null;
  seatsInUse: number;
  /** `YYYY-MM-DD` */
  startDate: string | null;
  /** `YYYY-MM-DD` */
  expiryDate: string | null;
  supplier: string;
  costPence: number | null;
  /** Where the key is kept (never the key itself in chat); shown to office/admin only. */
  keyReference: string;
  notes: string;
}

/** The natural key of each register row: what an import matches on. */
export const keyOf = {
  location: (r: Pick<LocationRecord, 'name'>) => r.name.trim().toLowerCase(),
  asset: (r: Pick<AssetRecord, 'tag'>) => r.tag.trim().toLowerCase(),
  licence: (r: Pick<LicenceRecord, 'title' | 'publisher'>) =>
    `${r.title.trim().toLowerCase()}\u001f${r.publisher.trim().toLowerCase()}`,
};
