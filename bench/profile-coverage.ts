/**
 * Profile coverage benchmark (prints figures; not a timed test): what share of the reference service's
 * own CPU a Go CPU profile's samples stand for, and where the rest went. For each build and rate: start
 * the service as a trial does (GOMAXPROCS=1, its own cgroup when the machine allows, pinned to the first
 * allowed CPU, -pprof-addr on loopback), run k6 steady load pinned to the second, and around one
 * `/debug/pprof/profile?seconds=S` read the cgroup's CPU and every thread's schedstat CPU
 * (/proc/<pid>/task/<tid>/schedstat, ns). Prints coverage = samples' CPU ÷ cgroup CPU, the per-thread
 * CPU in the window (by thread, largest first), and the per-thread remainder bound: a Go thread's CPU
 * timer fires every 10 ms of that thread's CPU, so up to 10 ms per busy thread is never sampled. The
 * threads' time slices (schedstat's third field) show how short their bursts are: Go counts one sample
 * per signal and ignores the timer's overruns, which short bursts on a shared core cause
 * (bench/posix-timer-overrun.c shows that mechanism alone).
 *
 * Usage: node --import tsx bench/profile-coverage.ts [--seconds 10] [--rates 20,60] [--builds baseline,rust]
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus, toNdjsonLine } from '../src/corpus/index.js';
import { k6Driver } from '../src/drivers/index.js';
import { decodeCpuProfile } from '../src/ingest/index.js';
import { allowedCpus, pinPlan } from '../src/trial/cpus.js';
import { fetchProfile, PPROF_ARGS, serviceCpuNs } from '../src/trial/profile.js';
import { newAdminToken, startService } from '../src/trial/service.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const SECONDS = Number(arg('seconds', '10'));
const RATES = arg('rates', '20,60').split(',').map(Number);
const BUILDS = arg('builds', 'baseline,rust').split(',') as ('baseline' | 'rust')[];

const threads = (pid: number): Map<string, { name: string; ns: number; slices: number }> => {
  const out = new Map<string, { name: string; ns: number; slices: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [ns, , slices] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')
        .split(' ')
        .map(Number);
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(tid, { name, ns: ns!, slices: slices! });
    } catch {
      // the thread ended
    }
  }
  return out;
};

const dir = mkdtempSync(join(tmpdir(), 'hotswap-bench-coverage-'));
const corpus = join(dir, 'corpus.ndjson');
writeFileSync(corpus, [...generateCorpus({ seed: 42, count: 2000 })].map(toNdjsonLine).join('\n') + '\n');
const cpus = pinPlan(await allowedCpus());
const signal = new AbortController().signal;
console.log(
  `profile ${SECONDS} s; service CPU ${cpus.service ?? 'unpinned'}, k6 CPU ${cpus.generator ?? 'unpinned'}`,
);
try {
  for (const build of BUILDS) {
    for (const rate of RATES) {
      const service = await startService({
        role: build === 'baseline' ? 'baseline' : 'candidate',
        spec:
          build === 'baseline'
            ? { kind: 'reference', name: build, build }
            : { kind: 'reference', name: build, build, impl: 'rust' },
        logFile: join(dir, `${build}-${rate}.log`),
        ...(cpus.service !== undefined ? { cpu: cpus.service } : {}),
        adminToken: newAdminToken(),
        seed: 42,
        signal,
        serviceArgs: [...PPROF_ARGS],
      });
      try {
        const load = k6Driver.run({
          runId: `${build}-${rate}`,
          trialDir: dir,
          baseUrl: service.baseUrl,
          phase: {
            name: 'load',
            driver: 'k6',
            scenario: 'steady',
            rateRps: rate,
            durationSeconds: SECONDS + 4,
          },
          corpusPath: corpus,
          slo: { quantile: 0.99, latencyMs: 1000, maxErrorRate: 0.01 },
          seed: 42,
          cpu: cpus.generator,
          signal,
        });
        await new Promise((r) => setTimeout(r, 2000));
        const pid = service.child!.pid;
        const t0 = threads(pid);
        const c0 = await serviceCpuNs(service);
        const w0 = Date.now();
        const file = join(dir, `${build}-${rate}.pb.gz`);
        await fetchProfile(service.pprofUrl!, SECONDS, file);
        const c1 = await serviceCpuNs(service);
        const wall = (Date.now() - w0) / 1000;
        const t1 = threads(pid);
        await load;
        const prof = decodeCpuProfile(readFileSync(file), file);
        const sampled = prof.samples.reduce((s, x) => s + x.cpuNanos, 0) / 1e9;
        const measured = (c1!.ns - c0!.ns) / 1e9;
        const perThread = [...t1].map(([tid, t]) => ({
          tid,
          name: t.name,
          s: (t.ns - (t0.get(tid)?.ns ?? 0)) / 1e9,
          slices: t.slices - (t0.get(tid)?.slices ?? 0),
          born: !t0.has(tid),
        }));
        const threadSum = perThread.reduce((s, t) => s + t.s, 0);
        const busy = perThread.filter((t) => t.s > 0.0005);
        console.log(
          `${build} ${rate} rps: samples ${sampled.toFixed(3)} s, ${c1!.source} ${measured.toFixed(3)} s (threads ${threadSum.toFixed(3)} s) over ${wall.toFixed(2)} s wall (profile ${(prof.durationNanos / 1e9).toFixed(2)} s): coverage ${(sampled / measured).toFixed(3)}; unsampled ${(measured - sampled).toFixed(3)} s; ${busy.length} busy threads (remainder bound ${(busy.length * 0.01).toFixed(2)} s)`,
        );
        console.log(
          '  threads: ' +
            busy
              .sort((a, b) => b.s - a.s)
              .map(
                (t) =>
                  `${t.tid}${t.born ? '*' : ''} ${t.s.toFixed(3)} s in ${t.slices} slices (${((t.s / Math.max(1, t.slices)) * 1000).toFixed(2)} ms each)`,
              )
              .join(', '),
        );
      } finally {
        await service.stop(3000);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
