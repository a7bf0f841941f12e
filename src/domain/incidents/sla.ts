/**
 * Published service targets per priority (DESIGN.md §2), in school minutes (a school day is
 * 08:00–16:00, 480 minutes). FITS: publish targets, then measure.
 */
import type { Priority } from './priority';

const DAY = 480;

export interface SlaTarget {
  /** First response (claim or triage), school minutes from the report. */
  respondMinutes: number;
  /** Resolution, school minutes from the report. */
  resolveMinutes: number;
}

export const DEFAULT_SLA: Record<Priority, SlaTarget> = {
  P1: { respondMinutes: 30, resolveMinutes: 4 * 60 },
  P2: { respondMinutes: 2 * 60, resolveMinutes: DAY },
  P3: { respondMinutes: DAY, resolveMinutes: 3 * DAY },
  P4: { respondMinutes: 3 * DAY, resolveMinutes: 10 * DAY },
};

/** Share of a target after which the SPOC is warned that it is about to breach. */
export const SLA_WARNING_SHARE = 0.75;
