/**
 * A person's home (Slack's App Home tab, the Teams home card): what their role sees, read from the
 * records, then its presenter, decided once for every platform. Each platform says whether the
 * school has its SPOC channel there and only renders the answer.
 */
import type { SchoolRow } from '../../db/queries/schools';
import type { Ctx } from '../context';
import { listIncidents } from '../incidents/list-incidents';
import { listMyReports } from '../incidents/reporter-response';
import { type HomeInput, presentHome } from '../presenters/home';
import type { Presentation, Section } from '../presenters/presentation';
import { registerHealth } from '../registers/register-health';
import { can } from '../roles';
import { workProgress } from '../work-items/list';

export type HomeCtx = Ctx & { school: Pick<SchoolRow, 'name' | 'timezone'> };

/** What the person's home shows, for their role. */
export async function homeInput(ctx: HomeCtx, hasSpocChannel: boolean): Promise<HomeInput> {
  const { role } = ctx.actor;
  const mine = await listMyReports(ctx);
  const queue = can(role, 'incident.viewAll')
    ? await listIncidents(ctx, { filter: 'open', limit: 20 })
    : undefined;
  const work = can(role, 'work.view')
    ? await workProgress(ctx, { timezone: ctx.school.timezone })
    : undefined;
  const health = can(role, 'register.manage') ? await registerHealth(ctx) : undefined;
  return {
    role,
    schoolName: ctx.school.name,
    hasSpocChannel,
    timezone: ctx.school.timezone,
    myReports: mine.ok ? mine.value : { open: [], closed: [] },
    queue: queue?.ok ? queue.value.incidents : [],
    work: work?.ok ? work.value : undefined,
    health: health?.ok ? health.value : undefined,
  };
}

/** The person's home as it is now, with `notice` (the answer to what they just did) under its top. */
export async function homeAnswer(
  ctx: HomeCtx,
  hasSpocChannel: boolean,
  notice?: readonly Section[],
): Promise<Presentation> {
  return presentHome(await homeInput(ctx, hasSpocChannel), notice);
}
