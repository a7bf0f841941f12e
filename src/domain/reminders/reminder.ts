/**
 * A reminder the worker posts into the SPOC channel. Each has a key naming its occurrence: the
 * same occurrence is never posted twice (the key is recorded with a unique constraint).
 */
import type { Priority } from '../incidents/priority';

export type Reminder =
  | {
      kind: 'payment.due_soon' | 'payment.due_today' | 'payment.overdue';
      key: string;
      paymentId: string;
      payee: string;
      amountPence: number;
      dueDate: string;
      reference: string;
      /** Whole days from today to the due date (negative when overdue). */
      days: number;
    }
  | {
      kind: 'contract.notice' | 'contract.end';
      key: string;
      contractId: string;
      title: string;
      providerName: string;
      /** The date the rule is about: the notice deadline, or the end date. */
      date: string;
      days: number;
      autoRenews: boolean;
    }
  | {
      kind: 'incident.stale' | 'incident.sla_warning' | 'incident.sla_breach';
      key: string;
      incidentId: string;
      number: number;
      summary: string;
      priority: Priority;
      /** Which target: first response or resolution (stale uses the response target). */
      measure: 'response' | 'resolution';
      /** When the target falls due (ISO instant). */
      dueAt: string;
      /** A stale incident's last update (ISO instant); absent on reminders recorded before it was kept. */
      lastActivityAt?: string;
    }
  | {
      kind: 'licence.expiring' | 'licence.over_deployed';
      key: string;
      licenceId: string;
      title: string;
      expiryDate: string | null;
      days: number | null;
      seatsInUse: number;
      quantity: number | null;
    }
  | { kind: 'asset.warranty'; key: string; assetId: string; tag: string; warrantyEnd: string; days: number }
  | { kind: 'diary.today'; key: string; date: string; entries: Array<{ title: string; kind: string }> }
  | {
      /** A provider has not answered an escalation within their response target: chase them. */
      kind: 'escalation.chase';
      key: string;
      escalationId: string;
      incidentId: string;
      number: number;
      summary: string;
      providerName: string;
      providerRef: string;
      /** When their answer was due (ISO instant). */
      respondBy: string;
      /** Chases so far: the Chase button records the next one. */
      chaseCount: number;
    }
  | {
      /** 3+ incidents on one asset or in one location within 30 days, not covered by an open problem. */
      kind: 'problem.suggested';
      key: string;
      scope: 'asset' | 'location';
      /** The asset's or location's id. */
      subjectId: string;
      /** The asset tag or location name. */
      label: string;
      count: number;
      incidents: Array<{ id: string; number: number; summary: string }>;
    }
  | {
      /** The weekly digest, posted on the first school day of each week. */
      kind: 'digest';
      key: string;
      /** ISO week, e.g. 2027-W09. */
      week: string;
      openByPriority: Record<Priority, number>;
      slaAtRisk: Array<{ number: number; summary: string; priority: Priority; breached: boolean }>;
      paymentsThisWeek: Array<{ payee: string; amountPence: number; dueDate: string }>;
      renewalsInNotice: Array<{ title: string; providerName: string; noticeBy: string }>;
      licenceProblems: Array<{ title: string; problem: string }>;
      diaryToday: Array<{ title: string; kind: string }>;
    };

export type ReminderKind = Reminder['kind'];

/** What a snooze applies to: the record behind the reminder. */
export function subjectOf(r: Reminder): string {
  switch (r.kind) {
    case 'payment.due_soon':
    case 'payment.due_today':
    case 'payment.overdue':
      return `payment:${r.paymentId}`;
    case 'contract.notice':
    case 'contract.end':
      return `contract:${r.contractId}`;
    case 'incident.stale':
    case 'incident.sla_warning':
    case 'incident.sla_breach':
    case 'escalation.chase':
      return `incident:${r.incidentId}`;
    case 'licence.expiring':
    case 'licence.over_deployed':
      return `licence:${r.licenceId}`;
    case 'asset.warranty':
      return `asset:${r.assetId}`;
    case 'diary.today':
      return `diary:${r.date}`;
    case 'digest':
      return `digest:${r.week}`;
    case 'problem.suggested':
      return `repeats:${r.scope}:${r.subjectId}`;
  }
}
