/**
 * Slack OAuth installations kept in the database (never in memory: they must survive restarts
 * and be shared by replicas). Org-wide installs are keyed by enterprise id, others by team id.
 * Each installation holds bot tokens, so it is stored sealed (AES-256-GCM, SPOC_ENCRYPTION_KEY):
 * the row reads `{ "sealed": "v1.…" }` and nothing in it is readable without the key.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Db } from '../../db/client';
import { SealError, type Sealer } from '../../db/encryption';
import { wakeSchool } from '../../db/queries/outbox';
import {
  clearSlackUninstalled,
  markSlackUninstalled,
  type SlackInstallScope,
  slackEnterpriseOf,
} from '../../db/queries/schools';
import {
  deleteInstallation,
  deleteInstallationStoredBefore,
  hasInstallation,
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

/** SPOC uninstalled from a workspace or an organisation, or its bot token revoked, as Slack says it. */
export interface Uninstall {
  teamId?: string;
  enterpriseId?: string;
  /** The event is about an org-wide install. */
  isEnterpriseInstall: boolean;
  /** When Slack says it happened (`event_time`): an installation stored since is a new one, and kept. */
  at?: Date;
}

export interface UninstallOutcome {
  /** Whose installation it was: a workspace's own (`T:…`) or its organisation's (`E:…`). */
  key: string;
  /** Whether an installation was deleted (none when an earlier event already did). */
  deleted: boolean;
  /** Installed again since the event: nothing was changed. */
  stale: boolean;
  /** Schools marked uninstalled now. */
  schools: number;
}

export interface SpocInstallationStore extends InstallationStore {
  /**
   * SPOC was uninstalled (or its bot token revoked): the installation is deleted and the schools it
   * served are marked uninstalled, in one transaction; nothing else of theirs is touched. Their
   * messages wait until SPOC is installed there again, which clears the mark and wakes them.
   */
  uninstalled(event: Uninstall): Promise<UninstallOutcome>;
}

const scopeOf = (key: string): SlackInstallScope =>
  key.startsWith('E:') ? { enterpriseId: key.slice(2) } : { teamId: key.slice(2) };

/**
 * Bolt asks for the installation on every request, before any listener can ack: an opened one is
 * kept for a minute (and replaced when this process stores or deletes it), so requests do not
 * each wait on the database and a decryption. A workspace of an Enterprise Grid organisation with
 * no installation of its own is served by the organisation's (an org-wide install).
 *
 * Storing an installation (a new OAuth install, or an install again after an uninstall) clears
 * the uninstalled mark of the schools it serves and makes their waiting messages due now.
 */
export function databaseInstallationStore(
  db: Db,
  clock: Clock,
  sealer: Sealer,
  now: () => number = Date.now,
): SpocInstallationStore {
  const opened = new Map<string, { installation: Installation; until: number }>();
  const cached = (key: string) => {
    const hit = opened.get(key);
    return hit && hit.until > now() ? hit.installation : undefined;
  };
  const open = async (key: string): Promise<Installation | undefined> => {
    const found = await loadInstallation(db, key);
    if (!found) return undefined;
    const installation = openRow(sealer, found) as unknown as Installation;
    opened.set(key, { installation, until: now() + INSTALLATION_CACHE_MS });
    return installation;
  };
  return {
    async storeInstallation(installation, logger) {
      const key = keyOf(installation.isEnterpriseInstall, installation.enterprise?.id, installation.team?.id);
      const woken = await db.transaction(async (txDb) => {
        const tx = txDb as unknown as Db;
        await saveInstallation(tx, key, sealRow(sealer, installation), clock.now());
        const schools = await clearSlackUninstalled(tx, scopeOf(key));
        for (const school of schools) await wakeSchool(tx, school.id, clock.now());
        return schools;
      });
      opened.delete(key);
      const back = woken.filter((s) => s.wasUninstalled).length;
      if (back > 0)
        logger?.info(
          `Slack: SPOC installed again (${key}); ${back} school(s) get their waiting messages now`,
        );
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId);
      // A Grid workspace without an installation of its own: its organisation's, when there is one.
      const org = !query.isEnterpriseInstall && query.enterpriseId ? `E:${query.enterpriseId}` : undefined;
      const installation =
        cached(key) ??
        (org ? cached(org) : undefined) ??
        (await open(key)) ??
        (org ? await open(org) : undefined);
      if (!installation) throw new Error(`no Slack installation for ${query.teamId ?? query.enterpriseId}`);
      return installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const key = keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId);
      await deleteInstallation(db, key);
      opened.delete(key);
    },
    async uninstalled(event) {
      const { enterpriseId, isEnterpriseInstall, at } = event;
      // An event naming the organisation as its team is the organisation's.
      const teamId = event.teamId && event.teamId !== enterpriseId ? event.teamId : undefined;
      const outcome = await db.transaction(async (txDb): Promise<UninstallOutcome> => {
        const tx = txDb as unknown as Db;
        const teamKey = teamId ? `T:${teamId}` : undefined;
        const orgKey = enterpriseId ? `E:${enterpriseId}` : undefined;
        // The organisation's install when the event says so, or when the workspace has none of its own.
        const orgWide =
          orgKey !== undefined &&
          (isEnterpriseInstall ||
            !teamKey ||
            (!(await hasInstallation(tx, teamKey)) && (await hasInstallation(tx, orgKey))));
        const key = orgWide ? orgKey : teamKey;
        if (!key) throw new Error('an uninstall that names neither a workspace nor an organisation');
        const found = await deleteInstallationStoredBefore(tx, key, at);
        if (found === 'newer') return { key, deleted: false, stale: true, schools: 0 };
        const marked = await markSlackUninstalled(tx, scopeOf(key), clock.now());
        return { key, deleted: found === 'deleted', stale: false, schools: marked.length };
      });
      opened.delete(outcome.key);
      return outcome;
    },
  };
}

/**
 * The bot token of a workspace, for messages sent outside a request (the outbox): its own
 * installation's, else its Enterprise Grid organisation's (an org-wide install).
 */
export async function botTokenFromInstallation(
  db: Db,
  sealer: Sealer,
  teamId: string,
  /** The workspace's organisation when the caller knows it (a request's); else its school's. */
  knownEnterpriseId?: string,
): Promise<string | undefined> {
  const own = await loadInstallation(db, `T:${teamId}`);
  const enterpriseId = own ? undefined : (knownEnterpriseId ?? (await slackEnterpriseOf(db, teamId)));
  const found =
    own ??
    (enterpriseId ? await loadInstallation(db, `E:${enterpriseId}`) : undefined) ??
    // A school keyed by its organisation (an org-wide payload that named no workspace).
    (await loadInstallation(db, `E:${teamId}`));
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
