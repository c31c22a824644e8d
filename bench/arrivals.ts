/**
 * Arrivals benchmark (a script that prints figures, not a timed test): the knee of each reference build
 * under evenly spaced (`uniform`) and under Poisson arrivals, found by the capacity search on the same
 * corpus, SLO and probe rules (issue 16). Evenly spaced arrivals hide queueing, so the uniform knee is
 * expected to be the higher one; how much higher is what this measures.
 *
 * For each build, ROUNDS rounds of two trials, uniform then Poisson (alternating, so a slow drift of the
 * machine hits both alike); each trial runs the build in both arms, so it gives two searches. Prints every
 * search (probes, stop reason), the median knee per arrival kind, and the difference. A search stopped
 * by the generator or a cap is a lower bound, and is printed as one (≥); no difference is computed from
 * lower bounds.
 *
 * Defaults: the demo's SLO (p95 ≤ 150 ms), first probe (15 rps) and probe rules (≥ 3 s, ≥ 100 requests);
 * see bench/capacity-search.ts for why a tighter bound leaves pure Go's knee to sampling noise.
 *
 * Usage: node --import tsx bench/arrivals.ts [--builds baseline,rust] [--rounds 1] [--quantile 0.95]
 *        [--slo-ms 150] [--from 15] [--probe-seconds 3] [--min-requests 100] [--budget 60] [--out DIR]
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeTrial } from '../src/analysis/analyze.js';
import { median } from '../src/analysis/stats/index.js';
import { loadTrial } from '../src/cli/analyze.js';
import { memoryIo } from '../src/cli/io.js';
import type { CapacitySearch, Plan } from '../src/model/index.js';
import { runTrial } from '../src/trial/index.js';
import { searchBenchPlan } from './search-plan.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const BUILDS = arg('builds', 'baseline,rust').split(',') as ('baseline' | 'rust')[];
const ROUNDS = Number(arg('rounds', '1'));
const QUANTILE = Number(arg('quantile', '0.95'));
const SLO_MS = Number(arg('slo-ms', '150'));
const FROM = Number(arg('from', '15'));
const PROBE_SECONDS = Number(arg('probe-seconds', '3'));
const MIN_REQUESTS = Number(arg('min-requests', '100'));
const BUDGET = Number(arg('budget', '60'));
const OUT = arg('out', mkdtempSync(join(tmpdir(), 'hotswap-bench-arrivals-')));

type Kind = 'uniform' | 'poisson';

const quiet = memoryIo();

const plan = (build: 'baseline' | 'rust', arrivals: Kind): Plan =>
  searchBenchPlan({
    name: `bench arrivals ${build} ${arrivals}`,
    build,
    search: {
      arrivals,
      fromRps: FROM,
      probeSeconds: PROBE_SECONDS,
      minRequests: MIN_REQUESTS,
      budgetSeconds: BUDGET,
    },
    quantile: QUANTILE,
    sloMs: SLO_MS,
  });

const signal = new AbortController().signal;
const progress = (line: string): void => void process.stderr.write(`${line}\n`);

const searchesOf = async (build: 'baseline' | 'rust', arrivals: Kind): Promise<CapacitySearch[]> => {
  const res = await runTrial({
    plan: plan(build, arrivals),
    planFile: 'bench',
    outDir: OUT,
    signal,
    progress,
    analyse: async (dir) => analyzeTrial(await loadTrial(dir, quiet)),
  });
  const model = analyzeTrial(await loadTrial(res.dir, quiet));
  return [model.capacity.baseline.search, model.capacity.candidate.search].filter(
    (s): s is CapacitySearch => s !== undefined,
  );
};

const isBound = (s: CapacitySearch): boolean => s.stoppedBy !== 'converged';

const describe = (s: CapacitySearch): string =>
  `${s.stoppedBy.padEnd(12)} ${isBound(s) && s.passRps !== undefined ? '≥' : ' '}${String(s.passRps ?? '–').padStart(5)} rps${
    s.failRps !== undefined ? ` (fails at ${s.failRps})` : ''
  }${s.generatorCeilingRps !== undefined ? ` (generator saturated at ${s.generatorCeilingRps})` : ''}; ${
    s.probes.length
  } probes: ${s.probes.map((p) => `${p.rateRps}${p.pass ? '✓' : '✗'}`).join(' ')}`;

const main = async (): Promise<void> => {
  const loadBefore = loadavg();
  const t0 = Date.now();
  const lines: string[] = [];
  for (const build of BUILDS) {
    const found: Record<Kind, CapacitySearch[]> = { uniform: [], poisson: [] };
    for (let round = 1; round <= ROUNDS; round++)
      for (const kind of ['uniform', 'poisson'] as const)
        found[kind].push(...(await searchesOf(build, kind)));
    lines.push(
      `\n${build}: SLO p${QUANTILE * 100} ≤ ${SLO_MS} ms, probes ≥ ${PROBE_SECONDS} s / ≥ ${MIN_REQUESTS} requests`,
    );
    const knees: Partial<Record<Kind, number>> = {};
    for (const kind of ['uniform', 'poisson'] as const) {
      for (const s of found[kind]) lines.push(`  ${kind.padEnd(8)} ${describe(s)}`);
      // The median of the searches that converged; a lower bound (budget, generator, cap) is left out
      // of it and counted, since it says only where that search stopped.
      const converged = found[kind].filter((s) => !isBound(s));
      if (converged.length > 0) knees[kind] = median(converged.map((s) => s.passRps!));
      const bounds = found[kind].filter((s) => isBound(s) && s.passRps !== undefined).map((s) => s.passRps!);
      const left = bounds.length
        ? `; ${bounds.length} lower bound(s) left out: ≥ ${bounds.join(', ≥ ')}`
        : '';
      lines.push(
        `  ${kind.padEnd(8)} knee: ${knees[kind] !== undefined ? `${knees[kind]} rps (median of ${converged.length} converged${left})` : bounds.length ? `≥ ${Math.min(...bounds)} rps (lower bounds only)` : 'none found'}`,
      );
    }
    if (knees.uniform !== undefined && knees.poisson !== undefined)
      lines.push(
        `  uniform / Poisson knee: ${(knees.uniform / knees.poisson).toFixed(3)} (Poisson ${((knees.poisson / knees.uniform - 1) * 100).toFixed(1)} %)`,
      );
    else lines.push('  no difference computed: no search converged under one of the two');
  }
  for (const l of lines) console.log(l);
  console.log(
    `\nmachine load average (1/5/15 min): before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}; bench wall ${((Date.now() - t0) / 1000).toFixed(0)} s; folders in ${OUT}`,
  );
};

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
