/**
 * Slack OAuth installations kept in the database (never in memory: they must survive restarts
 * and be shared by replicas). Org-wide installs are keyed by enterprise id, others by team id.
 * Each installation holds bot tokens, so it is stored sealed (AES-256-GCM, SPOC_ENCRYPTION_KEY):
 * the row reads `{ "sealed": "v1.…" }` and nothing in it is readable without the key.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Db } from '../../db/client';
import { SealError, type Sealer } from '../../db/encryption';
import {
  deleteInstallation,
  loadInstallation,
  lockAllInstallations,
  saveInstallation,
} from '../../db/queries/slack-installations';
import type { Clock } from '../../domain/clock';

function keyOf(isEnterpriseInstall: boolean | undefined, enterpriseId?: string, teamId?: string): string {
  if (isEnterpriseInstall && enterpriseId) return `E:${enterpriseId}`;
  if (teamId) return `T:${teamId}`;
  throw new Error('installation has neither a team nor an enterprise id');
}

const sealedOf = (row: Record<string, unknown>) => (typeof row.sealed === 'string' ? row.sealed : undefined);

/**
 * Opens a stored row. A row without `sealed` was written before tokens were encrypted: it is
 * read as it is, and sealed at the next start or `rotate-key`.
 */
function openRow(sealer: Sealer, row: Record<string, unknown>): Record<string, unknown> {
  const sealed = sealedOf(row);
  return sealed === undefined ? row : (JSON.parse(sealer.open(sealed)) as Record<string, unknown>);
}

const sealRow = (sealer: Sealer, installation: unknown) => ({
  sealed: sealer.seal(JSON.stringify(installation)),
});

/** How long an opened installation is kept in this process before the database is read again. */
const INSTALLATION_CACHE_MS = 60_000;

/**
 * Bolt asks for the installation on every request, before any listener can ack: an opened one is
 * kept for a minute (and replaced when this process stores or deletes it), so requests do not
 * each wait on the database and a decryption.
 */
export function databaseInstallationStore(
  db: Db,
  clock: Clock,
  sealer: Sealer,
  now: () => number = Date.now,
): InstallationStore {
  const opened = new Map<string, { installation: Installation; until: number }>();
  return {
    async storeInstallation(installation) {
      const key = keyOf(installation.isEnterpriseInstall, installation.enterprise?.id, installation.team?.id);
      await saveInstallation(db, key, sealRow(sealer, installation), clock.now());
      opened.delete(key);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId);
      const cached = opened.get(key);
      if (cached && cached.until > now()) return cached.installation;
      const found = await loadInstallation(db, key);
      if (!found) throw new Error(`no Slack installation for ${query.teamId ?? query.enterpriseId}`);
      const installation = openRow(sealer, found) as unknown as Installation;
      opened.set(key, { installation, until: now() + INSTALLATION_CACHE_MS });
      return installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const key = keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId);
      await deleteInstallation(db, key);
      opened.delete(key);
    },
  };
}

/** The bot token of a workspace, for messages sent outside a request (the outbox). */
export async function botTokenFromInstallation(
  db: Db,
  sealer: Sealer,
  teamId: string,
): Promise<string | undefined> {
  const found = (await loadInstallation(db, `T:${teamId}`)) ?? (await loadInstallation(db, `E:${teamId}`));
  if (!found) return undefined;
  const bot = openRow(sealer, found).bot as { token?: string } | undefined;
  return bot?.token;
}

export interface ResealOutcome {
  /** Installations rewritten with the current key (they were plain or sealed with an older key). */
  resealed: number;
  total: number;
  keyId: string;
}

/**
 * Seals every installation with the current key, in one transaction: all or nothing. A row that
 * none of the keys opens stops it (SealError naming the key it needs) and nothing is changed.
 */
export async function resealInstallations(db: Db, sealer: Sealer, clock: Clock): Promise<ResealOutcome> {
  return db.transaction(async (txDb) => {
    const tx = txDb as unknown as Db;
    const rows = await lockAllInstallations(tx);
    let resealed = 0;
    for (const row of rows) {
      const sealed = sealedOf(row.installation);
      if (sealed !== undefined && !sealer.isStale(sealed)) continue;
      let plain: Record<string, unknown>;
      try {
        plain = openRow(sealer, row.installation);
      } catch (error) {
        if (error instanceof SealError) throw new SealError(`installation ${row.key}: ${error.message}`);
        throw error;
      }
      await saveInstallation(tx, row.key, sealRow(sealer, plain), clock.now());
      resealed++;
    }
    return { resealed, total: rows.length, keyId: sealer.currentKeyId };
  });
}
