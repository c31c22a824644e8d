import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Child processes the way a load tester needs them: each in its own process group (detached), so stopping
 * it also stops anything it started; output to a log file, never to our terminal; optionally pinned to one
 * CPU with taskset; CPU time sampled from /proc while it runs (a finished child's times are gone).
 */
export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the exit code (signal deaths as 128 + n) when the process has exited. */
  exited: Promise<{ code: number; signal: NodeJS.Signals | null }>;
  /** The spawn error (e.g. ENOENT: no such program) when the process never started, else undefined. */
  spawnError: () => Error | undefined;
  /** Latest CPU seconds (user + system) seen in /proc/<pid>/stat. */
  cpuSeconds: () => number;
  /** Every 250 ms sample of cumulative CPU seconds, for windowed utilisation (see health.ts). */
  cpuSamples: () => CpuSample[];
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the process is gone. */
  stop: (graceMs?: number) => Promise<void>;
  startedAtMs: number;
}

/** Cumulative CPU seconds of a process at wall-clock time `tMs` (epoch ms). */
export interface CpuSample {
  tMs: number;
  cpuSeconds: number;
}

/**
 * The grace a child gets between SIGTERM and SIGKILL after Ctrl-C: short, so that stopping k6 and the
 * service (in parallel) fits in the one-second interrupt deadline of src/cli/index.ts.
 */
export const ABORT_GRACE_MS = 500;

const live = new Set<Child>();

/** Every child still running, for last-resort cleanup. */
export const liveChildren = (): Child[] => [...live];

/**
 * Last-resort cleanup: SIGKILL the process group of every live child. Synchronous, so it can run in
 * process.on('exit') and right before a forced exit; the children are detached (own groups), so nothing
 * else would reach them when we die.
 */
export const killAllChildren = (): void => {
  for (const child of live) killGroup(child.pid, 'SIGKILL');
};

const CLK_TCK = 100;

/** utime + stime of a process in seconds, from /proc/<pid>/stat (fields 14 and 15). */
export const procCpuSeconds = async (pid: number): Promise<number | undefined> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14 → index 11, stime 15 → 12.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
};

export interface SpawnOptions {
  command: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Append stdout and stderr here; when absent they are piped (read them from proc). */
  logFile?: string;
  /** Pin to this CPU with taskset. */
  cpu?: number;
}

const signalNumber: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export const spawnChild = (opts: SpawnOptions): Child => {
  const argv = opts.cpu === undefined ? opts.command : ['taskset', '-c', String(opts.cpu), ...opts.command];
  const fd = opts.logFile ? openSync(opts.logFile, 'a') : undefined;
  const proc = spawn(argv[0] as string, argv.slice(1), {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env } as NodeJS.ProcessEnv,
    detached: true,
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
  });
  if (fd !== undefined) closeSync(fd);
  let cpu = 0;
  const samples: CpuSample[] = [];
  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('error', (err) => {
      spawnError = err;
      resolve({ code: 127, signal: null });
    });
    proc.on('exit', (code, signal) =>
      resolve({ code: code ?? 128 + (signalNumber[signal ?? ''] ?? 0), signal }),
    );
  });
  const poll = setInterval(() => {
    if (!proc.pid) return;
    const tMs = Date.now();
    void procCpuSeconds(proc.pid).then((s) => {
      if (s === undefined) return;
      cpu = s;
      samples.push({ tMs, cpuSeconds: s });
    });
  }, 250);
  const child: Child = {
    proc,
    pid: proc.pid ?? -1,
    exited,
    spawnError: () => spawnError,
    cpuSeconds: () => cpu,
    cpuSamples: () => [...samples],
    startedAtMs: Date.now(),
    stop: async (graceMs = 3000) => {
      // Always signal the group, even when the leader is gone: a `sh -c` or `npm start` wrapper may have
      // exited while the real server it started lives on in the same group.
      killGroup(proc.pid, 'SIGTERM');
      const leaderGone = proc.exitCode !== null || proc.signalCode !== null;
      if (leaderGone && groupAlive(proc.pid)) await waitGroupGone(proc.pid, graceMs);
      const timer = setTimeout(() => killGroup(proc.pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Anything the child left in its group goes too.
      killGroup(proc.pid, 'SIGKILL');
    },
  };
  live.add(child);
  void exited.then(() => {
    clearInterval(poll);
    live.delete(child);
  });
  return child;
};

const killGroup = (pid: number | undefined, signal: NodeJS.Signals): void => {
  // Never -1 or 0 (a child that failed to spawn has no pid): kill(-(-1)) would signal init.
  if (!pid || pid <= 1) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
};

/** Whether any process is left in the group (signal 0 probes without sending). */
const groupAlive = (pid: number | undefined): boolean => {
  if (!pid || pid <= 1) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until the group is empty or `ms` have passed (the caller SIGKILLs after). */
const waitGroupGone = async (pid: number | undefined, ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (groupAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
};

/** Waits `ms` or until the signal aborts, whichever comes first. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
