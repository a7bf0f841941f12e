import type { Db } from '../db/client';
import { DomainFailure, type Result } from './result';

/**
 * Runs `work` in one transaction. A `DomainFailure` thrown inside rolls everything back and comes
 * out as a failed result; any other error is a fault and propagates.
 */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<Result<T>> {
  try {
    const value = await db.transaction((tx) => work(tx as unknown as Db));
    return { ok: true, value };
  } catch (error) {
    if (error instanceof DomainFailure) return { ok: false, error: error.error };
    throw error;
  }
}
