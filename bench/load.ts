/** The bench's load generator and figures: concurrent signed requests over HTTP, and percentiles. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { SignedRequest } from '../test/support/slack-payloads';

export interface RunFigures {
  n: number;
  c: number;
  /** Requests (or completions) a second over the run. */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers that were not 200. */
  failed: number;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * Sends `n` requests, `c` at a time, each made by `make(i)` just before it is sent (signed then),
 * and times each from send to the end of its answer: Slack's ack.
 */
export async function load(
  url: string,
  n: number,
  c: number,
  make: (i: number) => SignedRequest,
): Promise<RunFigures & { started: number; ended: number }> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  async function worker() {
    for (let i = next++; i < n; i = next++) {
      const req = make(i);
      const t = performance.now();
      const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      if (res.status !== 200) failed++;
    }
  }
  await Promise.all(Array.from({ length: Math.min(c, n) }, worker));
  const ended = performance.now();
  return {
    n,
    c,
    perSecond: round((n / (ended - started)) * 1000),
    p50: round(percentile(latencies, 0.5)),
    p99: round(percentile(latencies, 0.99)),
    max: round(Math.max(...latencies)),
    failed,
    started,
    ended,
  };
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resident and peak resident memory of a process, in MiB (Linux). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? Number.NaN);
  return { rssMiB: Math.round(kb('VmRSS') / 1024), peakMiB: Math.round(kb('VmHWM') / 1024) };
}

export interface Child {
  process: ChildProcess;
  /** Milliseconds from spawn to the first 200 from `readyPath`. */
  startMs: number;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Starts `node <args>` and waits until `http://127.0.0.1:<port><readyPath>` answers `status`. */
export async function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  readyPath: string,
  status = 200,
  timeoutMs = 60_000,
): Promise<Child> {
  const t = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk) => {
    errors = (errors + chunk).slice(-8_000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (exited) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  for (;;) {
    if (exited) throw new Error(`${args.join(' ')} exited before it was ready:\n${errors}`);
    if (performance.now() - t > timeoutMs) {
      await stop();
      throw new Error(`${args.join(' ')} not ready within ${timeoutMs} ms:\n${errors}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}${readyPath}`);
      await res.arrayBuffer();
      if (res.status === status) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { process: child, startMs: Math.round(performance.now() - t), stderr: () => errors, stop };
}
