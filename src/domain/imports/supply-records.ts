/**
 * Providers, contracts and scheduled payments as register rows (the CSV import/export shape):
 * a provider is named, not referenced, and matched ignoring case and surrounding spaces.
 * Money is integer pence; dates are `YYYY-MM-DD`.
 */
import type { ContractStatus, PaymentStatus, ProviderLevel, Recurrence } from '../registers/supply-types';

export interface ProviderRecord {
  /** Unique per school (case-insensitive): supplyKeyOf.provider. */
  name: string;
  level: ProviderLevel;
  contactName: string;
  email: string;
  phone: string;
  /** A chat channel shared with the provider (a Slack channel id or name), or ''. */
  chatChannel: string;
  notes: string;
}

export interface ContractRecord {
  /** The provider's name; must be one of the school's providers. */
  provider: string;
  /** Unique per provider (case-insensitive): supplyKeyOf.contract. */
  title: string;
  service: string;
  startDate: string | null;
  endDate: string | null;
  noticeDays: number;
  autoRenews: boolean;
  valuePence: number | null;
  /** The provider's response target for escalations, in school hours. */
  responseTargetHours: number | null;
  status: ContractStatus;
  notes: string;
}

export interface PaymentRecord {
  payee: string;
  /** The provider's name, if the payment is to one of the school's providers. */
  provider: string | null;
  /** More than 0. */
  amountPence: number;
  dueDate: string;
  recurrence: Recurrence;
  status: PaymentStatus;
  paidDate: string | null;
  /** With the payee and due date, what makes a payment the same one: supplyKeyOf.payment. */
  reference: string;
  notes: string;
}
