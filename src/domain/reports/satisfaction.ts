/**
 * Satisfaction in the service report: how many reporters were asked "are you happy with how it was
 * dealt with?" (asked once per incident, when they press Fixed), how many answered and the share
 * of 👍. Pure: plain rows in, figures out.
 *
 * Rules, so the figures can be checked by hand:
 * - A question counts in the period (and the school week, Monday to Sunday in the school's time
 *   zone) in which it was asked, whenever it was answered; an answer not given yet is "not answered".
 * - The 👍 share is of the answers (whole per cent, rounded), never of the questions asked.
 * - Per technician: by who had the incident when it was answered (else when it was asked). These
 *   figures and the comments are the office's: `byTechnician` and `comments` are null unless the
 *   reader may see them (`report.byPerson`), so a technician is never shown one person's answer.
 */
import { addIsoDays, isoWeekday } from '../school-time/iso-date';
import { schoolToday } from '../school-time/today';

export type RatingValue = 'up' | 'down';

/** One question asked, as the report reads it. */
export interface ReportAsked {
  incidentNumber: number;
  /** When the reporter pressed Fixed (the question was asked). */
  askedAt: Date;
  rating: RatingValue | null;
  /** The reporter's optional comment ('' when none). */
  comment: string;
  answeredAt: Date | null;
  /** Who had the incident: the answer's technician, else the incident's. */
  technician: { id: string; name: string } | null;
}

export interface SatisfactionTally {
  asked: number;
  answered: number;
  up: number;
  down: number;
  /** Whole per cent of the answers that were 👍, or null with no answers. */
  upPercent: number | null;
}

export interface SatisfactionComment {
  incidentNumber: number;
  rating: RatingValue;
  comment: string;
  answeredAt: Date;
  technicianName: string | null;
}

export interface SatisfactionFigures {
  all: SatisfactionTally;
  /** Per school week in which questions were asked, oldest first; `from` is its Monday. */
  weeks: Array<{ from: string; tally: SatisfactionTally }>;
  /** Per technician, most answers first; null when the reader may not see them (not the office). */
  byTechnician: Array<{ name: string; tally: SatisfactionTally }> | null;
  /** The comments given, newest first; null when the reader may not see them (not the office). */
  comments: SatisfactionComment[] | null;
}

/** Not answered yet, and who had the incident, named in the figures. */
export const NO_TECHNICIAN = 'Nobody assigned';

export function satisfactionTally(asked: ReadonlyArray<ReportAsked>): SatisfactionTally {
  const up = asked.filter((a) => a.rating === 'up').length;
  const down = asked.filter((a) => a.rating === 'down').length;
  const answered = up + down;
  return {
    asked: asked.length,
    answered,
    up,
    down,
    upPercent: answered ? Math.round((up / answered) * 100) : null,
  };
}

/** The Monday of the school week a moment falls in, in the school's time zone. */
export function schoolWeekOf(at: Date, timezone: string): string {
  const day = schoolToday(at, timezone);
  return addIsoDays(day, 1 - isoWeekday(day));
}

function groupBy<K>(rows: ReadonlyArray<ReportAsked>, keyOf: (a: ReportAsked) => K): Map<K, ReportAsked[]> {
  const groups = new Map<K, ReportAsked[]>();
  for (const a of rows) groups.set(keyOf(a), [...(groups.get(keyOf(a)) ?? []), a]);
  return groups;
}

/**
 * The period's satisfaction figures. `byPerson`: the reader may see figures per technician and
 * the comments (office and admin); otherwise they are left out, not merely hidden.
 */
export function computeSatisfaction(
  asked: ReadonlyArray<ReportAsked>,
  timezone: string,
  byPerson: boolean,
): SatisfactionFigures {
  const weeks = [...groupBy(asked, (a) => schoolWeekOf(a.askedAt, timezone)).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([from, rows]) => ({ from, tally: satisfactionTally(rows) }));
  if (!byPerson) return { all: satisfactionTally(asked), weeks, byTechnician: null, comments: null };
  const byTechnician = [...groupBy(asked, (a) => a.technician?.id ?? '').values()]
    .map((rows) => ({ name: rows[0]?.technician?.name ?? NO_TECHNICIAN, tally: satisfactionTally(rows) }))
    .sort((a, b) => b.tally.answered - a.tally.answered || a.name.localeCompare(b.name));
  const comments = asked
    .flatMap((a): SatisfactionComment[] =>
      a.rating && a.answeredAt && a.comment
        ? [
            {
              incidentNumber: a.incidentNumber,
              rating: a.rating,
              comment: a.comment,
              answeredAt: a.answeredAt,
              technicianName: a.technician?.name ?? null,
            },
          ]
        : [],
    )
    .sort((a, b) => b.answeredAt.getTime() - a.answeredAt.getTime());
  return { all: satisfactionTally(asked), weeks, byTechnician, comments };
}
