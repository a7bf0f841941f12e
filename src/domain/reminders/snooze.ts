import { getAsset } from '../../db/queries/assets';
import { getIncidentDetail } from '../../db/queries/incidents';
import { getLicence } from '../../db/queries/licences';
import { getLocation } from '../../db/queries/locations';
import { snooze } from '../../db/queries/reminders';
import { getContract, getPayment } from '../../db/queries/supply';
import type { Ctx } from '../context';
import { isUuid } from '../ids';
import { fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';

export const SNOOZE_DAYS = 7;

const LOOKUPS = {
  payment: getPayment,
  contract: getContract,
  licence: getLicence,
  asset: getAsset,
  incident: getIncidentDetail,
} as const;

/** "Repeated faults" suggestions are about an asset or a location: `repeats:<scope>:<id>`. */
const REPEAT_LOOKUPS = { asset: getAsset, location: getLocation } as const;

type Lookup = (db: Ctx['db'], schoolId: string, id: string) => Promise<unknown>;

/** The lookup for a reminder subject and the id it names; undefined when the subject is not one we know. */
function lookupOf(subject: string): { lookup: Lookup; id: string | undefined } | undefined {
  const [kind, id, repeatId] = subject.split(':');
  if (kind === 'repeats') {
    const lookup = id && id in REPEAT_LOOKUPS ? REPEAT_LOOKUPS[id as keyof typeof REPEAT_LOOKUPS] : undefined;
    return lookup ? { lookup, id: repeatId } : undefined;
  }
  const lookup = kind && kind in LOOKUPS ? LOOKUPS[kind as keyof typeof LOOKUPS] : undefined;
  return lookup ? { lookup, id } : undefined;
}

/** "Snooze 7 days": no reminders about this record until then. Office and admin. */
export async function snoozeReminder(
  ctx: Ctx,
  input: { subject: string; days?: number },
): Promise<Result<{ until: Date }>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const found = lookupOf(input.subject);
  if (!found || !isUuid(found.id) || !(await found.lookup(ctx.db, ctx.actor.schoolId, found.id))) {
    return fail('REGISTER.NOT_FOUND', 'That reminder is not about anything in your school any more.');
  }
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + (input.days ?? SNOOZE_DAYS) * 86_400_000);
  await snooze(ctx.db, ctx.actor.schoolId, input.subject, until, ctx.actor.personId, now);
  return ok({ until });
}
