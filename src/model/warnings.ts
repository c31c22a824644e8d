import type { Warning } from './warning.js';

/**
 * Every caveat hotswap can raise, in one table (hyperfine's `enum Warnings` habit): the stable code, the
 * message built from the figures at hand, and the hint that says what to do. Code raises one only
 * through `warning(code, params)`, so a new caveat is one entry here and one call where it is found.
 * Ordered by where in the pipeline it is raised. Messages and hints are the report's words: changing
 * one changes report.json and the goldens.
 */

/** Which of the three places that see a generator at its limit raised `generator-limited`. */
type GeneratorLimited =
  /** The trial summary, naming every limited run. */
  | { in: 'trial'; runIds: string[] }
  /** A run's summary, from the run record's generator health. */
  | { in: 'summary'; reason?: string }
  /** The run record, when the driver reports its generator as the limit. */
  | { in: 'run'; reason?: string };

/** `few-runs` on one comparison, or on the trial as a whole. */
type FewRuns =
  | {
      of: 'comparison';
      baselineRuns: number;
      candidateRuns: number;
      /** Runs per arm the exact test needs to reach p < 0.05 (Holm over `familySize`). */
      need: number;
      familySize: number;
      /** The Holm family the p-value is adjusted in. */
      family: 'verdict' | 'descriptive';
      recommended: number;
    }
  | { of: 'trial'; perArm: number; need: number };

export const WARNINGS = {
  // ── Running: the trial loop and the drivers ──
  'no-metrics': {
    message: () => 'the service’s /metrics could not be scraped before the run',
    hint: 'set metricsUrl in the plan',
  },
  'gatherer-failed': {
    message: (p: { gatherer: string; hook: 'before' | 'during' | 'after'; error: string }) =>
      `gatherer ${p.gatherer} failed ${p.hook} the run: ${p.error}`,
    hint: 'the run and its other figures stand; only what this gatherer collects is missing',
  },
  'generator-limited': {
    message: (p: GeneratorLimited) =>
      p.in === 'trial'
        ? `the load generator was the bottleneck in ${p.runIds.join(', ')}`
        : p.in === 'summary'
          ? `the load generator was the bottleneck${p.reason ? `: ${p.reason}` : ''}`
          : (p.reason ?? 'the load generator was the limit'),
    hint: (p: GeneratorLimited) =>
      p.in === 'trial'
        ? 'their latencies understate the service; pin the generator or lower the rate'
        : p.in === 'summary'
          ? 'pin the generator to its own core, lower the rate, or raise maxVUs'
          : 'all generator processes share one pinned core: lower the rate, or give the generator a machine with a core to spare',
  },
  'offered-not-delivered': {
    message: (p: {
      achievedRps?: number;
      offeredRps?: number;
      droppedIterations: number;
      generatorBusy: boolean;
    }) =>
      `achieved ${p.achievedRps?.toFixed(1)} of ${p.offeredRps?.toFixed(1)} requests/s offered, ${p.droppedIterations} iterations dropped`,
    hint: (p: { generatorBusy: boolean }) =>
      p.generatorBusy
        ? `the load generator was busy (its processes share one pinned core): lower the rate, or run the generator on a machine with a core to spare`
        : 'the service could not keep up at this rate (or maxVus is too low): lower the rate or raise maxVus',
  },
  'gathered-elsewhere': {
    message: (p: { processes: number }) =>
      `gathered by ${p.processes} k6 process(es) outside hotswap run (assembled from their outputs)`,
    hint: 'generator health (achieved rate, dropped iterations) comes from the k6 outputs alone',
  },
  'failed-responses': {
    message: (p: { failed: number; ok: number }) =>
      `${p.failed} of ${p.ok + p.failed} responses were transport errors or 4xx/5xx; achieved throughput counts only the ${p.ok} successful ones`,
    hint: 'check the service log; a saturation figure built on errors is not a capacity',
  },

  // ── Reading raw output ──
  'truncated-line': {
    message: (p: { file: string; line: number }) =>
      `${p.file}:${p.line}: the last line has no newline (interrupted run?) and was left out`,
    hint: 'the rest of the file is used; re-run if the run was cut short',
  },
  'missing-column': {
    message: (p: { file: string; column: string; effect: string }) =>
      `${p.file}: no "${p.column}" column, so ${p.effect}`,
    hint: 'write the driver output with its default columns (k6 --out csv keeps them all)',
  },
  'impl-not-joined': {
    message: (p: { samples: number }) =>
      `${p.samples} impl_served/hotspot_ms samples carry no request id, so they are totals per endpoint and implementation, not per request`,
    hint: 'set exec.vu.metrics.metadata.rid to a per-request id before each request in the k6 scenario, as scenarios/lib/request.ts does',
  },

  // ── Summarising a run ──
  'no-responses': {
    message: () => 'no request got a response',
    hint: 'see the error classes',
  },
  'few-requests-for-quantile': {
    message: (p: { quantiles: string[]; requests: number; worst: string; needed: number }) =>
      `${p.quantiles.join(', ')} from ${p.requests} requests: the 95 % CI has no upper bound`,
    hint: (p: { worst: string; needed: number }) =>
      `${p.worst} needs at least ${p.needed} requests per run; run longer or at a higher rate`,
  },
  'dropped-iterations': {
    message: (p: { dropped: number }) => `k6 dropped ${p.dropped} iterations: the offered rate was not sent`,
    hint: 'k6 ran out of VUs: the service was too slow for this rate, or maxVUs is too low; the unsent requests are missing from the latencies',
  },
  'arrivals-started-late': {
    message: (p: { p99Ms: number; maxMs: number; count: number; boundMs: number }) =>
      `arrivals started late: p99 ${p.p99Ms.toFixed(1)} ms, max ${p.maxMs.toFixed(1)} ms behind their schedule over ${p.count} arrivals (bound: p99 ≤ ${p.boundMs} ms): the generator, not the service, shaped the timing`,
    hint: 'give k6 a core of its own (pin the generator) or lower the rate; the queueing this run shows is partly the generator’s',
  },
  'rate-not-achieved': {
    message: (p: { achievedRps: number; offeredRps: number }) =>
      `achieved ${p.achievedRps.toFixed(1)} rps of ${p.offeredRps} offered (${((100 * p.achievedRps) / p.offeredRps).toFixed(0)} %)`,
    hint: 'the service or the generator could not keep up; figures from this run are suspect',
  },

  // ── Resource figures from the service's metrics ──
  'no-os-figures': {
    message: (p: { kind: string }) =>
      `no OS figures (CPU and memory from the process tree): hotswap did not start this service (kind ${p.kind}), so it has no process to measure`,
    hint: 'let hotswap start the service (kind command) to get CPU per request and memory from the OS; else set metricsUrl',
  },
  'os-figures-only': {
    message: (p: { cpu?: string; memory?: string }) =>
      `no /metrics scrapes: CPU per request from the OS (${p.cpu ?? 'none'}), memory from the OS (${p.memory ?? 'none'}); allocations per request need the service's own Go/Rust counters`,
    hint: 'set metricsUrl in the plan to add the service’s own counters (allocations, GC pauses)',
  },
  'closed-model-script': {
    message: (p: { phase: string; executors: string[] }) =>
      `phase ${p.phase}: the script uses closed-model executors (${p.executors.join(', ')}): its latencies are subject to coordinated omission and its offered rate is not fixed, so capacity is not derived from it`,
    hint: 'use constant-arrival-rate or ramping-arrival-rate in the script’s options.scenarios for latencies and capacity you can compare',
  },
  'cpu-sources-disagree': {
    message: (p: { prometheusUs: number; osUs: number; source: string; method: string; apart: string }) =>
      `CPU per request is ${p.prometheusUs.toFixed(1)} µs from the service's process_cpu_seconds_total but ` +
      `${p.osUs.toFixed(1)} µs from the OS (${p.source}, ${p.method}): ${p.apart} apart`,
    hint: 'the OS counts the whole process tree (children, helpers) at a finer resolution; a service counter covering one process of several reads low',
  },
  'no-scrapes': {
    /** `missing` from analysis of a run; `k8s` from a trial assembled from k6-operator pods. */
    message: (p: { missing: 'before' | 'after' } | { k8s: true }) =>
      'k8s' in p
        ? 'no /metrics scrapes before and after this run: no resource figures'
        : `no metric scrapes ${p.missing} the run: no resource figures`,
    hint: (p: { missing: 'before' | 'after' } | { k8s: true }) =>
      'k8s' in p
        ? 'let deploy/k8s/run-trial.sh scrape the service (METRICS_* variables)'
        : 'give the configuration a metricsUrl serving Prometheus text (see the service contract)',
  },
  'requests-from-driver': {
    message: (p: { requests: number; metric: string }) =>
      `per-request figures divide by the driver's ${p.requests} measured requests; the counters also cover the warm-up`,
    hint: (p: { metric: string }) => `expose ${p.metric} so both sides count the same requests`,
  },
  'hotspot-share-invalid': {
    message: (p: { share: number }) =>
      `hotspot wall time is ${p.share.toFixed(2)}× the service's CPU time: the timings include waiting for a CPU, so no hotspot share`,
    hint: 'the service was overloaded in this run; lower the rate or give it its own core',
  },
  'few-profile-samples': {
    message: (p: { samples: number; minSamples: number }) =>
      `the CPU profile has ${p.samples} samples, fewer than the ${p.minSamples} asked for: its shares are too uncertain to report`,
    hint: 'profile longer (profile.seconds) or under more load (profile.rateRps near half the knee)',
  },
  'profile-requests-unknown': {
    message: () =>
      'requests per endpoint during the CPU profile are unknown: no CPU per request per endpoint',
    hint: 'expose hotswap_requests_total{endpoint} at the metrics endpoint',
  },
  'profile-low-coverage': {
    message: (p: {
      coverage: number;
      profileCpuSeconds: number;
      serviceCpuSeconds: number;
      source: 'cgroup' | 'proc';
    }) =>
      `the CPU profile covers ${Math.round(p.coverage * 100)} % of the service's CPU in its window (${p.profileCpuSeconds.toFixed(2)} s of samples, ${p.serviceCpuSeconds.toFixed(2)} s measured by the ${p.source === 'cgroup' ? 'cgroup' : '/proc schedstat'}): its shares are shares of the sampled part`,
    hint: "Go's profiler counts one sample per 10 ms timer signal and drops the kernel's overruns, so threads that run in short bursts on a shared core lose samples (more near the knee): read the shares as shares of the sampled CPU, or profile at a lower profile.rateRps",
  },
  'search-profile-skipped': {
    message: (p: { role: string; repetition: number }) =>
      `no profile of the ${p.role} after capacity search ${p.repetition}: no probe passed, so there is no rate to profile at`,
    hint: 'lower the search fromRps, or give profile.rateRps',
  },
  'missing-metrics': {
    message: (p: { metrics: string[] }) =>
      `the service's metrics lack ${p.metrics.join(', ')}: those figures are left out`,
    hint: 'expose them at the metrics endpoint (names and types in the service contract) or accept the gap',
  },
  'rust-alloc-missing': {
    message: (p: { metric: string }) =>
      `Rust served requests in this run but ${p.metric} is missing: no total allocations per request (Go only would understate them)`,
    hint: (p: { metric: string }) => `expose ${p.metric} from the Rust crate's counting allocator`,
  },

  // ── Comparing the arms and the trial as a whole ──
  'zero-baseline': {
    message: (p: { metric: string }) => `the baseline's median ${p.metric} is 0: no ratio`,
    hint: 'judge this figure by its absolute values',
  },
  'tied-runs': {
    message: (p: { tied: number; of: number; method: 'exact' | 'asymptotic' }) =>
      `${p.tied} of ${p.of} per-run values tie: the p-value uses ${
        p.method === 'exact'
          ? 'the exact distribution given the ties'
          : 'the normal approximation with tie correction'
      }; ties usually mean the figure is measured at a coarse resolution`,
    hint: 'measure the figure at a finer resolution (e.g. CPU from the OS sampler) or make runs longer',
  },
  'few-runs': {
    message: (p: FewRuns) =>
      p.of === 'trial'
        ? `${p.perArm} ok run(s) per arm in the judged phase: too few for a run-level verdict`
        : `${p.baselineRuns} vs ${p.candidateRuns} runs: ${
            Math.min(p.baselineRuns, p.candidateRuns) < p.need
              ? `the exact Mann-Whitney test cannot reach p < 0.05 below ${p.need} runs per arm${p.familySize > 1 ? ` (Holm over ${p.familySize} ${p.family === 'verdict' ? 'judged' : 'shown'} comparisons)` : ''}`
              : `fewer than the ${p.recommended} runs per arm the method assumes; the bootstrap CI is too narrow`
          }`,
    hint: (p: FewRuns) =>
      p.of === 'trial'
        ? `plan at least ${p.need} repetitions (10+ for release reviews)`
        : `repeat with at least ${Math.max(p.need, p.recommended)} runs per arm (10+ for release reviews)`,
  },
  'run-left-out': {
    message: (p: { runId: string; status: string; reason?: string }) =>
      `run ${p.runId} is ${p.status}${p.reason ? `: ${p.reason}` : ''}; left out of the statistics`,
  },
  'run-without-samples': {
    message: (p: { runId: string }) => `run ${p.runId} has no measured requests; left out of the statistics`,
    hint: 'check its raw output and the warm-up length',
  },
  'not-pinned': {
    message: () => 'the service and the load generator shared CPU cores: latencies include contention',
    hint: 'run on ≥ 2 cores with pinCpus so each gets its own',
  },

  // ── Capacity: the knee, the USL fit and sizing ──
  'no-ramp': {
    message: () => 'no ramp run: no measured knee',
    hint: 'add a ramp phase to the plan',
  },
  'knee-below-ramp': {
    message: (p: { lowestRps: number; quantile: string; latencyMs: number; maxErrorRate: number }) =>
      `the lowest ramp step (${p.lowestRps} rps) already misses the SLO (${p.quantile} ≤ ${p.latencyMs} ms, errors ≤ ${p.maxErrorRate * 100} %, achieved ≥ 97 %)`,
    hint: 'start the ramp lower',
  },
  'knee-not-reached': {
    message: (p: { highestRps: number }) =>
      `every ramp step met the SLO up to ${p.highestRps} rps: the knee is at least that, not measured`,
    hint: 'extend the ramp to higher rates',
  },
  'usl-no-retrograde': {
    message: (p: { kappa: number; peakLoad: number; maxLoad: number }) =>
      `kappa ≈ 0 (${p.kappa.toExponential(2)}): the data show no retrograde region, so the fitted peak ${
        Number.isFinite(p.peakLoad)
          ? `at load ${p.peakLoad.toFixed(0)} is far beyond`
          : 'does not exist within'
      } the tested loads (max ${p.maxLoad})`,
    hint: 'measure at higher loads, past the point where throughput stops growing, before trusting a peak',
  },
  'usl-peak-extrapolated': {
    message: (p: { peakLoad: number; maxLoad: number }) =>
      `the fitted peak (load ${p.peakLoad.toFixed(1)}) lies beyond the highest tested load (${p.maxLoad})`,
    hint: 'the peak is an extrapolation; add points above it to confirm',
  },
  'knee-scaled': {
    message: (p: { serviceCores: number; scale: number; coresPerInstance: number }) =>
      `the knee was measured with ${p.serviceCores} core(s) and is scaled ×${+p.scale.toFixed(3)} to ${p.coresPerInstance} cores per instance, assuming linear scaling`,
    hint: 'measure on a production-sized instance to check the scaling',
  },
  'no-rate-meets-slo': {
    message: (p: { kneeBelowRps: number; lowest?: string }) =>
      `no measured rate meets the SLO: the lowest ${p.lowest ?? 'ramp step'} (${p.kneeBelowRps} rps) already missed it, so no fleet is sized and no saving is computed`,
    hint: (p: { kneeBelowRps: number; lowest?: string }) =>
      p.lowest === undefined
        ? 'start the ramp lower (or relax the SLO) to measure the knee'
        : 'lower the search’s fromRps (or relax the SLO) to measure the knee',
  },
  'search-never-passed': {
    message: (p: { role: string; fromRps: number; failedOn: string }) =>
      `the ${p.role}'s capacity search never passed: its first probe at ${p.fromRps} rps already missed the SLO (${p.failedOn}), so it has no knee`,
    hint: 'lower fromRps or relax the SLO; no saving is computed from this configuration',
  },
  'search-lower-bound': {
    message: (p: { role: string; passRps: number; stoppedBy: string; generatorCeilingRps?: number }) =>
      `the ${p.role}'s capacity search was stopped by ${
        p.stoppedBy === 'max-rps'
          ? 'its maxRps cap'
          : p.stoppedBy === 'budget'
            ? 'its time budget'
            : p.generatorCeilingRps !== undefined
              ? `the load generator (its core saturated at ${p.generatorCeilingRps} rps while the service still met the SLO)`
              : 'the load generator'
      } before it converged: ${p.passRps} rps is a lower bound on the knee, not the knee`,
    hint: (p: { role: string; passRps: number; stoppedBy: string }) =>
      p.stoppedBy === 'max-rps'
        ? 'raise maxRps'
        : p.stoppedBy === 'budget'
          ? 'raise budgetSeconds (or shorten probeSeconds)'
          : 'give the load generator more CPU (processes, a faster core) or lower the corpus cost per request',
  },
  'search-unfinished': {
    message: (p: { role: string; repetition: number }) =>
      `the ${p.role}'s capacity search of repetition ${p.repetition} did not finish (a probe failed to run or the trial stopped)`,
    hint: 'rerun the trial; see the run list for the failed probe',
  },
  'no-cpu-figure': {
    message: () => 'no CPU seconds per request: no CPU-based capacity estimate',
    hint: 'expose process_cpu_seconds_total and hotswap_requests_total',
  },
  'savings-not-like-for-like': {
    message: (p: { baselineSizedBy?: string; candidateSizedBy?: string; bounds: string[]; bias: string }) =>
      `the baseline is sized by ${p.baselineSizedBy} and the candidate by ${p.candidateSizedBy}${
        p.bounds.length ? ` (${p.bounds.join('; ')})` : ''
      }: the saving compares different estimates and ${p.bias}`,
    hint: 'extend the ramp so both configurations show a measured knee',
  },
  'bet-no-saving': {
    message: () => 'no capacity saving could be computed: the bet counts a monthly saving of 0',
    hint: 'the capacity section says why (e.g. no ramp step met the SLO); the payback needs both configurations sized and capacity.costPerInstanceHour',
  },
  'bet-build-time-not-cold': {
    message: (p: { deltaSeconds: number }) =>
      `the CI cost uses the last builds' times (${p.deltaSeconds} s apart), which may be incremental, not from scratch`,
    hint: 'measure cold builds with HOTSWAP_COLD_BUILD=1 bash service/build.sh before the trial',
  },
  'bet-no-build-time': {
    message: () => 'no build times for both configurations: the bet counts no extra CI minutes',
    hint: 'build both with service/build.sh (build/build-info.json) or leave buildsPerMonth at 0',
  },

  // ── Commands outside a trial ──
  'single-run-per-side': {
    message: () =>
      'one run per side cannot separate run-to-run noise from a real change: these p-values treat autocorrelated requests as independent and overstate significance',
    hint: 'repeat each configuration (5-10 runs, interleaved) and compare one value per run, e.g. with `hotswap trial`',
  },
  // ── The canary: judging the live split from Prometheus ──
  'canary-unit-shortened': {
    message: (p: { unit: string; minWindows: number; window: string; seconds: number }) =>
      `the plan's unit (${p.unit}) gives fewer than ${p.minWindows} windows in --window ${p.window}; judged in ${p.seconds} s windows instead`,
    hint: 'pass --unit to choose the window length yourself',
  },
  'few-windows': {
    message: (p: { pairs: number }) =>
      `${p.pairs} paired window(s): the signed-rank CI needs at least 6 to bound the change`,
    hint: 'judge over a longer --window or a shorter --unit',
  },
  'cpu-not-separable': {
    message: (p: { label: string }) =>
      `the arms are split by "${p.label}" inside one process: its CPU seconds cannot be divided between them, so CPU per request is not judged`,
    hint: 'split the fleet by instance or version (separate processes) to judge CPU per request',
  },
  'canary-fallbacks': {
    /** `unassigned`: fallbacks no series of the split shows; else the fallbacks counted in the candidate arm. */
    message: (p: { unassigned: number } | { fallbacks: number; candidateRequests: number }) =>
      'unassigned' in p
        ? `the service counted about ${p.unassigned} fallback(s) to Go that no series of the split shows; they cannot be put in an arm`
        : `${p.fallbacks} of ${p.candidateRequests} candidate requests (${((p.fallbacks / Math.max(1, p.candidateRequests)) * 100).toFixed(2)} %) fell back to Go; they count in the candidate arm (intent to treat)`,
    hint: (p: { unassigned: number } | { fallbacks: number; candidateRequests: number }) =>
      'unassigned' in p
        ? 'list the split value that marks them (e.g. go-fallback) under canary.split.candidate'
        : undefined,
  },
  'canary-breaker-opened': {
    message: (p: { opens: number }) => `the breaker opened about ${p.opens} time(s) in the window`,
  },
  'canary-unassigned-series': {
    message: (p: { label: string; values: string[] }) =>
      `series with ${p.label}=${p.values.map((v) => JSON.stringify(v)).join(', ')} are in neither arm and were left out`,
    hint: 'list them under canary.split.baseline or canary.split.candidate',
  },
  'canary-windows-skipped': {
    message: (p: { skipped: number; windows: number; minRequests: number }) =>
      `${p.skipped} of ${p.windows} window(s) left out: an arm had fewer than ${p.minRequests} requests`,
  },
  'canary-shorter-than-horizon': {
    message: (p: { seconds: number; horizon: string }) =>
      `the judged range (${p.seconds} s) is shorter than the stop rule's horizon ${p.horizon}: the rollout is not over`,
  },
  // ── The queueing model check (Poisson runs, src/analysis/capacity/queue-check.ts) ──
  'queue-service-exceeds-cpu': {
    message: (p: { serviceMs: number; cpuMs: number; runId: string }) =>
      `at the lowest load (${p.runId}) a request took ${p.serviceMs.toFixed(2)} ms but only ${p.cpuMs.toFixed(2)} ms of CPU (×${(p.serviceMs / p.cpuMs).toFixed(1)}): the service waits on something besides its own core (a shared or throttled CPU, a downstream, I/O), so ρ from CPU per request understates how busy it is and the queueing models do not describe it`,
    hint: 'pin the service to an idle core (pinCpus) on a quiet machine, or size with the measured knee, not the queueing what-ifs',
  },
} as const satisfies Record<string, WarningSpec>;

interface WarningSpec {
  message: (p: never) => string;
  /** A function may return undefined where one place that raises the code has no hint. */
  hint?: string | ((p: never) => string | undefined);
}

/** A warning's stable kebab-case code: one key of WARNINGS. */
export type WarningCode = keyof typeof WARNINGS;

/** The figures a warning's message and hint are built from (undefined for a fixed text). */
export type WarningParams<C extends WarningCode> = Parameters<(typeof WARNINGS)[C]['message']>[0];

export const WARNING_CODES = Object.keys(WARNINGS) as WarningCode[];

export const isWarningCode = (x: unknown): x is WarningCode =>
  typeof x === 'string' && Object.prototype.hasOwnProperty.call(WARNINGS, x);

/** The warning `code` with its message and hint filled in from `params` (no hint key when it has none). */
export const warning = <C extends WarningCode>(
  code: C,
  ...[params]: WarningParams<C> extends undefined ? [] : [WarningParams<C>]
): Warning => {
  const spec = WARNINGS[code] as {
    message: (p: unknown) => string;
    hint?: string | ((p: unknown) => string | undefined);
  };
  const hint = typeof spec.hint === 'function' ? spec.hint(params) : spec.hint;
  return { code, message: spec.message(params), ...(hint !== undefined ? { hint } : {}) };
};
