import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '../client';
import { slackInstallations } from '../schema';

export async function saveInstallation(
  db: Db,
  key: string,
  installation: Record<string, unknown>,
  now: Date,
) {
  await db
    .insert(slackInstallations)
    .values({ key, installation, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: slackInstallations.key, set: { installation, updatedAt: now } });
}

export async function loadInstallation(db: Db, key: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await db.select().from(slackInstallations).where(eq(slackInstallations.key, key));
  return row?.installation;
}

export async function deleteInstallation(db: Db, key: string): Promise<void> {
  await db.delete(slackInstallations).where(eq(slackInstallations.key, key));
}

/** Whether an installation is stored under this key (a team or an organisation). */
export async function hasInstallation(db: Db, key: string): Promise<boolean> {
  const [row] = await db
    .select({ key: slackInstallations.key })
    .from(slackInstallations)
    .where(eq(slackInstallations.key, key));
  return row !== undefined;
}

/** Every stored installation, locked for update (key rotation rewrites them in one transaction). */
export async function lockAllInstallations(
  db: Db,
): Promise<Array<{ key: string; installation: Record<string, unknown> }>> {
  return db
    .select({ key: slackInstallations.key, installation: slackInstallations.installation })
    .from(slackInstallations)
    .orderBy(slackInstallations.key)
    .for('update');
}

/**
 * Deletes an installation that was stored no later than `before` (an uninstall Slack reports at
 * that moment): one stored since, by a new install, is kept. Says what it found.
 */
export async function deleteInstallationStoredBefore(
  db: Db,
  key: string,
  before: Date | undefined,
): Promise<'deleted' | 'absent' | 'newer'> {
  const deleted = await db
    .delete(slackInstallations)
    .where(
      before
        ? and(eq(slackInstallations.key, key), lte(slackInstallations.updatedAt, before))
        : eq(slackInstallations.key, key),
    )
    .returning({ key: slackInstallations.key });
  if (deleted.length > 0) return 'deleted';
  return (await hasInstallation(db, key)) ? 'newer' : 'absent';
}
