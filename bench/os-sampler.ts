/**
 * OS sampler against the service's own counters (a script that prints figures, not a timed test):
 * `node --import tsx bench/os-sampler.ts [--seconds 10] [--rate-baseline 80] [--rate-rust 400] [--reps 2]`.
 *
 * For each reference build (build/bin/hotswap-service-baseline and -rust), REPS times, side by side:
 * 1. a fresh service cgroup (src/trial/os), the service started in it through `cg.wrap`, pinned to the first
 *    allowed CPU with taskset and GOMAXPROCS=1 as src/trial/service.ts starts it;
 * 2. one short warm-up k6 run, then, just before the measured k6 steady run (pinned to the second CPU):
 *    a /metrics scrape, an OS run from the cgroup and an OS run from /proc, all three read again after the
 *    run and one second of drain (requests still in flight when k6 stops are finished and counted by both);
 * 3. CPU per request (requests = the service's own hotswap_requests_total delta) from process_cpu_seconds_total,
 *    the cgroup and /proc, and their agreement in %; memory from the three sources.
 * Needs root (cgroups), the built service and .tools/bin/k6.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { generateCorpus, toNdjsonLine } from '../src/corpus/index.js';
import { k6Binary, scenariosDir, spawnChild, type Child } from '../src/drivers/index.js';
import { readPrometheusText, sumMetric } from '../src/ingest/index.js';
import { allowedCpus, pinPlan } from '../src/trial/cpus.js';
import { createServiceCgroup, startOsRun, type ServiceCgroup } from '../src/trial/os/index.js';
import { referenceBinary } from '../src/trial/service.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg('seconds', 10);
const RATES = { baseline: arg('rate-baseline', 80), rust: arg('rate-rust', 400) };
const REPS = arg('reps', 2);

const dir = mkdtempSync(join(tmpdir(), 'hotswap-os-bench-'));
const corpusPath = join(dir, 'corpus.ndjson');
writeFileSync(corpusPath, [...generateCorpus({ seed: 1, count: 600 })].map(toNdjsonLine).join('\n') + '\n');
const pin = pinPlan(await allowedCpus());

const scrape = async (base: string) => readPrometheusText(await (await fetch(`${base}/metrics`)).text());

const k6 = async (base: string, rate: number, seconds: number, log: string): Promise<void> => {
  const child = spawnChild({
    command: [k6Binary(), 'run', '--quiet', '--no-usage-report', join(scenariosDir(), 'steady.ts')],
    env: {
      BASE_URL: base,
      CORPUS: corpusPath,
      RATE: String(rate),
      DURATION: String(seconds),
      K6_NO_USAGE_REPORT: 'true',
    },
    logFile: log,
    cpu: pin.generator,
  });
  const { code } = await child.exited;
  if (code !== 0 && code !== 99) throw new Error(`k6 exited ${code}; see ${log}`);
};

const startIn = async (
  cg: ServiceCgroup,
  build: 'baseline' | 'rust',
  log: string,
): Promise<{ child: Child; base: string }> => {
  const argv = [
    referenceBinary(build),
    '-addr',
    '127.0.0.1:0',
    '-impl',
    build === 'rust' ? 'rust' : 'go',
    '-admin-token',
    'x',
  ];
  const child = spawnChild({
    command: cg.wrap(argv),
    env: { GOMAXPROCS: '1' },
    logFile: log,
    cpu: pin.service,
  });
  for (let i = 0; i < 100; i++) {
    const m = /listening on (127\.0\.0\.1:\d+)/.exec(readFileSync(log, 'utf8'));
    if (m) return { child, base: `http://${m[1]}` };
    await delay(50);
  }
  await child.stop(500);
  throw new Error(`service did not start; see ${log}`);
};

const pct = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(3)} %`;
const mb = (b: number | undefined): string => (b === undefined ? '—' : `${(b / 2 ** 20).toFixed(1)} MB`);

console.log(
  `OS sampler vs process_cpu_seconds_total: ${SECONDS} s at ${JSON.stringify(RATES)} rps, ${REPS} reps per build, pins ${JSON.stringify(pin)}`,
);
console.log(
  'build     rep  requests  prom µs/req  cgroup µs/req  proc µs/req (method)      cgroup−prom  proc−prom  cgroup−proc  RSS prom / proc (cgroup charged)',
);
try {
  for (let rep = 1; rep <= REPS; rep++) {
    for (const build of ['baseline', 'rust'] as const) {
      const cg = await createServiceCgroup();
      if ('reason' in cg) throw new Error(cg.reason);
      const { child, base } = await startIn(cg, build, join(dir, `${build}-${rep}.log`));
      try {
        await k6(base, RATES[build], 2, join(dir, `k6-warm-${build}-${rep}.log`));
        const before = await scrape(base);
        const [viaCg, viaProc] = await Promise.all([
          startOsRun({ pid: child.pid, cgroup: cg }),
          startOsRun({ pid: child.pid }),
        ]);
        await k6(base, RATES[build], SECONDS, join(dir, `k6-${build}-${rep}.log`));
        await delay(1000);
        const [c, p] = await Promise.all([viaCg.stop(), viaProc.stop()]);
        const after = await scrape(base);
        const requests =
          sumMetric(after, 'hotswap_requests_total') - sumMetric(before, 'hotswap_requests_total');
        const prom =
          sumMetric(after, 'process_cpu_seconds_total') - sumMetric(before, 'process_cpu_seconds_total');
        const us = (s: number): string => ((s / requests) * 1e6).toFixed(1).padStart(8);
        console.log(
          [
            build.padEnd(9),
            String(rep).padStart(3),
            String(requests).padStart(9),
            us(prom).padStart(12),
            us(c.cpuSeconds).padStart(14),
            `${us(p.cpuSeconds)} (${p.cpuMethod})`.padStart(25),
            pct(c.cpuSeconds, prom).padStart(12),
            pct(p.cpuSeconds, prom).padStart(10),
            pct(c.cpuSeconds, p.cpuSeconds).padStart(12),
            `  ${mb(sumMetric(after, 'process_resident_memory_bytes'))} / ${mb(p.rssBytesSteady)} (${mb(c.cgroupMemory?.steadyBytes)}), peak ${mb(p.rssBytesPeak)} (${mb(c.cgroupMemory?.peakBytes)})`,
          ].join(' '),
        );
      } finally {
        await child.stop(2000);
        await cg.remove();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
