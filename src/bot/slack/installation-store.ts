/**
 * Slack OAuth installations kept in the database (never in memory: they must survive restarts
 * and be shared by replicas). Org-wide installs are keyed by enterprise id, others by team id.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Db } from '../../db/client';
import { deleteInstallation, loadInstallation, saveInstallation } from '../../db/queries/slack-installations';
import type { Clock } from '../../domain/clock';

function keyOf(isEnterpriseInstall: boolean | undefined, enterpriseId?: string, teamId?: string): string {
  if (isEnterpriseInstall && enterpriseId) return `E:${enterpriseId}`;
  if (teamId) return `T:${teamId}`;
  throw new Error('installation has neither a team nor an enterprise id');
}

export function databaseInstallationStore(db: Db, clock: Clock): InstallationStore {
  return {
    async storeInstallation(installation) {
      const key = keyOf(installation.isEnterpriseInstall, installation.enterprise?.id, installation.team?.id);
      await saveInstallation(db, key, installation as unknown as Record<string, unknown>, clock.now());
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await loadInstallation(
        db,
        keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId),
      );
      if (!found) throw new Error(`no Slack installation for ${query.teamId ?? query.enterpriseId}`);
      return found as unknown as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await deleteInstallation(db, keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId));
    },
  };
}

/** The bot token of a workspace, for messages sent outside a request (the outbox). */
export async function botTokenFromInstallation(db: Db, teamId: string): Promise<string | undefined> {
  const found = (await loadInstallation(db, `T:${teamId}`)) ?? (await loadInstallation(db, `E:${teamId}`));
  const bot = found?.bot as { token?: string } | undefined;
  return bot?.token;
}
