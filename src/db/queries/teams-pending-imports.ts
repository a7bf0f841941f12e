/**
 * Teams: the register a person's next file is for, after `spoc import <register>` said with no
 * file. In Postgres, so the file may reach another process, or come after a restart.
 */
import { and, eq, gte } from 'drizzle-orm';
import type { Db } from '../client';
import { teamsPendingImports } from '../schema';

/** Records (or replaces) the register the person's next file is for. */
export async function setPendingImport(
  db: Db,
  values: { personId: string; schoolId: string; kind: string; createdAt: Date },
): Promise<void> {
  await db
    .insert(teamsPendingImports)
    .values(values)
    .onConflictDoUpdate({
      target: teamsPendingImports.personId,
      set: { schoolId: values.schoolId, kind: values.kind, createdAt: values.createdAt },
    });
}

/** Takes the register the person's file is for, if asked for in this school since `since`. */
export async function takePendingImport(
  db: Db,
  personId: string,
  schoolId: string,
  since: Date,
): Promise<string | undefined> {
  const [row] = await db
    .delete(teamsPendingImports)
    .where(
      and(
        eq(teamsPendingImports.personId, personId),
        eq(teamsPendingImports.schoolId, schoolId),
        gte(teamsPendingImports.createdAt, since),
      ),
    )
    .returning({ kind: teamsPendingImports.kind });
  return row?.kind;
}
