/**
 * The school's on-call person for P1s out of school time (`schools.on_call_person_id`), as the
 * settings show and change it: a person of the school who may take an incident (technician,
 * office, admin), or nobody.
 */
import type { Db } from '../../db/client';
import { getPerson } from '../../db/queries/people';
import type { SchoolRow } from '../../db/queries/schools';
import { type PersonRef, personOf } from '../people';
import { DomainFailure } from '../result';
import { can } from '../roles';

/** The on-call person as the settings name them. */
export interface OnCallPerson {
  personId: string;
  name: string;
  slackUserId: string | null;
}

/** The school's on-call person, or null when it names nobody. */
export async function loadOnCallPerson(db: Db, school: SchoolRow): Promise<OnCallPerson | null> {
  if (!school.onCallPersonId) return null;
  const person = await getPerson(db, school.id, school.onCallPersonId);
  return person
    ? { personId: person.id, name: person.displayName || 'Unnamed', slackUserId: person.slackUserId }
    : null;
}

const notListed = () =>
  new DomainFailure({
    code: 'VALIDATION',
    message: 'Please check the highlighted settings.',
    fields: { onCall: 'Choose the on-call person from the list.' },
  });

/**
 * The person a settings form names as on call, inside the caller's transaction: a Slack user of
 * the workspace (recorded on first mention, as a teacher) or a person id of the school. Refused
 * beside the field unless they may take an incident; null names nobody.
 */
export async function onCallPersonOf(
  tx: Db,
  schoolId: string,
  ref: PersonRef | null,
  now: Date,
): Promise<string | null> {
  if (!ref) return null;
  if ('slackUserId' in ref && !/^[UW][A-Z0-9]+$/.test(ref.slackUserId)) throw notListed();
  const person = await personOf(tx, schoolId, ref, now);
  if (!person) throw notListed();
  if (!can(person.role, 'incident.claim')) {
    throw new DomainFailure({
      code: 'VALIDATION',
      message: 'Please check the highlighted settings.',
      fields: {
        onCall: 'The person on call must be a technician, office member or admin: give them a role first.',
      },
    });
  }
  return person.id;
}
