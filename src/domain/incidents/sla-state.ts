/**
 * Where an incident stands against its SLA now, for a list's line and for the `breached` list:
 * read from `slaStatus` (the one SLA computation, in school time), never worked out again.
 */
import type { SchoolCalendar } from '../school-time';
import { type SlaMeasure, type SlaSubject, type SlaTargets, slaStatus } from './sla';
import { isOpen, type Status } from './state-machine';

/** What an SLA reading needs besides the incident: the moment, the school's calendar and targets. */
export interface SlaClock {
  now: Date;
  calendar: SchoolCalendar;
  sla: SlaTargets;
}

export type SlaState =
  /** Closed without being resolved: no target was met or missed. */
  | { kind: 'closed'; at: Date | null }
  /** Resolved (and perhaps closed since): within its resolution target or after it. */
  | { kind: 'resolved'; at: Date; met: boolean; targetMinutes: number }
  /**
   * Open. `missed`: the targets already missed (a response made late, or a clock past its due
   * time); `running`: the clock still counting, with the school minutes left, when none is missed
   * yet or only the response was (late); `paused`: on hold, the resolution clock stopped.
   */
  | {
      kind: 'open';
      missed: SlaMeasure[];
      running: { measure: SlaMeasure; leftMinutes: number; dueAt: Date } | null;
      paused: boolean;
    };

type Subject = SlaSubject & { status: Status; closedAt: Date | null };

/** The incident's SLA state at `clock.now`. */
export function slaStateOf(i: Subject, clock: SlaClock): SlaState {
  const { calendar, sla, now } = clock;
  if (i.resolvedAt) {
    const s = slaStatus(calendar, i, sla, 'resolution', now);
    return { kind: 'resolved', at: i.resolvedAt, met: s.met === true, targetMinutes: s.target };
  }
  if (!isOpen(i.status)) return { kind: 'closed', at: i.closedAt };
  const response = slaStatus(calendar, i, sla, 'response', now);
  const resolution = slaStatus(calendar, i, sla, 'resolution', now);
  const late = (s: typeof response) => s.met === false || (s.metAt === null && now > s.dueAt);
  const missed: SlaMeasure[] = [];
  if (late(response)) missed.push('response');
  if (late(resolution)) missed.push('resolution');
  // The clock that counts now: the response until someone responds, then the resolution.
  const current = i.firstResponseAt ? resolution : response;
  const running =
    missed.includes(current.measure) || current.remainingMinutes === null
      ? null
      : { measure: current.measure, leftMinutes: current.remainingMinutes, dueAt: current.dueAt };
  return { kind: 'open', missed, running, paused: resolution.paused };
}

/** An open incident that has missed its response or resolution target. */
export function isBreached(state: SlaState): boolean {
  return state.kind === 'open' && state.missed.length > 0;
}
