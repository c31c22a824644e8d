import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { generateCorpus, toNdjsonLine } from '../../src/corpus/index.js';
import { k6Binary } from '../../src/drivers/index.js';
import type { ReportModel } from '../../src/model/index.js';
import { killAll, startService } from '../service/start.js';
import { PROMETHEUS_BIN, startPrometheus, waitForTargetsUp, type StartedPrometheus } from './prometheus.js';

/**
 * docker-compose's `metrics` profile as the README's next step describes it, with real parts and no
 * Docker: the shipped deploy/prometheus/prometheus.yml (its two targets pointed at a local pure-Go
 * `baseline` build and a local `rust` build at a 50 % Rust share, as HOTSWAP_RUST_SHARE=50 makes the
 * compose `rust` container), real k6 load on both, then `hotswap canary --plan deploy/compose/canary.yaml`.
 * The baseline container's series carry impl="go" too: the compose plan must leave them out (its
 * queries select arm="candidate"), where the reference plan's defaults mix them into the Go arm.
 */
const work = mkdtempSync(join(tmpdir(), 'hotswap-compose-canary-'));
const corpus = join(work, 'corpus.ndjson');
writeFileSync(
  corpus,
  [...generateCorpus({ seed: 7, count: 600, mix: { scan: 60, fields: 30, orders: 10 }, messyShare: 0 })]
    .map(toNdjsonLine)
    .join('\n') + '\n',
);
const proms: StartedPrometheus[] = [];
after(async () => {
  await Promise.all(proms.map((p) => p.stop()));
  await killAll();
  rmSync(work, { recursive: true, force: true });
});

const k6 = (baseUrl: string, rate: number, seconds: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const args = ['run', '-q', '-e', `BASE_URL=${baseUrl}`, '-e', `CORPUS=${corpus}`];
    args.push('-e', `RATE=${rate}`, '-e', `DURATION=${seconds}`, 'scenarios/steady.ts');
    const p = spawn(k6Binary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    p.once('error', reject);
    p.once('exit', (code) =>
      code === 0 || code === 99 ? resolve() : reject(new Error(`k6 exited ${code}: ${err}`)),
    );
  });

/** The plan with a floor fit for 10 s windows (its own 100 requests is for 1-minute windows). */
const shortWindows = (file: string): string => {
  const text = readFileSync(file, 'utf8');
  assert.match(text, /minRequestsPerWindow: 100\n/);
  const out = join(work, file.replaceAll('/', '_'));
  writeFileSync(out, text.replace('minRequestsPerWindow: 100\n', 'minRequestsPerWindow: 20\n'));
  return out;
};

const canary = async (file: string, end: number): Promise<ReportModel> => {
  const io = memoryIo();
  const args = ['canary', '--plan', shortWindows(file), '--prometheus', prom.url, '--window', '60s'];
  args.push('--step', '5s', '--unit', '10s', '--end', String(end), '--out', join(work, 'out'), '--json');
  const code = await main(args, io);
  assert.ok([0, 1, 4].includes(code), io.err());
  return JSON.parse(io.out()) as ReportModel;
};

const meanShare = (m: ReportModel): number => {
  const used = m.canary!.windows.filter((w) => w.used);
  const why = m.canary!.windows.map((w) => w.skippedReason).filter(Boolean);
  assert.ok(used.length >= 5, `windows used: ${used.length}; ${why.join('; ')}`);
  return used.reduce((a, w) => a + w.candidateShare, 0) / used.length;
};

let prom: StartedPrometheus;

describe(
  'deploy/compose/canary.yaml against the shipped compose Prometheus config',
  { skip: !existsSync(PROMETHEUS_BIN) && 'no prometheus (run scripts/ensure-system-packages.sh)' },
  () => {
    it('judges only the rust container (arm="candidate"): its Go/Rust share is about half, where the defaults would mix in the baseline container', async () => {
      const baseline = await startService('baseline');
      const rust = await startService('rust', ['-impl', 'rust', '-rust-share', '50']);
      const config = readFileSync('deploy/prometheus/prometheus.yml', 'utf8')
        .replace("'baseline:8080'", `'${baseline.url.replace('http://', '')}'`)
        .replace("'rust:8080'", `'${rust.url.replace('http://', '')}'`)
        .replace(/scrape_interval: \d+s/, 'scrape_interval: 1s')
        .replace(/scrape_timeout: \d+s/, 'scrape_timeout: 1s');
      assert.ok(!config.includes(':8080'), 'both compose targets rewritten');
      prom = await startPrometheus([], 1, config);
      proms.push(prom);
      await waitForTargetsUp(prom.url, 2);
      await Promise.all([k6(rust.url, 30, 70), k6(baseline.url, 15, 70)]);
      await new Promise((r) => setTimeout(r, 3000));
      const end = Math.floor(Date.now() / 1000);

      const compose = await canary('deploy/compose/canary.yaml', end);
      const share = meanShare(compose);
      const mixed = meanShare(await canary('plans/reference-canary.yaml', end));
      console.log(
        `# compose canary: ${compose.verdict.decision}, share on Rust ${share.toFixed(3)} (defaults, baseline container mixed in: ${mixed.toFixed(3)})`,
      );
      // 30 rps at 50 %: 15 rps per arm. Mixed in, the Go arm gets the baseline container's 15 rps too: 1/3.
      assert.ok(share > 0.42 && share < 0.58, `compose plan share ${share}`);
      assert.ok(mixed < 0.4, `defaults share ${mixed}`);
      assert.ok(Object.values(compose.canary!.queries).every((q) => q.includes('arm="candidate"')));
      const scan = compose.comparisons.find(
        (c) => c.endpoint === 'scan' && c.metric === 'latencyMs' && c.quantile === 0.99,
      );
      assert.ok(scan && scan.ratio < 1, `scan p99 ratio ${scan?.ratio}`);
    });
  },
);
