/**
 * Response-digest cost benchmark (prints figures; not a timed test): the generator's extra CPU per
 * request when every k6 request keeps its body and records a sha256 digest (DIGESTS=1,
 * scenarios/lib/request.ts), measured side by side against the same run without (DIGESTS=0).
 *
 * Starts the reference rust build on 127.0.0.1 (fast answers, so k6 is the busy side), writes a seeded
 * corpus, then runs scenarios/steady.ts at RATE rps for SECONDS s, alternating off/on REPS times (ABAB,
 * so drift on a shared machine hits both alike). k6's CPU is the children's user+sys time from bash's
 * `times` (getrusage of the exited k6, exact, not sampled). k6's start-up (compiling the script, loading
 * the corpus) costs the same fixed CPU whatever the load, so each pair also runs an idle k6 (1 rps for
 * 1 s) and the figures are (CPU − idle CPU) / requests. Prints per pair and the median of the per-pair
 * differences, in µs of generator CPU per request and as a share of the run without digests.
 *
 * Usage: node --import tsx bench/digests.ts [--rate 200] [--seconds 10] [--reps 3] [--count 2000]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus, toNdjsonLine } from '../src/corpus/index.js';
import { k6Binary, scenariosDir } from '../src/drivers/paths.js';
import { referenceBinary } from '../src/trial/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RATE = arg('rate', 200);
const SECONDS = arg('seconds', 10);
const REPS = arg('reps', 3);
const COUNT = arg('count', 2000);

const dir = mkdtempSync(join(tmpdir(), 'hotswap-bench-digests-'));
const corpus = join(dir, 'corpus.ndjson');
writeFileSync(corpus, [...generateCorpus({ seed: 42, count: COUNT })].map(toNdjsonLine).join('\n'));

const service = spawn(referenceBinary('rust'), ['-addr', '127.0.0.1:0'], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, GOMAXPROCS: '1' },
});
const baseUrl = await new Promise<string>((ok, fail) => {
  let text = '';
  const onData = (b: Buffer) => {
    text += b.toString();
    const m = /listening on (127\.0\.0\.1:\d+)/.exec(text);
    if (m) ok(`http://${m[1]}`);
  };
  service.stdout.on('data', onData);
  service.stderr.on('data', onData);
  service.on('exit', (code) => fail(new Error(`service exited ${code}: ${text}`)));
});

/** One k6 run; returns its CPU seconds (user + sys) and the requests it made. */
const k6Run = (
  digests: boolean,
  i: number,
  rate = RATE,
  seconds = SECONDS,
): { cpu: number; requests: number } => {
  const tag = `${i}-${digests ? 1 : 0}-${rate}`;
  const summary = join(dir, `summary-${tag}.json`);
  const out = join(dir, `out-${tag}.csv.gz`);
  const script = `"${k6Binary()}" run --quiet --no-usage-report --out csv="${out}" --summary-export "${summary}" "${join(
    scenariosDir(),
    'steady.ts',
  )}" >/dev/null 2>&1; times`;
  const text = execFileSync('bash', ['-c', script], {
    env: {
      ...process.env,
      BASE_URL: baseUrl,
      CORPUS: corpus,
      RATE: String(rate),
      DURATION: String(seconds),
      DIGESTS: digests ? '1' : '0',
      K6_CSV_TIME_FORMAT: 'unix_micro',
    },
    encoding: 'utf8',
  });
  // `times`: shell user/sys, then children user/sys, e.g. "0m1.234s 0m0.456s".
  const child = text.trim().split('\n').at(-1)!.split(/\s+/);
  const secs = (t: string): number => {
    const m = /(\d+)m([\d.]+)s/.exec(t)!;
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const s = JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { count?: number }> };
  return { cpu: secs(child[0]!) + secs(child[1]!), requests: s.metrics['http_reqs']?.count ?? 0 };
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

try {
  console.log(
    `k6 steady ${RATE} rps × ${SECONDS} s against the rust build, corpus ${COUNT} lines, ${REPS} pairs`,
  );
  const diffs: number[] = [];
  const shares: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const idle = k6Run(true, i, 1, 1).cpu;
    const off = k6Run(false, i);
    const on = k6Run(true, i);
    const usOff = ((off.cpu - idle) / off.requests) * 1e6;
    const usOn = ((on.cpu - idle) / on.requests) * 1e6;
    diffs.push(usOn - usOff);
    shares.push(usOn / usOff - 1);
    console.log(
      `pair ${i + 1} (idle k6 ${idle.toFixed(2)} s CPU): off ${usOff.toFixed(0)} µs/request (${off.requests} req, ${off.cpu.toFixed(2)} s CPU), on ${usOn.toFixed(0)} µs/request (${on.requests} req, ${on.cpu.toFixed(2)} s CPU): +${(usOn - usOff).toFixed(0)} µs (${((usOn / usOff - 1) * 100).toFixed(1)} %)`,
    );
  }
  console.log(
    `median extra generator CPU for digests: ${median(diffs).toFixed(0)} µs per request (${(median(shares) * 100).toFixed(1)} % of k6's CPU without digests)`,
  );
} finally {
  service.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
