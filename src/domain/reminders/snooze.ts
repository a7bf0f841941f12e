import { getAsset } from '../../db/queries/assets';
import { getIncidentDetail } from '../../db/queries/incidents';
import { getLicence } from '../../db/queries/licences';
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

/** "Snooze 7 days": no reminders about this record until then. Office and admin. */
export async function snoozeReminder(
  ctx: Ctx,
  input: { subject: string; days?: number },
): Promise<Result<{ until: Date }>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const [kind, id] = input.subject.split(':');
  const lookup = kind && kind in LOOKUPS ? LOOKUPS[kind as keyof typeof LOOKUPS] : undefined;
  if (!lookup || !isUuid(id) || !(await lookup(ctx.db, ctx.actor.schoolId, id))) {
    return fail('REGISTER.NOT_FOUND', 'That reminder is not about anything in your school any more.');
  }
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + (input.days ?? SNOOZE_DAYS) * 86_400_000);
  await snooze(ctx.db, ctx.actor.schoolId, input.subject, until, ctx.actor.personId, now);
  return ok({ until });
}
