/** What needs the SPOC's attention in the registers, for the App Home. */
import { addDays, format, parseISO } from 'date-fns';
import { type AssetRow, warrantiesEndingBetween } from '../../db/queries/assets';
import { getSchool } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { fail, ok, type Result } from '../result';
import { can, FORBIDDEN } from '../roles';
import { schoolToday } from '../school-time';
import { WARRANTY_WARNING_DAYS } from './compliance';
import { type LicenceView, listLicenceRegister } from './licences';

export interface RegisterHealth {
  today: string;
  /** Warranties ending within the warning window. */
  warrantiesEnding: AssetRow[];
  /** Licences over-deployed, nearly full, expired or expiring. */
  licenceProblems: LicenceView[];
}

export async function registerHealth(ctx: Ctx): Promise<Result<RegisterHealth>> {
  if (!can(ctx.actor.role, 'register.manage')) return fail('AUTH.FORBIDDEN', FORBIDDEN['register.manage']);
  const school = await getSchool(ctx.db, ctx.actor.schoolId);
  const today = schoolToday(ctx.clock.now(), school?.timezone ?? 'Europe/London');
  const until = format(addDays(parseISO(today), WARRANTY_WARNING_DAYS), 'yyyy-MM-dd');
  const licences = await listLicenceRegister(ctx);
  return ok({
    today,
    warrantiesEnding: await warrantiesEndingBetween(ctx.db, ctx.actor.schoolId, today, until, 10),
    licenceProblems: licences.ok ? licences.value.filter((l) => l.compliance.flags.length > 0) : [],
  });
}
