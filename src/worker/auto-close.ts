/**
 * The auto-close pass, run with every reminder pass: resolved incidents whose reporter has not
 * answered for 5 school days are closed. Each is closed in its own transaction under its row
 * lock and re-checked there, so passes may overlap or repeat and each incident closes once.
 */
import type { Db } from '../db/client';
import { listResolvedBefore, type ResolvedIncident } from '../db/queries/reporter';
import { loadSchoolClock } from '../db/queries/schools';
import { autoCloseDueAt, autoCloseIncident } from '../domain/incidents/auto-close';
import type { Logger } from '../log';

export interface AutoCloseResult {
  schoolId: string;
  schoolName: string;
  /** Incident numbers closed by this pass (or, in a dry run, that would be). */
  closed: number[];
}

export interface AutoCloseOptions {
  db: Db;
  log: Logger;
  /** The moment the pass runs as (the CLI's `--now`). */
  now: Date;
  /** Say what would be closed; change nothing. */
  dryRun?: boolean;
  /** Only these schools (the playground's demo school); every school when absent. */
  schoolIds?: readonly string[];
}

/** Five school days are never shorter than four calendar days: a cheap first cut. */
const CANDIDATE_MS = 4 * 24 * 60 * 60_000;

async function passForSchool(
  opts: AutoCloseOptions,
  schoolId: string,
  candidates: ResolvedIncident[],
): Promise<number[]> {
  const clock = await loadSchoolClock(opts.db, schoolId);
  if (!clock) return [];
  const due = candidates.filter((c) => autoCloseDueAt(clock.calendar, c.resolvedAt) <= opts.now);
  if (opts.dryRun) return due.map((c) => c.number);
  const closed: number[] = [];
  for (const c of due) {
    try {
      const done = await autoCloseIncident(opts.db, {
        schoolId,
        incidentId: c.id,
        calendar: clock.calendar,
        now: opts.now,
      });
      if (done) closed.push(done.number);
    } catch (error) {
      opts.log.error({ err: error, schoolId, incidentId: c.id }, 'auto-close failed; it will be retried');
    }
  }
  return closed;
}

/** Closes what is due in every school (or those in `schoolIds`); a school that fails is logged and retried next pass. */
export async function runAutoClosePass(opts: AutoCloseOptions): Promise<AutoCloseResult[]> {
  const candidates = await listResolvedBefore(opts.db, new Date(opts.now.getTime() - CANDIDATE_MS));
  const only = opts.schoolIds ? new Set(opts.schoolIds) : undefined;
  const bySchool = new Map<string, ResolvedIncident[]>();
  for (const c of candidates)
    if (!only || only.has(c.schoolId)) bySchool.set(c.schoolId, [...(bySchool.get(c.schoolId) ?? []), c]);
  const results: AutoCloseResult[] = [];
  for (const [schoolId, list] of bySchool) {
    try {
      const closed = await passForSchool(opts, schoolId, list);
      if (closed.length > 0) results.push({ schoolId, schoolName: list[0]?.schoolName ?? '', closed });
    } catch (error) {
      opts.log.error({ err: error, schoolId }, 'auto-close pass failed for a school; it will be retried');
    }
  }
  return results;
}
