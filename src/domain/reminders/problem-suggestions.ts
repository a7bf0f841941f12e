/**
 * Repeated incidents suggest a problem (FITS problem management): 3 or more incidents on one asset,
 * or in one location, within 30 days — the same threshold that flags an asset in the register —
 * that no open problem already covers. A pure rule over the recent incidents. A cluster's key names
 * its newest incident: as the 30-day window slides the key stays the same, so the same run of faults
 * is posted once, and it is posted again only when a new fault joins it. The key leaves out the
 * asset or location on purpose: a run already suggested for an asset that later counts for its
 * location (the asset's cluster shrank as the window slid) has the same newest fault, so it is not
 * posted again either. An incident is in one cluster at a time, so no two clusters share a key.
 */
import { REPEAT_INCIDENTS, repeatWindowStart } from '../registers/compliance';
import type { Reminder } from './reminder';

export interface RepeatIncident {
  id: string;
  number: number;
  summary: string;
  createdAt: Date;
  assetId: string | null;
  assetTag: string | null;
  locationId: string | null;
  locationName: string | null;
  /** Already linked to a problem that is not closed: that problem is the answer, nothing to suggest. */
  linkedToOpenProblem: boolean;
}

export type ProblemSuggestion = Extract<Reminder, { kind: 'problem.suggested' }>;

/** At most this many incidents are carried on a suggestion (its button value must stay small). */
export const SUGGESTION_INCIDENTS_MAX = 20;

function clustersBy(
  incidents: readonly RepeatIncident[],
  idOf: (i: RepeatIncident) => string | null,
): Map<string, RepeatIncident[]> {
  const groups = new Map<string, RepeatIncident[]>();
  for (const i of incidents) {
    const id = idOf(i);
    if (!id) continue;
    const group = groups.get(id) ?? [];
    group.push(i);
    groups.set(id, group);
  }
  return groups;
}

function suggestion(
  scope: 'asset' | 'location',
  subjectId: string,
  label: string,
  group: RepeatIncident[],
): ProblemSuggestion {
  const sorted = [...group].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.number - b.number,
  );
  const newest = sorted[sorted.length - 1] as RepeatIncident;
  return {
    kind: 'problem.suggested',
    key: `problem.suggested:${newest.id}`,
    scope,
    subjectId,
    label,
    count: sorted.length,
    incidents: sorted
      .slice(-SUGGESTION_INCIDENTS_MAX)
      .map((i) => ({ id: i.id, number: i.number, summary: i.summary })),
  };
}

/**
 * The clusters due at `now`, assets first. An incident in an asset's cluster is not counted again
 * for its location, so one run of faults is suggested once.
 */
export function problemSuggestions(incidents: readonly RepeatIncident[], now: Date): ProblemSuggestion[] {
  const since = repeatWindowStart(now);
  const recent = incidents.filter(
    (i) => !i.linkedToOpenProblem && i.createdAt >= since && i.createdAt <= now,
  );
  const out: ProblemSuggestion[] = [];
  const covered = new Set<string>();
  for (const [assetId, group] of clustersBy(recent, (i) => i.assetId)) {
    if (group.length < REPEAT_INCIDENTS) continue;
    out.push(suggestion('asset', assetId, group[0]?.assetTag ?? 'an asset', group));
    for (const i of group) covered.add(i.id);
  }
  const rest = recent.filter((i) => !covered.has(i.id));
  for (const [locationId, group] of clustersBy(rest, (i) => i.locationId)) {
    if (group.length < REPEAT_INCIDENTS) continue;
    out.push(suggestion('location', locationId, group[0]?.locationName ?? 'a location', group));
  }
  return out;
}

/** The title a problem opened from a suggestion starts with. */
export function suggestedProblemTitle(label: string): string {
  return `Repeated faults: ${label}`.slice(0, 200);
}
