import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  InputError,
  k6PhaseSchema,
  meanRate,
  traitsOf,
  type K6PhaseSpec,
  type PhaseSpec,
} from '../model/index.js';
import { ensureDir, runPaths } from '../store/index.js';
import { ABORT_GRACE_MS, spawnChild, type Child } from './process.js';
import { k6Binary, scenariosDir } from './paths.js';
import type { Driver, DriverResult, DriverRunInput, RawFiles } from './types.js';
import { assessGenerator } from './health.js';
import { INTERRUPTED_REASON, notStarted } from './result.js';

/**
 * k6, open model. One run = one scenario file of scenarios/ with its settings in the environment; raw
 * per-request output as gzip CSV with microsecond timestamps (`--out csv=…csv.gz`,
 * K6_CSV_TIME_FORMAT=unix_micro), the end-of-test summary as JSON (`--summary-export`) and k6's own output
 * in a log file. Exit code 99 means the SLO thresholds were crossed: a result, recorded, not a failure.
 *
 * With `processes: N` the run is split over N local k6 processes by execution segments
 * (`--execution-segment i/N:(i+1)/N --execution-segment-sequence 0,1/N,…,1`), k6's own way of sharing one
 * test between instances: each process starts its share of the arrivals and writes its own raw file; the
 * ingest merges them. `exec.scenario.iterationInTest` stays unique across segments, so the corpus order holds.
 */

export const K6_THRESHOLDS_CROSSED = 99;

const execFileP = promisify(execFile);

/** Seconds of load a phase plans (no start-up), the denominator of its achieved rate. */
export const loadSeconds = (phase: K6PhaseSpec): number => traitsOf(phase).loadSeconds(phase);

/**
 * Mean offered arrival rate over the run, as the scenario schedules it (model/scenarios.ts); undefined
 * when hotswap does not set it (a user's script).
 */
export const offeredRps = (phase: K6PhaseSpec): number | undefined => {
  const stages = traitsOf(phase).offered(phase);
  return stages?.length ? meanRate(stages) : undefined;
};

/**
 * The scenario's environment, from the phase, the plan's SLO and the scenario's own traits. A user's
 * script gets only BASE_URL and CORPUS from hotswap, then the phase's `env`.
 */
export const scenarioEnv = (input: DriverRunInput, phase: K6PhaseSpec): Record<string, string> => {
  if (phase.scenario === 'script')
    return { BASE_URL: input.baseUrl, CORPUS: input.corpusPath, ...phase.env, ...input.env };
  const env: Record<string, string> = {
    BASE_URL: input.baseUrl,
    CORPUS: input.corpusPath,
    SLO_QUANTILE: String(input.slo.quantile),
    SLO_MS: String(input.slo.latencyMs),
    SLO_MAX_ERROR_RATE: String(input.slo.maxErrorRate),
  };
  if (phase.rateRps !== undefined) env.RATE = String(phase.rateRps);
  if (phase.durationSeconds !== undefined) env.DURATION = String(phase.durationSeconds);
  if (phase.preAllocatedVus !== undefined) env.PRE_VUS = String(phase.preAllocatedVus);
  if (phase.maxVus !== undefined) env.MAX_VUS = String(phase.maxVus);
  if (phase.arrivals !== undefined && phase.arrivals !== 'uniform') {
    env.ARRIVALS = phase.arrivals;
    env.ARRIVALS_SEED = String(input.seed ?? 1);
  }
  return { ...env, ...traitsOf(phase).env(phase, input.drill), ...phase.env, ...input.env };
};

/**
 * Every IPv4 and IPv6 address but loopback (127.0.0.0/8 and ::1), as CIDRs for k6's `--blacklist-ip`:
 * the complement of a prefix is, for each of its bits, the range that first differs there. A user's
 * script may hard-code URLs; with these k6 refuses to dial anything but this machine.
 */
export const NON_LOOPBACK_CIDRS: readonly string[] = (() => {
  const v4 = Array.from({ length: 8 }, (_, i) => {
    const first = (127 ^ (1 << (7 - i))) & (0xff << (7 - i)) & 0xff;
    return `${first}.0.0.0/${i + 1}`;
  });
  const v6 = Array.from({ length: 128 }, (_, i) => {
    const bits = 1n ^ (1n << BigInt(127 - i));
    const prefix = bits & (((1n << BigInt(i + 1)) - 1n) << BigInt(127 - i));
    const hex = prefix.toString(16).padStart(32, '0');
    const groups = Array.from({ length: 8 }, (_, g) => hex.slice(g * 4, g * 4 + 4).replace(/^0+(?=.)/, ''));
    return `${groups.join(':')}/${i + 1}`;
  });
  return [...v4, ...v6];
})();

export interface ScriptOptions {
  loadSeconds: number;
  executors: string[];
}

interface InspectedScenario {
  executor?: string;
  startTime?: string | null;
  duration?: string | null;
  stages?: { duration?: string | null }[] | null;
}

/** k6 durations ("1m30s", "500ms", "2h") in seconds. */
export const k6Seconds = (d: string | null | undefined): number => {
  if (!d) return 0;
  let total = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) {
    const n = Number(m[1]);
    const unit = m[2];
    total +=
      unit === 'h' ? n * 3600 : unit === 'm' ? n * 60 : unit === 's' ? n : unit === 'ms' ? n / 1e3 : n / 1e6;
  }
  return total;
};

/**
 * A script's planned load from k6's own reading of its options (`k6 inspect --execution-requirements`,
 * which also derives the scenario of shortcut options like `vus` + `duration`): the latest end of any
 * duration- or stage-bound scenario (iteration-bound ones have no planned end: 0) and the executors.
 */
export const scriptOptionsOf = (inspected: {
  scenarios?: Record<string, InspectedScenario> | null;
}): ScriptOptions => {
  const scenarios = Object.values(inspected.scenarios ?? {});
  const ends = scenarios.map(
    (s) =>
      k6Seconds(s.startTime) +
      (s.stages ? s.stages.reduce((t, x) => t + k6Seconds(x.duration), 0) : k6Seconds(s.duration)),
  );
  return {
    loadSeconds: Math.max(0, ...ends),
    executors: [...new Set(scenarios.map((s) => s.executor ?? 'unknown'))],
  };
};

/** Reads a user's script with `k6 inspect`; a script k6 cannot read is bad input (exit 2) naming it. */
export const inspectScript = async (
  script: string,
  env: Record<string, string>,
  where: string,
): Promise<ScriptOptions> => {
  try {
    // `k6 inspect` does not pass the system environment to __ENV (k6 run does): give it as -e flags.
    const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const { stdout } = await execFileP(k6Binary(), ['inspect', '--execution-requirements', ...vars, script], {
      env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
      maxBuffer: 8 << 20,
    });
    return scriptOptionsOf(JSON.parse(stdout) as never);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const why = (e.stderr ?? e.message).trim().split('\n').filter(Boolean).at(-1) ?? e.message;
    throw new InputError(`${where}: k6 cannot read ${script}: ${why.slice(0, 300)}`);
  }
};

/** `0,1/3,2/3,1` and the i-th segment `1/3:2/3`. */
export const segments = (n: number): { sequence: string; segment: (i: number) => string } => {
  const point = (i: number): string => (i === 0 ? '0' : i === n ? '1' : `${i}/${n}`);
  return {
    sequence: Array.from({ length: n + 1 }, (_, i) => point(i)).join(','),
    segment: (i) => `${point(i)}:${point(i + 1)}`,
  };
};

interface K6Summary {
  metrics?: Record<string, { count?: number; rate?: number } | undefined>;
}

const readSummary = async (path: string): Promise<K6Summary | undefined> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as K6Summary;
  } catch {
    return undefined;
  }
};

/** The last error k6 logged, for a one-line failure reason. */
const lastError = async (log: string): Promise<string | undefined> => {
  try {
    const lines = (await readFile(log, 'utf8'))
      .split('\n')
      .filter((l) => /level=error|^\s*ERRO|error/i.test(l));
    const last = lines.at(-1)?.trim();
    const msg = last && /msg="((?:[^"\\]|\\.)*)"/.exec(last)?.[1];
    return (msg ?? last)?.slice(0, 300);
  } catch {
    return undefined;
  }
};

let versionCache: string | undefined;

const version = async (): Promise<string> => {
  if (versionCache) return versionCache;
  try {
    const { stdout } = await execFileP(k6Binary(), ['version']);
    versionCache = /k6 (v[\d.]+\S*)/.exec(stdout)?.[1] ?? stdout.trim().split('\n')[0] ?? 'unknown';
  } catch {
    versionCache = 'unknown';
  }
  return versionCache;
};

/** Raw files of k6 process `i`: gzip CSV with microsecond timestamps, summary JSON, log. */
const raw = (dir: string, i: number): Required<RawFiles> => ({
  output: join(dir, `k6-${i}.csv.gz`),
  summary: join(dir, `k6-summary-${i}.json`),
  log: join(dir, `k6-${i}.log`),
});

const asK6 = (phase: PhaseSpec): K6PhaseSpec => {
  if (phase.driver !== 'k6') throw new Error(`k6 driver given a ${phase.driver} phase`);
  return phase;
};

/**
 * Go runtime settings for k6 (a phase's `env` may override them). Pinned to one core, Go gives k6 one P,
 * and any goroutine holding it (the CSV output's flush, the metrics engine, a VU's JavaScript) delays
 * every VU whose arrival is due: start lateness p99 was 7.2–10.4 ms at 100 rps Poisson, in stalls of
 * ~10–28 ms about once a second. Two Ps on the one core let the kernel switch to a waking VU's thread:
 * p99 2.7–3.6 ms, for ~5 % more generator CPU. At the capacity search's rates the collector is what
 * delays starts: with GOGC=off and a 1 GiB GOMEMLIMIT (the heap is collected only near 1 GiB; k6's live
 * heap is ~100–250 MB) lateness p99 fell from 22.6 to 6.0 ms at 400 rps and from 65.8 to 25.2 ms at
 * 700 rps (no dropped starts instead of 25), and k6's CPU by 10–15 %; at 40–100 rps it stays ~2 ms.
 * The collector had also been inflating the latency k6 measures: the Rust build's p95 at ~700 rps read
 * 76–107 ms with it and 24 ms without (demo probes), so its capacity knee moved from ~750 rps to beyond
 * the generator's ~1 250. Cost: k6's RSS grows to ~1 GiB per process. Measured side by side (20 s Poisson runs against the Rust
 * build, 2026-12-01), machine otherwise idle; k6 reads the clock in whole milliseconds, so lateness
 * figures are ±1 ms.
 */
export const K6_RUNTIME_ENV: Readonly<Record<string, string>> = {
  GOMAXPROCS: '2',
  GOGC: 'off',
  GOMEMLIMIT: '1GiB',
};

const run = async (input: DriverRunInput): Promise<DriverResult> => {
  const phase = asK6(input.phase);
  const dir = runPaths(input.runId).dir;
  await ensureDir(join(input.trialDir, dir));
  const n = phase.processes ?? 1;
  const files = Array.from({ length: n }, (_, i) => raw(dir, i));
  const seg = segments(n);
  const env = {
    ...K6_RUNTIME_ENV,
    ...scenarioEnv(input, phase),
    K6_CSV_TIME_FORMAT: 'unix_micro',
    K6_NO_USAGE_REPORT: 'true',
  };
  const script = traitsOf(phase).script?.(phase) ?? join(scenariosDir(), `${phase.scenario}.ts`);
  if (input.signal.aborted) return notStarted(await version(), loadSeconds(phase));
  const children: Child[] = [];
  for (let i = 0; i < n; i += 1) {
    const args = ['run', '--quiet', '--no-color', '--no-usage-report'];
    args.push('--out', `csv=${join(input.trialDir, files[i]!.output)}`);
    args.push('--summary-export', join(input.trialDir, files[i]!.summary));
    if (n > 1) args.push('--execution-segment', seg.segment(i), '--execution-segment-sequence', seg.sequence);
    if (phase.scenario === 'script' && !input.allowRemote)
      args.push('--blacklist-ip', NON_LOOPBACK_CIDRS.join(','));
    args.push(script);
    children.push(
      spawnChild({
        command: [k6Binary(), ...args],
        env,
        logFile: join(input.trialDir, files[i]!.log),
        cpu: input.cpu,
      }),
    );
  }
  const stopAll = (): void => void Promise.all(children.map((c) => c.stop(ABORT_GRACE_MS)));
  input.signal.addEventListener('abort', stopAll, { once: true });
  if (input.signal.aborted) stopAll();
  const started = Date.now();
  const exits = await Promise.all(children.map((c) => c.exited));
  input.signal.removeEventListener('abort', stopAll);
  const wallSeconds = (Date.now() - started) / 1000;
  const cpuSeconds = children.reduce((s, c) => s + c.cpuSeconds(), 0);

  const summaries = await Promise.all(files.map((f) => readSummary(join(input.trialDir, f.summary))));
  const count = (name: string): number => summaries.reduce((s, x) => s + (x?.metrics?.[name]?.count ?? 0), 0);
  const requests = summaries.some((s) => s?.metrics?.['http_reqs{traffic:yes}'])
    ? count('http_reqs{traffic:yes}')
    : count('http_reqs');
  // A script bound by iterations has no planned length: its achieved rate is over k6's own wall time.
  const seconds = loadSeconds(phase) || wallSeconds;
  const { health: generator, warnings } = assessGenerator({
    offeredRps: offeredRps(phase),
    achievedRps: requests / seconds,
    droppedIterations: count('dropped_iterations'),
    cpuSeconds,
    wallSeconds,
    cpuSamples: children.map((c) => c.cpuSamples()),
    loadSeconds: seconds,
    processes: n,
    expectsSaturation: traitsOf(phase).saturates,
  });

  const codes = exits.map((e) => e.code);
  const worst =
    codes.find((c) => c !== 0 && c !== K6_THRESHOLDS_CROSSED) ??
    (codes.includes(K6_THRESHOLDS_CROSSED) ? K6_THRESHOLDS_CROSSED : 0);
  const result: DriverResult = {
    status: 'ok',
    exitCode: worst,
    thresholdsCrossed: codes.includes(K6_THRESHOLDS_CROSSED),
    driverVersion: await version(),
    outputs: files.map((f) => f.output),
    logs: files.map((f) => f.log),
    summary: files[0]!.summary,
    generator,
    warnings,
    loadSeconds: seconds,
  };
  if (input.signal.aborted)
    return {
      ...result,
      status: 'interrupted',
      failureReason: INTERRUPTED_REASON,
    };
  if (worst !== 0 && worst !== K6_THRESHOLDS_CROSSED) {
    const i = codes.indexOf(worst);
    const log = files[i]!.log;
    const why = await lastError(join(input.trialDir, log));
    return {
      ...result,
      status: 'failed',
      failureReason: `k6 exited with code ${worst}${why ? `: ${why}` : ''} (log: ${log})`,
    };
  }
  return result;
};

export const k6Driver = {
  name: 'k6',
  description:
    'k6, open model: arrivals at the planned rate whatever the latency (steady, ramp, spike, soak, rollback, fault-drill)',
  phaseSchema: k6PhaseSchema,
  raw,
  formats: ['k6-csv', 'k6-json'],
  environmentKey: 'k6Version',
  version,
  versionLabel: (v) => v,
  run,
} satisfies Driver<K6PhaseSpec>;
