import { eq } from 'drizzle-orm';
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
