/**
 * Percentiles for the service report, by the nearest-rank method: the p-th percentile of n sorted
 * values is the value at rank ⌈p/100 × n⌉. It is always one of the measured times (no averaging
 * between two incidents), so a head teacher can point at the incident behind each figure. With an
 * even count the median is the lower of the two middle values.
 */

/** The nearest-rank `p`-th percentile (0 < p ≤ 100) of `values`, or null when there are none. */
export function nearestRank(values: ReadonlyArray<number>, p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], not ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

/** How long something took across the incidents measured, in whole school minutes. */
export interface TimeStats {
  /** Incidents measured (those with the time recorded). */
  measured: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export function timeStats(minutes: ReadonlyArray<number>): TimeStats {
  return {
    measured: minutes.length,
    medianMinutes: nearestRank(minutes, 50),
    p90Minutes: nearestRank(minutes, 90),
  };
}

/** Met / measured against a target. */
export interface TargetTally {
  met: number;
  /** Met plus missed: finished ones, and open ones already past their target. */
  measured: number;
  /** Whole per cent met, or null when nothing was measured. */
  percent: number | null;
  /** Still open and within target: not counted either way yet. */
  notYet: number;
}

/** Tallies outcomes: true met, false missed, null not measured yet. */
export function tally(outcomes: ReadonlyArray<boolean | null>): TargetTally {
  const met = outcomes.filter((o) => o === true).length;
  const measured = outcomes.filter((o) => o !== null).length;
  return {
    met,
    measured,
    percent: measured ? Math.round((met / measured) * 100) : null,
    notYet: outcomes.length - measured,
  };
}
