/**
 * Sends each outbox message through the platform its school is on: a Slack workspace or a Teams
 * tenant. A school whose platform this deployment cannot reach (no Teams deliverer, or Slack not
 * configured) keeps its messages waiting rather than losing them; they go once it can.
 */
import type { Db } from '../db/client';
import type { OutboxRow } from '../db/queries/outbox';
import { getSchool } from '../db/queries/schools';
import type { Clock } from '../domain/clock';
import { type Deliverer, DeliveryRetry } from './outbox-dispatcher';

const WAIT_MS = 30 * 60_000;

export function deliverByPlatform(deps: {
  db: Db;
  clock: Clock;
  slack?: Deliverer;
  teams?: Deliverer;
}): Deliverer {
  const { db, clock } = deps;
  const wait = (why: string) =>
    new DeliveryRetry(why, { at: new Date(clock.now().getTime() + WAIT_MS), waiting: true });
  return {
    async deliver(row: OutboxRow): Promise<void> {
      const school = await getSchool(db, row.schoolId);
      if (!school) throw new DeliveryRetry('school not found', { permanent: true });
      if (school.slackTeamId) {
        if (!deps.slack) throw wait('Slack is not configured in this deployment');
        return deps.slack.deliver(row);
      }
      if (school.teamsTenantId) {
        if (!deps.teams) throw wait('Teams messages cannot be sent by this deployment yet');
        return deps.teams.deliver(row);
      }
      throw new DeliveryRetry('school has no Slack workspace or Teams tenant', { permanent: true });
    },
  };
}
