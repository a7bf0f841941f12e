/**
 * Support providers, their contracts, scheduled payments and the diary: the SPOC
 * "monitors contracts with support providers" and "makes diary entries and schedules payments".
 * Money is integer pence; dates are ISO calendar dates.
 */

export const PROVIDER_LEVELS = ['first', 'second', 'supplier'] as const;
export type ProviderLevel = (typeof PROVIDER_LEVELS)[number];
export const PROVIDER_LEVEL_LABELS: Record<ProviderLevel, string> = {
  first: 'First-level support',
  second: 'Second-level support',
  supplier: 'Supplier',
};

export const RECURRENCES = ['none', 'monthly', 'termly', 'annually'] as const;
export type Recurrence = (typeof RECURRENCES)[number];
export const RECURRENCE_LABELS: Record<Recurrence, string> = {
  none: 'One-off',
  monthly: 'Monthly',
  termly: 'Termly',
  annually: 'Annually',
};

export const PAYMENT_STATUSES = ['scheduled', 'paid', 'cancelled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, string> = {
  scheduled: 'Scheduled',
  paid: 'Paid',
  cancelled: 'Cancelled',
};

export const CONTRACT_STATUSES = ['active', 'cancelling', 'ended'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const CONTRACT_STATUS_LABELS: Record<ContractStatus, string> = {
  active: 'Active',
  cancelling: 'Will cancel',
  ended: 'Ended',
};

export const DIARY_KINDS = ['implementation', 'delivery', 'visit', 'maintenance', 'other'] as const;
export type DiaryKind = (typeof DIARY_KINDS)[number];
export const DIARY_KIND_LABELS: Record<DiaryKind, string> = {
  implementation: 'Implementation',
  delivery: 'Delivery',
  visit: 'Visit',
  maintenance: 'Maintenance',
  other: 'Other',
};
