/**
 * Published service targets per priority, in school minutes (a school day is
 * 08:00–16:00, 480 minutes). FITS: publish targets, then measure.
 *
 * Each school may set its own targets; an incident keeps the targets that applied when its
 * priority was set, so changing the settings later does not rewrite history. While an incident is
 * on hold (waiting for parts or the user) its clock is paused: the paused school minutes push both
 * deadlines back.
 */
import { z } from 'zod';
import { addSchoolMinutes, type SchoolCalendar, schoolMinutesBetween } from '../school-time';
import { PRIORITIES, type Priority } from './priority';

const DAY = 480;

export interface SlaTarget {
  /** First response (claim, triage or forward), school minutes from the report. */
  respondMinutes: number;
  /** Resolution, school minutes from the report. */
  resolveMinutes: number;
}

export type SlaTargets = Record<Priority, SlaTarget>;

export const DEFAULT_SLA: SlaTargets = {
  P1: { respondMinutes: 30, resolveMinutes: 4 * 60 },
  P2: { respondMinutes: 2 * 60, resolveMinutes: DAY },
  P3: { respondMinutes: DAY, resolveMinutes: 3 * DAY },
  P4: { respondMinutes: 3 * DAY, resolveMinutes: 10 * DAY },
};

/** Share of a target after which the SPOC is warned that it is about to breach. */
export const SLA_WARNING_SHARE = 0.75;

/** The longest target a school may set: a whole term of school days. */
export const SLA_MAX_MINUTES = 70 * DAY;

const Minutes = z.number().int().min(1).max(SLA_MAX_MINUTES);
export const SlaTargetSchema = z
  .object({ respondMinutes: Minutes, resolveMinutes: Minutes })
  .refine((t) => t.respondMinutes <= t.resolveMinutes, {
    message: 'The response target must not be longer than the resolution target.',
  });

/**
 * A school's stored targets over the defaults. A stored priority that does not make sense is
 * ignored (the default applies) rather than breaking the school's SLA clock.
 */
export function slaTargetsOf(stored: Record<string, unknown> | null | undefined): SlaTargets {
  const targets = { ...DEFAULT_SLA };
  for (const priority of PRIORITIES) {
    const parsed = SlaTargetSchema.safeParse(stored?.[priority]);
    if (parsed.success) targets[priority] = parsed.data;
  }
  return targets;
}

/** The SLA fields of an incident this module needs. */
export interface SlaSubject {
  priority: Priority;
  createdAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  slaRespondMinutes: number | null;
  slaResolveMinutes: number | null;
  onHoldSince: Date | null;
  slaPausedMinutes: number;
}

/** The incident's own targets, falling back to the school's for incidents recorded before targets were kept. */
export function targetsOf(i: SlaSubject, school: SlaTargets): SlaTarget {
  return {
    respondMinutes: i.slaRespondMinutes ?? school[i.priority].respondMinutes,
    resolveMinutes: i.slaResolveMinutes ?? school[i.priority].resolveMinutes,
  };
}

/** School minutes the incident's clock has been paused, counting a hold still running at `now`. */
export function pausedMinutes(cal: SchoolCalendar, i: SlaSubject, now: Date): number {
  const running = i.onHoldSince && now > i.onHoldSince ? schoolMinutesBetween(cal, i.onHoldSince, now) : 0;
  return i.slaPausedMinutes + running;
}

/**
 * Ending a hold at `now` (resumed, resolved or closed): the whole school minutes it lasted, and
 * the values that take the incident off hold with those minutes added to its paused total.
 */
export function endHold(
  cal: SchoolCalendar,
  i: Pick<SlaSubject, 'onHoldSince' | 'slaPausedMinutes'>,
  now: Date,
): { heldMinutes: number; values: { onHoldSince: null; holdReason: null; slaPausedMinutes: number } } {
  const heldMinutes = i.onHoldSince ? Math.round(schoolMinutesBetween(cal, i.onHoldSince, now)) : 0;
  return {
    heldMinutes,
    values: { onHoldSince: null, holdReason: null, slaPausedMinutes: i.slaPausedMinutes + heldMinutes },
  };
}

export type SlaMeasure = 'response' | 'resolution';

export interface SlaStatus {
  measure: SlaMeasure;
  target: number;
  /** When the target falls due, given the pauses so far. */
  dueAt: Date;
  /** When the SPOC is warned that it is about to breach. */
  warnAt: Date;
  /** When it was met (first response / resolution), or null while still running. */
  metAt: Date | null;
  /** Met within target; null while still running. */
  met: boolean | null;
  /** School minutes left (negative once breached); null when met or missed already recorded. */
  remainingMinutes: number | null;
  /** The clock is paused (on hold). */
  paused: boolean;
}

/** Where an incident stands against one target at `now`. */
export function slaStatus(
  cal: SchoolCalendar,
  i: SlaSubject,
  school: SlaTargets,
  measure: SlaMeasure,
  now: Date,
): SlaStatus {
  const targets = targetsOf(i, school);
  const target = measure === 'response' ? targets.respondMinutes : targets.resolveMinutes;
  const metAt = measure === 'response' ? i.firstResponseAt : i.resolvedAt;
  // A response is measured on the raw clock: the first reply is due whatever the hold.
  const paused = measure === 'resolution' ? pausedMinutes(cal, i, metAt ?? now) : 0;
  const dueAt = addSchoolMinutes(cal, i.createdAt, target + paused);
  const warnAt = addSchoolMinutes(cal, i.createdAt, Math.round(target * SLA_WARNING_SHARE) + paused);
  if (metAt) {
    return {
      measure,
      target,
      dueAt,
      warnAt,
      metAt,
      met: metAt <= dueAt,
      remainingMinutes: null,
      paused: false,
    };
  }
  const remaining =
    now <= dueAt ? schoolMinutesBetween(cal, now, dueAt) : -schoolMinutesBetween(cal, dueAt, now);
  return {
    measure,
    target,
    dueAt,
    warnAt,
    metAt: null,
    met: null,
    remainingMinutes: remaining,
    paused: measure === 'resolution' && i.onHoldSince !== null,
  };
}

/**
 * School minutes from report to `until`, less time on hold for resolution: what the service
 * report measures.
 */
export function elapsedSchoolMinutes(
  cal: SchoolCalendar,
  i: SlaSubject,
  measure: SlaMeasure,
  until: Date,
): number {
  const raw = schoolMinutesBetween(cal, i.createdAt, until);
  return measure === 'resolution' ? Math.max(0, raw - pausedMinutes(cal, i, until)) : raw;
}

/** "2h 15m", "1 day 3h", "45m": school time in words a teacher reads. */
export function formatSchoolMinutes(minutes: number, dayMinutes = DAY): string {
  const m = Math.abs(Math.round(minutes));
  const days = Math.floor(m / dayMinutes);
  // Hours and minutes of what is left after whole school days (a 6h 30m day leaves half hours).
  const rest = m - days * dayMinutes;
  const hours = Math.floor(rest / 60);
  const mins = rest % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`);
  if (hours) parts.push(`${hours}h`);
  if (mins || parts.length === 0) parts.push(`${mins}m`);
  return parts.join(' ');
}
