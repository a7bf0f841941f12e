/**
 * `npm run teams-playground`: SPOC in local Teams mode (no Bot Framework authentication, 127.0.0.1
 * only, the embedded database) and Microsoft 365 Agents Playground, Microsoft's local Teams client
 * (a devDependency, pre-release terms: for trials and tests on this machine), pointed at it.
 * Offline; Ctrl-C stops both. The browser test starts the same pair through `startAgentsPlayground`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../src/config';
import { createLogger } from '../src/log';
import { OperatorError } from '../src/operator-error';
import { type RunningSpoc, startSpoc } from '../src/server';

/**
 * Loaded into the Agents Playground's process before it starts. It listens on every interface,
 * and would relay anyone's messages to a SPOC that checks no token: this keeps it on 127.0.0.1.
 * And it goes when the process that started it goes (a test runner that crashed).
 */
const PRELOAD = `data:text/javascript,${encodeURIComponent(`
import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};
const parent = process.ppid;
setInterval(() => {
  try { process.kill(parent, 0); } catch { process.exit(0); }
}, 1000).unref();`)}`;

export interface AgentsPlayground {
  /** Its page, to open in a browser. */
  url: string;
  /** What it printed (stdout and stderr), for a failing test to show. */
  output: string[];
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 just now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts the Agents Playground as a Teams client (`-c msteams`) for the bot at `endpoint`, with
 * telemetry off, no browser opened, its files in a directory of its own, on 127.0.0.1.
 */
export async function startAgentsPlayground(options: {
  endpoint: string;
  port?: number;
  /**
   * Its `.m365agentsplayground.yml` (YAML): who its one user is, and its chats and team. Without
   * one it is Alex Wilber in "My Team".
   */
  config?: string;
  onOutput?: (line: string) => void;
}): Promise<AgentsPlayground> {
  const port = options.port ?? (await freePort());
  const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'spoc-agents-playground-'));
  // It reads the file from its working directory.
  if (options.config) writeFileSync(join(dir, '.m365agentsplayground.yml'), options.config);
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [
      '--import',
      PRELOAD,
      cli,
      ...['-e', options.endpoint, '-c', 'msteams', '-p', String(port)],
      ...['--service-url', `http://127.0.0.1:${port}/_connector`, '--disable-telemetry'],
    ],
    {
      cwd: dir,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, 'agents-playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const killed = setTimeout(() => child.kill('SIGKILL'), 3_000);
      child.kill('SIGTERM');
      await exited(child);
      clearTimeout(killed);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const listening = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        output.push(line);
        options.onOutput?.(line);
        const heard = /Listening on (\d+)/.exec(line);
        if (heard) resolve(Number(heard[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`the Agents Playground exited (${code}) before listening:\n${output.join('\n')}`)),
    );
    setTimeout(
      () => reject(new Error(`the Agents Playground did not start in 20 s:\n${output.join('\n')}`)),
      20_000,
    ).unref();
  });
  try {
    const heard = await listening;
    // Its connector's address (where SPOC replies) was given with this port.
    if (heard !== port) throw new Error(`the Agents Playground took port ${heard}, not ${port}: try again`);
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; ; i++) {
      const ok = await fetch(url).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      // It exits just after listening when it refuses its config file, saying nothing on its output.
      if (child.exitCode !== null)
        throw new Error(`the Agents Playground exited (${child.exitCode}): is its config file valid?`);
      if (i >= 100)
        throw new Error(`the Agents Playground's page did not answer at ${url}:\n${output.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SPOC in local Teams mode on 127.0.0.1 (`port` 0: any free one). */
export async function startLocalTeamsSpoc(options: {
  port: number;
  dataDir?: string;
  logLevel?: string;
  log?: ReturnType<typeof createLogger>;
  worker?: boolean;
}): Promise<RunningSpoc> {
  const env: Record<string, string> = {
    SPOC_TEAMS_LOCAL: '1',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    LOG_LEVEL: options.logLevel ?? 'info',
    SPOC_WORKER: options.worker === false ? 'off' : 'on',
  };
  if (options.dataDir) env.SPOC_DATA_DIR = options.dataDir;
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new OperatorError(parsed.problems.join('; '));
  return startSpoc(parsed.config, {
    log: options.log ?? createLogger(parsed.config.logLevel),
    outboxIntervalMs: 200,
  });
}

async function main(): Promise<void> {
  // Only what this trial needs from the environment: never DATABASE_URL or credentials.
  const dataDir = process.env.SPOC_DATA_DIR || undefined;
  const logLevel = process.env.LOG_LEVEL || 'info';
  let spoc: RunningSpoc;
  try {
    spoc = await startLocalTeamsSpoc({ port: 3978, dataDir, logLevel });
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== 'EADDRINUSE') throw error;
    spoc = await startLocalTeamsSpoc({ port: 0, dataDir, logLevel });
  }
  let playground: AgentsPlayground;
  try {
    playground = await startAgentsPlayground({
      endpoint: `${spoc.url}/api/messages`,
      port: 56150,
    }).catch(() => startAgentsPlayground({ endpoint: `${spoc.url}/api/messages` }));
  } catch (error) {
    await spoc.stop();
    throw error;
  }
  process.stdout.write(
    [
      '',
      `SPOC in local Teams mode (no authentication, 127.0.0.1 only): ${spoc.url}/api/messages`,
      `Microsoft 365 Agents Playground, Microsoft's local Teams client: open ${playground.url}`,
      'Personal chat, group chat and the team "My Team" (General, Announcements). Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('\nStopping the Agents Playground and SPOC…\n');
      setTimeout(() => process.exit(1), 9_000).unref();
      Promise.allSettled([playground.stop(), spoc.stop()]).then((results) => {
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) process.stderr.write(`${String(failed.reason)}\n`);
        process.exit(failed ? 1 : 0);
      });
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`teams-playground: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
