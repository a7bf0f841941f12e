/**
 * One process per embedded database: two PGlite instances on one directory each overwrite what
 * the other wrote, so `openDatabase` takes `spoc.lock` (holding its process id) in the directory
 * and a second opener is refused with a sentence saying who holds it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError, LOCK_FILE, openDatabase } from '../../src/db/client';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spoc-lock-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The id of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid ?? 0;
}

describe('the embedded database’s lock', { timeout: 60_000 }, () => {
  it('refuses a second opener while the first has it, and lets it in once closed', async () => {
    const first = await openDatabase({ dataDir: dir });
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    const second = openDatabase({ dataDir: dir });
    await expect(second).rejects.toBeInstanceOf(DatabaseInUseError);
    await expect(second).rejects.toThrow(
      `The database in ${dir} is in use by process ${process.pid} (npm start?): stop it first, or use the playground's Seed demo school button.`,
    );
    await first.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });

  it('takes over a lock left by a process that has gone', async () => {
    writeFileSync(join(dir, LOCK_FILE), `${deadPid()}\n`);
    const database = await openDatabase({ dataDir: dir });
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await database.close();
  });

  it('takes over a lock holding its own id that it never took (a restarted container is pid 1 again)', async () => {
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    const database = await openDatabase({ dataDir: dir });
    await database.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses while another live process holds it', async () => {
    // This test's parent (the vitest runner) is alive and is not this process.
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(`in use by process ${process.ppid}`);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes no lock for a database in memory', async () => {
    const a = await openDatabase({ memory: true });
    const b = await openDatabase({ memory: true });
    try {
      // Both answer side by side: neither waited for, nor was refused by, a lock.
      expect(await a.rows(sql`select 1 as one`)).toEqual([{ one: 1 }]);
      expect(await b.rows(sql`select 2 as two`)).toEqual([{ two: 2 }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
