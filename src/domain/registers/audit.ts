/** Every change to a location or licence is recorded: who, what (from → to), when. */
import type { Db } from '../../db/client';
import { recordRegisterEvents } from '../../db/queries/register-events';
import type { Ctx } from '../context';

/** The fields that differ between two versions of a record (timestamps and keys left out). */
export function changesBetween(
  before: object | null,
  after: object,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const ignored = new Set([
    'id',
    'schoolId',
    'createdAt',
    'updatedAt',
    'nameKey',
    'licenceKey',
    'keyReference',
  ]);
  for (const [field, to] of Object.entries(after)) {
    if (ignored.has(field)) continue;
    const from = before ? (before as Record<string, unknown>)[field] : null;
    if ((from ?? null) !== (to ?? null)) changes[field] = { from: from ?? null, to: to ?? null };
  }
  // A key reference is audited as changed, never with its value.
  if (
    before &&
    'keyReference' in after &&
    (before as { keyReference?: unknown }).keyReference !== (after as { keyReference?: unknown }).keyReference
  ) {
    changes.keyReference = { from: '[hidden]', to: '[hidden]' };
  }
  return changes;
}

export async function audit<T extends { id: string }>(
  tx: Db,
  ctx: Ctx,
  kind: string,
  subjectKind: 'location' | 'licence',
  before: object | null,
  after: T,
  note?: Record<string, unknown>,
): Promise<T> {
  const changes = changesBetween(before, after);
  if (before && Object.keys(changes).length === 0) return after;
  await recordRegisterEvents(tx, [
    {
      schoolId: ctx.actor.schoolId,
      subject: `${subjectKind}:${after.id}`,
      actorId: ctx.actor.personId,
      kind,
      data: { changes, ...note },
      createdAt: ctx.clock.now(),
    },
  ]);
  return after;
}
