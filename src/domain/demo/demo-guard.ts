/**
 * The playground and its demo school stay out of real installs. The playground's pretend Slack
 * would take every school's messages (marked sent, never reaching Slack) and run their reminders,
 * and a demo school does not belong beside real ones: both refuse a database holding any school
 * other than the demo school.
 */
import type { Db } from '../../db/client';
import { countSchoolsBesides } from '../../db/queries/schools';
import { OperatorError } from '../../operator-error';
import { DEMO_TEAM_ID } from './demo-school';

/** The database holds real schools; the message says how many and what to do. */
export class RealSchoolsError extends OperatorError {
  constructor(
    readonly count: number,
    message: string,
  ) {
    super(message);
    this.name = 'RealSchoolsError';
  }
}

/** Where the playground's own database goes: a separate directory, never the real install's. */
function elsewhere(kind: 'postgres' | 'pglite'): string {
  return kind === 'postgres'
    ? 'unset DATABASE_URL and set SPOC_DATA_DIR to a directory of its own for the playground'
    : 'set SPOC_DATA_DIR to another directory for the playground';
}

/**
 * Throws `RealSchoolsError` when the database holds a school besides the demo school.
 * `purpose`: what is refused — starting the playground, or `seed demo`.
 */
export async function refuseBesideRealSchools(
  db: Db,
  purpose: 'playground' | 'seed',
  kind: 'postgres' | 'pglite',
): Promise<void> {
  const count = await countSchoolsBesides(db, DEMO_TEAM_ID);
  if (count === 0) return;
  const holds = `This database holds ${count} real school${count === 1 ? '' : 's'}`;
  if (purpose === 'playground') {
    throw new RealSchoolsError(
      count,
      `${holds}, so the playground will not start on it: its pretend Slack would swallow their messages and run their reminders. ` +
        `To try the playground, ${elsewhere(kind)}; to serve ${count === 1 ? 'that school' : 'those schools'}, set your Slack credentials (README.md lists them).`,
    );
  }
  throw new RealSchoolsError(
    count,
    `${holds}, so seed demo will not add the playground's demo school to it. To seed the playground, ${elsewhere(kind)} and run seed demo there.`,
  );
}
