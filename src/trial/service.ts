import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { healthUrlOf } from '../plan/index.js';
import { delimiter, join } from 'node:path';
import { packageRoot, sleep, spawnChild, type Child } from '../drivers/index.js';
import { InfrastructureError, type ConfigurationSpec, type Role } from '../model/index.js';
import { createServiceCgroup, type ServiceCgroup } from './os/index.js';

/**
 * Starting, health-checking and stopping the service of one configuration.
 * - reference: build/bin/hotswap-service-<build> on 127.0.0.1 port 0 (the service prints the port),
 *   GOMAXPROCS=1 and pinned to one CPU, so "one instance" means one core in every figure;
 * - command: the plan's command line at the plan's URL (pinned too);
 * - url: already running; only checked for health.
 */
export interface RunningService {
  baseUrl: string;
  metricsUrl?: string;
  /** Go's net/http/pprof (`…/debug/pprof/`), when the reference service was started with -pprof-addr. */
  pprofUrl?: string;
  /** Undefined for kind url (not ours to stop). */
  child?: Child;
  stop: (graceMs?: number) => Promise<void>;
  /** Exit code when the process has died, else undefined. */
  died: () => number | undefined;
  /**
   * The cgroup hotswap made for the service (the OS sampler reads its CPU and memory), or why there is
   * none (then the sampler reads /proc of the process tree). Undefined for kind url.
   */
  cgroup?: ServiceCgroup | { reason: string };
}

export const referenceBinary = (build: 'baseline' | 'rust'): string =>
  join(packageRoot(), 'build', 'bin', `hotswap-service-${build}`);

/** A fresh admin token per trial, so no stale token works against the service. */
export const newAdminToken = (): string => randomBytes(16).toString('hex');

export interface StartOptions {
  role: Role;
  spec: ConfigurationSpec;
  logFile: string;
  cpu?: number;
  adminToken: string;
  seed: number;
  signal: AbortSignal;
  healthTimeoutMs?: number;
  /**
   * Further flags for the reference service, appended as they are (e.g. `-pprof-addr 127.0.0.1:0`,
   * `-allow-fault-injection`, `-shadow-percent 10`, `-breaker-open-for 5s`; service/README.md).
   */
  serviceArgs?: string[];
}

const LISTENING = /listening on (127\.0\.0\.1:\d+)/;
/** The reference service's second line with -pprof-addr. */
const PPROF = /pprof on http:\/\/(127\.0\.0\.1:\d+)\//;

/** A command that could not be started at all (ENOENT, EACCES) fails at once, not after the timeout. */
const throwIfNotSpawned = (child: Child): void => {
  const err = child.spawnError() as NodeJS.ErrnoException | undefined;
  if (err) throw new InfrastructureError(`service command could not be started: ${err.code ?? err.message}`);
};

/** Polls the log for the service's `listening on 127.0.0.1:PORT` line (or another such line). */
const waitForPort = async (
  child: Child,
  logFile: string,
  deadline: number,
  signal: AbortSignal,
  line: RegExp = LISTENING,
): Promise<string> => {
  while (Date.now() < deadline && !signal.aborted) {
    throwIfNotSpawned(child);
    const text = existsSync(logFile) ? await readFile(logFile, 'utf8') : '';
    const m = line.exec(text);
    if (m?.[1]) return `http://${m[1]}`;
    if (child.proc.exitCode !== null) break;
    await sleep(50, signal);
  }
  const tail = existsSync(logFile) ? (await readFile(logFile, 'utf8')).trim().split('\n').at(-1) : '';
  throw new InfrastructureError(
    child.proc.exitCode !== null
      ? `service exited with code ${child.proc.exitCode} at start-up${tail ? `: ${tail}` : ''}`
      : 'service did not print its port within the start-up time',
  );
};

/** GET url until it answers 200, the process dies, or the deadline passes. */
export const waitForHealth = async (
  url: string,
  deadline: number,
  signal: AbortSignal,
  child?: Child,
): Promise<void> => {
  let last = '';
  while (Date.now() < deadline && !signal.aborted) {
    if (child) throwIfNotSpawned(child);
    if (child && child.proc.exitCode !== null)
      throw new InfrastructureError(`service exited with code ${child.proc.exitCode} before it was healthy`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100, signal);
  }
  if (signal.aborted) throw new InfrastructureError('interrupted while waiting for the service');
  throw new InfrastructureError(`${url} not healthy in time (last: ${last})`);
};

/** Whether `cmd` names an executable file (a path, or a name on PATH), as spawn would find it. */
const findsCommand = (cmd: string): boolean =>
  cmd.includes('/')
    ? existsSync(cmd)
    : (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));

export const startService = async (opts: StartOptions): Promise<RunningService> => {
  const { spec } = opts;
  const deadline = Date.now() + (opts.healthTimeoutMs ?? 15_000);
  if (spec.kind === 'url') {
    await waitForHealth(healthUrlOf(spec), deadline, opts.signal);
    return {
      baseUrl: spec.url.replace(/\/+$/, ''),
      metricsUrl: spec.metricsUrl,
      stop: async () => {},
      died: () => undefined,
    };
  }
  // The whole process tree in one group, so its CPU and memory are one kernel counter each (src/trial/os).
  const cg = await createServiceCgroup();
  // A command that cannot be found is spawned bare, so it fails as ENOENT at once rather than as sh's 127.
  const inGroup = (argv: string[]): string[] =>
    'reason' in cg || !findsCommand(argv[0] ?? '') ? argv : cg.wrap(argv);
  const dropGroup = async (): Promise<void> => {
    if (!('reason' in cg)) await cg.remove().catch(() => {});
  };
  let child: Child;
  let baseUrl: string;
  let metricsUrl: string | undefined;
  let pprofUrl: string | undefined;
  if (spec.kind === 'reference') {
    const bin = referenceBinary(spec.build);
    if (!existsSync(bin))
      throw new InfrastructureError(`${bin} not found: run \`npm run setup\` to build the reference service`);
    const impl = spec.impl ?? (spec.build === 'rust' ? 'rust' : 'go');
    const args = [
      '-addr',
      '127.0.0.1:0',
      '-impl',
      impl,
      '-admin-token',
      opts.adminToken,
      '-seed',
      String(opts.seed),
    ];
    if (spec.rustSharePercent !== undefined) args.push('-rust-share', String(spec.rustSharePercent));
    args.push(...(opts.serviceArgs ?? []));
    child = spawnChild({
      command: inGroup([bin, ...args]),
      env: { GOMAXPROCS: '1', ...spec.env },
      logFile: opts.logFile,
      cpu: opts.cpu,
    });
    baseUrl = await waitForPort(child, opts.logFile, deadline, opts.signal).catch(async (err: unknown) => {
      await child.stop(1000);
      await dropGroup();
      throw err;
    });
    metricsUrl = `${baseUrl}/metrics`;
    if (args.includes('-pprof-addr'))
      pprofUrl = `${await waitForPort(child, opts.logFile, deadline, opts.signal, PPROF).catch(
        async (err: unknown) => {
          await child.stop(1000);
          await dropGroup();
          throw err;
        },
      )}/debug/pprof/`;
    await waitForHealth(`${baseUrl}/healthz`, deadline, opts.signal, child).catch(async (err: unknown) => {
      await child.stop(1000);
      await dropGroup();
      throw err;
    });
  } else {
    child = spawnChild({
      command: inGroup(spec.command),
      env: { GOMAXPROCS: '1', ...spec.env },
      logFile: opts.logFile,
      cpu: opts.cpu,
    });
    baseUrl = spec.url.replace(/\/+$/, '');
    metricsUrl = spec.metricsUrl;
    await waitForHealth(healthUrlOf(spec), deadline, opts.signal, child).catch(async (err: unknown) => {
      await child.stop(1000);
      await dropGroup();
      throw err;
    });
  }
  return {
    baseUrl,
    metricsUrl,
    pprofUrl,
    child,
    cgroup: cg,
    stop: async (graceMs = 3000) => {
      await child.stop(graceMs);
      await dropGroup();
    },
    died: () =>
      child.spawnError() !== undefined
        ? 127
        : child.proc.exitCode !== null || child.proc.signalCode !== null
          ? (child.proc.exitCode ?? 128)
          : undefined,
  };
};
