import { describe, expect, it } from 'vitest';
import { insertInChunks, MAX_PARAMETERS, rowsPerStatement, writeInChunks } from '../../src/db/chunks';
import { registerEvents } from '../../src/db/schema';

describe('bulk writes in chunks', () => {
  it('fits each chunk within the parameter limit', () => {
    expect(MAX_PARAMETERS).toBe(65_534);
    expect(rowsPerStatement(6)).toBe(10_922);
    expect(rowsPerStatement(7) * 7).toBeLessThanOrEqual(MAX_PARAMETERS);
    expect(rowsPerStatement(7) * 7 + 7).toBeGreaterThan(MAX_PARAMETERS);
    expect(rowsPerStatement(100_000)).toBe(1);
    expect(() => rowsPerStatement(0)).toThrow();
  });

  it('writes every item once, in order, in chunks no bigger than asked', async () => {
    const seen: number[][] = [];
    const items = Array.from({ length: 25 }, (_, i) => i);
    const out = await writeInChunks(items, 10, async (chunk) => {
      seen.push(chunk);
      return chunk.map((n) => n * 2);
    });
    expect(seen.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(seen.flat()).toEqual(items);
    expect(out).toEqual(items.map((n) => n * 2));
    expect(await writeInChunks([], 10, async () => expect.fail('nothing to write'))).toEqual([]);
  });

  it('sizes an insert by the table’s columns (register_events has 7)', async () => {
    const sizes: number[] = [];
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ i }));
    await insertInChunks(registerEvents, rows, async (chunk) => {
      sizes.push(chunk.length);
    });
    expect(sizes).toEqual([9362, 9362, 1276]);
  });
});
