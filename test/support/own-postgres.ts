/**
 * A Postgres of the test's own: a fresh cluster in a temporary directory on a free loopback port,
 * which the test may stop and start again — never the machine's main cluster. The server's
 * programs are found through `pg_config --bindir`, else on PATH; `postgresBinaries()` says why not
 * when they are not there, so the test can skip with that reason. As root (a container, CI) the
 * cluster runs as the `postgres` user, since Postgres refuses to run as root.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface PostgresBinaries {
  bindir: string;
  /** Run as this user (uid, gid) when the test runs as root. */
  as?: { name: string; uid: number; gid: number };
}

/** Where initdb and pg_ctl are, or a sentence saying why they cannot be used. */
export function postgresBinaries(): PostgresBinaries | string {
  let bindir: string | undefined;
  try {
    bindir = execFileSync('pg_config', ['--bindir'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    bindir = (process.env.PATH ?? '').split(delimiter).find((dir) => dir && existsSync(join(dir, 'initdb')));
  }
  if (!bindir || !existsSync(join(bindir, 'initdb')) || !existsSync(join(bindir, 'pg_ctl')))
    return 'no Postgres server programs (initdb, pg_ctl) found through pg_config --bindir or PATH';
  if (process.getuid?.() !== 0) return { bindir };
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0 || gid.status !== 0)
    return 'running as root and there is no postgres user to run a test cluster as';
  return { bindir, as: { name: 'postgres', uid: Number(id.stdout), gid: Number(gid.stdout) } };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface OwnPostgres {
  port: number;
  /** postgres://… of its `postgres` database, on 127.0.0.1:port. */
  url: string;
  start(): Promise<void>;
  /** A fast shutdown: sessions are ended (57P01) and the port refuses connections. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnPostgres(bin: PostgresBinaries): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-own-pg-'));
  const data = join(dir, 'data');
  if (bin.as) chownSync(dir, bin.as.uid, bin.as.gid);
  const command = (program: string, args: string[]): [string, string[]] =>
    bin.as
      ? ['runuser', ['-u', bin.as.name, '--', join(bin.bindir, program), ...args]]
      : [join(bin.bindir, program), args];
  const run = (program: string, args: string[]) => {
    const out = spawnSync(...command(program, args), { encoding: 'utf8', cwd: dir });
    if (out.status !== 0) throw new Error(`${program} failed: ${out.stderr || out.stdout}`);
  };
  // Stopping and starting do not block this process: SPOC, in it, goes on running meanwhile,
  // as it would while its database restarts.
  const runAsync = (program: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      execFile(...command(program, args), { encoding: 'utf8', cwd: dir }, (error, stdout, stderr) =>
        error ? reject(new Error(`${program} failed: ${stderr || stdout || error.message}`)) : resolve(),
      );
    });
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off`;
  const own: OwnPostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () =>
      runAsync('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']),
    stop: () => runAsync('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    async destroy() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await own.start();
  return own;
}
