/**
 * Bulk writes that fit in a statement. Postgres numbers a statement's bind parameters in 16 bits,
 * and postgres.js refuses one with more than 65,534 (MAX_PARAMETERS_EXCEEDED); an import of
 * 20,000 rows binds far more than that. A bulk write is therefore cut into chunks sized by the
 * parameters each row binds, and the chunks run one after another on the caller's connection —
 * inside its transaction, so an import stays all or nothing.
 */
import { getTableColumns, type Table } from 'drizzle-orm';

/** The most bind parameters one statement may carry (postgres.js's limit; PGlite's is the same). */
export const MAX_PARAMETERS = 65_534;

/** How many rows fit in one statement when each binds `parametersPerRow` parameters. */
export function rowsPerStatement(parametersPerRow: number, limit = MAX_PARAMETERS): number {
  if (!Number.isInteger(parametersPerRow) || parametersPerRow < 1)
    throw new Error(`a row binds at least one parameter, not ${parametersPerRow}`);
  return Math.max(1, Math.floor(limit / parametersPerRow));
}

/**
 * Runs `write` on consecutive chunks of `items` of at most `size` each, one after another, and
 * returns what the chunks return, in order. Nothing is written for no items.
 */
export async function writeInChunks<T, R = never>(
  items: readonly T[],
  size: number,
  write: (chunk: T[]) => Promise<R[]> | Promise<void>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    const rows = await write(items.slice(i, i + size));
    if (rows) out.push(...rows);
  }
  return out;
}

/**
 * A bulk insert into `table`, in as few statements as the parameter limit allows: Drizzle binds at
 * most one parameter per column for each row (a column left out is sent as `default`), so a chunk
 * holds MAX_PARAMETERS ÷ the table's column count rows. `write` inserts one chunk, e.g.
 * `(chunk) => tx.insert(table).values(chunk).returning()`.
 */
export function insertInChunks<T, R = never>(
  table: Table,
  rows: readonly T[],
  write: (chunk: T[]) => Promise<R[]> | Promise<void>,
  limit = MAX_PARAMETERS,
): Promise<R[]> {
  const columns = Object.keys(getTableColumns(table)).length;
  return writeInChunks(rows, rowsPerStatement(columns, limit), write);
}
