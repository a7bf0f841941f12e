/**
 * Sends each outbox message through the platform its school is on: a Slack workspace or a Teams
 * tenant. A school whose platform this deployment cannot reach (no Teams deliverer, or Slack not
 * configured) keeps its messages waiting rather than losing them; they go once it can.
 *
 * After a Slack school's incident card or reminder is delivered (every change to an incident
 * updates its card through the outbox), the staff App Homes of that school are published again,
 * debounced per school (`homes`, this process's `homeRefresher` unless given).
 */
import { type HomeRefresher, homeRefresher } from '../bot/slack/home-refresh';
import type { Db } from '../db/client';
import type { OutboxRow } from '../db/queries/outbox';
import { getSchool } from '../db/queries/schools';
import type { Clock } from '../domain/clock';
import { readOutboxMessage } from '../domain/messages';
import { type Deliverer, DeliveryRetry } from './outbox-dispatcher';

const WAIT_MS = 30 * 60_000;
/**
 * How long a school's platform (its Slack workspace or Teams tenant, set when it was made) is
 * taken as read without asking the database again: a backlog of a school's messages costs one read.
 */
const PLATFORM_CACHE_MS = 60_000;
const PLATFORM_CACHE_MAX = 10_000;

export function deliverByPlatform(deps: {
  db: Db;
  clock: Clock;
  slack?: Deliverer;
  teams?: Deliverer;
  /** Whose App Homes to publish again after a change they show (this process's by default). */
  homes?: Pick<HomeRefresher, 'changed'>;
}): Deliverer {
  const homes = deps.homes ?? homeRefresher;
  const { db, clock } = deps;
  const wait = (why: string) =>
    new DeliveryRetry(why, { at: new Date(clock.now().getTime() + WAIT_MS), waiting: true });
  const platforms = new Map<
    string,
    { slackTeamId: string | null; teamsTenantId: string | null; at: number }
  >();
  async function platformOf(schoolId: string) {
    const known = platforms.get(schoolId);
    if (known && Date.now() - known.at < PLATFORM_CACHE_MS) return known;
    const school = await getSchool(db, schoolId);
    if (!school) return undefined;
    if (platforms.size >= PLATFORM_CACHE_MAX) platforms.clear();
    const platform = { slackTeamId: school.slackTeamId, teamsTenantId: school.teamsTenantId, at: Date.now() };
    platforms.set(schoolId, platform);
    return platform;
  }
  return {
    async deliver(row: OutboxRow): Promise<void> {
      const school = await platformOf(row.schoolId);
      if (!school) throw new DeliveryRetry('school not found', { permanent: true });
      if (school.slackTeamId) {
        if (!deps.slack) throw wait('Slack is not configured in this deployment');
        await deps.slack.deliver(row);
        if (showsOnHome(row)) homes.changed(row.schoolId);
        return;
      }
      if (school.teamsTenantId) {
        if (!deps.teams) throw wait('Teams messages cannot be sent by this deployment yet');
        return deps.teams.deliver(row);
      }
      throw new DeliveryRetry('school has no Slack workspace or Teams tenant', { permanent: true });
    },
  };
}

/** A message whose delivery means something on the staff's App Homes changed. */
function showsOnHome(row: OutboxRow): boolean {
  const read = readOutboxMessage(row.message);
  return read.ok && (read.message.type === 'incident.card' || read.message.type === 'reminder');
}
