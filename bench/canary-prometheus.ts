/**
 * Canary query benchmark (a script that prints figures, not a timed test): how long `hotswap canary`'s
 * Prometheus range queries take for a 14-day window at a 5-minute step.
 *
 * 1. Writes 14 days of synthetic OpenMetrics for the reference service's series (the defaults of
 *    src/canary/queries.ts): http_request_duration_seconds{endpoint, impl} with BUCKETS buckets and
 *    hotswap_requests_total{endpoint, impl, outcome}, one sample per series every SCRAPE seconds
 *    (default 60), a diurnal load, half the traffic on Rust, Rust 20 % faster on scan. Seeded.
 * 2. Backfills it with `promtool tsdb create-blocks-from openmetrics` (Debian's prometheus package).
 * 3. Starts Prometheus on 127.0.0.1 over those blocks and runs `runCanary` (--window 14d --step 5m
 *    --unit 1h) against it REPS times (default 3), printing each query's time and the whole.
 *
 * Usage: node --import tsx bench/canary-prometheus.ts [--days 14] [--scrape 60] [--reps 3] [--keep]
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCanary } from '../src/canary/index.js';
import { createRng } from '../src/analysis/stats/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DAYS = arg('days', 14);
const SCRAPE = arg('scrape', 60);
const REPS = arg('reps', 3);
const KEEP = process.argv.includes('--keep');
const LE = [0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1];
const ENDPOINTS = {
  scan: { rps: 20, medianS: 0.012 },
  fields: { rps: 10, medianS: 0.002 },
  orders: { rps: 4, medianS: 0.02 },
};
const IMPLS = { go: 0.5, rust: 0.495, 'go-fallback': 0.005 } as const;

const normCdf = (z: number): number => {
  // Abramowitz-Stegun 7.1.26 is enough for synthetic bucket shares
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
};

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const write = async (file: string, end: number): Promise<number> => {
  const out = createWriteStream(file);
  let lines = 0;
  const put = async (line: string): Promise<void> => {
    lines++;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  const start = end - DAYS * 86400;
  const steps = Math.floor((end - start) / SCRAPE);
  const load = (i: number): number => 1 + 0.6 * Math.sin((2 * Math.PI * (i * SCRAPE)) / 86400);
  await put('# HELP http_request_duration_seconds Request latency.');
  await put('# TYPE http_request_duration_seconds histogram');
  for (const [endpoint, e] of Object.entries(ENDPOINTS))
    for (const [impl, share] of Object.entries(IMPLS)) {
      const median = e.medianS * (impl === 'rust' && endpoint === 'scan' ? 0.8 : 1);
      const shares = [...LE.map((le) => normCdf(Math.log(le / median) / 0.5)), 1];
      const rng = createRng(endpoint.length * 100 + impl.length);
      // one pass per series (OpenMetrics wants each series' samples in time order, families together)
      const counts: number[][] = [];
      let total = 0;
      const perStep: number[] = [];
      for (let i = 0; i < steps; i++) {
        total += e.rps * share * SCRAPE * load(i) * (0.9 + 0.2 * rng());
        perStep.push(total);
      }
      for (let b = 0; b < shares.length; b++) {
        const le = b < LE.length ? String(LE[b]) : '+Inf';
        counts[b] = perStep.map((t) => Math.round(t * shares[b]!));
        for (let i = 0; i < steps; i++)
          await put(
            `http_request_duration_seconds_bucket{endpoint="${endpoint}",impl="${impl}",le="${le}"} ${counts[b]![i]} ${start + i * SCRAPE}`,
          );
      }
      for (let i = 0; i < steps; i++)
        await put(
          `http_request_duration_seconds_sum{endpoint="${endpoint}",impl="${impl}"} ${(perStep[i]! * median * 1.13).toFixed(3)} ${start + i * SCRAPE}`,
        );
      for (let i = 0; i < steps; i++)
        await put(
          `http_request_duration_seconds_count{endpoint="${endpoint}",impl="${impl}"} ${counts[LE.length]![i]} ${start + i * SCRAPE}`,
        );
    }
  await put('# HELP hotswap_requests Requests by endpoint, impl and outcome.');
  await put('# TYPE hotswap_requests counter');
  for (const [endpoint, e] of Object.entries(ENDPOINTS))
    for (const [impl, share] of Object.entries(IMPLS))
      for (const [outcome, part] of [
        ['ok', 0.999],
        ['server_error', 0.001],
      ] as const) {
        let total = 0;
        const rng = createRng(endpoint.length * 7 + impl.length * 3 + outcome.length);
        for (let i = 0; i < steps; i++) {
          total += e.rps * share * part * SCRAPE * load(i) * (0.9 + 0.2 * rng());
          await put(
            `hotswap_requests_total{endpoint="${endpoint}",impl="${impl}",outcome="${outcome}"} ${Math.round(total)} ${start + i * SCRAPE}`,
          );
        }
      }
  await put('# EOF');
  out.end();
  await once(out, 'finish');
  return lines;
};

const main = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'hotswap-canary-bench-'));
  const end = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3 * 3600;
  const om = join(dir, 'data.om');
  let t = performance.now();
  const lines = await write(om, end);
  console.log(
    `generated ${lines} OpenMetrics lines (${(statSync(om).size / 1e6).toFixed(0)} MB, ${DAYS} d at ${SCRAPE} s) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  t = performance.now();
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', om, join(dir, 'tsdb')], {
    stdio: 'inherit',
  });
  console.log(`promtool backfill: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  rmSync(om);
  const port = await freePort();
  const prom = spawn(
    'prometheus',
    [
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=60d',
      `--config.file=${join(dir, 'p.yml')}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    execFileSync('sh', ['-c', `printf 'global:\\n  scrape_interval: 15s\\n' > ${join(dir, 'p.yml')}`]);
    for (let i = 0; i < 150; i++) {
      try {
        if ((await fetch(`${url}/-/ready`)).ok) break;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const plan = join(process.cwd(), 'plans', 'reference-canary.yaml');
    for (let rep = 1; rep <= REPS; rep++) {
      const stamps: [string, number][] = [];
      const t0 = performance.now();
      const outcome = await runCanary({
        planFile: plan,
        prometheus: url,
        window: `${DAYS}d`,
        step: '5m',
        unit: '1h',
        end: String(end),
        out: join(dir, 'out'),
        now: new Date(),
        version: 'bench',
        formats: [],
        progress: (line) => stamps.push([line, performance.now()]),
      });
      const total = performance.now() - t0;
      const per = stamps.map(
        ([line, at], i) =>
          `${line.replace(/^canary: query /, '').replace(/ \(.*/, '')} ${(((stamps[i + 1]?.[1] ?? total + t0) - at) / 1000).toFixed(2)} s`,
      );
      const queries = ((stamps.at(-1)?.[1] ?? t0) - (stamps[0]?.[1] ?? t0)) / 1000;
      console.log(
        `rep ${rep}: whole canary ${(total / 1000).toFixed(2)} s (queries + judgement + writing report.json); per query (incl. the next step): ${per.join(', ')}; decision ${outcome.model.verdict.decision}, ${outcome.model.canary!.windowsUsed} windows; ${queries.toFixed(2)} s from first to last query start`,
      );
    }
  } finally {
    prom.kill('SIGTERM');
    await once(prom, 'exit');
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
};

await main();
