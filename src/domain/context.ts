import type { Db } from '../db/client';
import type { Clock } from './clock';
import type { Role } from './roles';

/** The person acting, already resolved to a school. Platform ids never reach a command. */
export interface Actor {
  schoolId: string;
  personId: string;
  role: Role;
  displayName: string;
}

/** What every command receives: the database, the clock and who is acting. */
export interface Ctx {
  db: Db;
  clock: Clock;
  actor: Actor;
}
