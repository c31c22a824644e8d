import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { generateCorpus, toNdjsonLine } from '../../src/corpus/index.js';
import { k6Binary } from '../../src/drivers/index.js';
import { HANDLER_CLOCK_ASSUMPTION } from '../../src/analysis/canary.js';
import { canarySpecOf, queryRange, renderQueries } from '../../src/canary/index.js';
import { CANARY_QUERIES, type ReportModel } from '../../src/model/index.js';
import { parsePlan } from '../../src/plan/index.js';
import { killAll, startService } from '../service/start.js';
import { PROMETHEUS_BIN, startPrometheus, waitForTargetsUp, type StartedPrometheus } from './prometheus.js';

/**
 * The canary end to end with real parts: the reference rust build at a 50 % Rust share, a real
 * Prometheus (Debian's package) scraping it every second, real k6 load, then `hotswap canary` with a
 * short window, reading the default queries (the service's own http_request_duration_seconds and
 * hotswap_requests_total by impl). A fault drill on a second service checks that every default
 * template returns data from a real scrape.
 */
const work = mkdtempSync(join(tmpdir(), 'hotswap-canary-'));
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

const k6 = (baseUrl: string, rate: number, seconds: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const p = spawn(
      k6Binary(),
      [
        'run',
        '-q',
        ...[
          '-e',
          `BASE_URL=${baseUrl}`,
          '-e',
          `CORPUS=${corpus}`,
          '-e',
          `RATE=${rate}`,
          '-e',
          `DURATION=${seconds}`,
        ],
        'scenarios/steady.ts',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    p.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    p.once('error', reject);
    p.once('exit', (code) =>
      code === 0 || code === 99 ? resolve(code) : reject(new Error(`k6 exited ${code}: ${err}`)),
    );
  });

/** plans/reference-canary.yaml with the test's split, window unit and floor (its default queries). */
const writePlan = (name: string, canary: string): string => {
  const base = readFileSync('plans/reference-canary.yaml', 'utf8').replace(
    /\ncanary:[\s\S]*?\nonRunFailure/,
    '\nonRunFailure',
  );
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `${base}\ncanary:\n${canary}`);
  return file;
};

const canary = async (args: string[]): Promise<{ code: number; model?: ReportModel; err: string }> => {
  const io = memoryIo();
  const code = await main(['canary', ...args, '--out', join(work, 'out'), '--json'], io);
  const out = io.out();
  return { code, err: io.err(), ...(out ? { model: JSON.parse(out) as ReportModel } : {}) };
};

describe(
  'hotswap canary against a real Prometheus',
  { skip: !existsSync(PROMETHEUS_BIN) && 'no prometheus (run scripts/ensure-system-packages.sh)' },
  () => {
    let split: { url: string; prom: StartedPrometheus; end: number };

    before(async () => {
      const svc = await startService('rust', ['-impl', 'rust', '-rust-share', '50']);
      const prom = await startPrometheus([svc.url.replace('http://', '')]);
      proms.push(prom);
      await waitForTargetsUp(prom.url, 1);
      await k6(svc.url, 30, 70);
      await new Promise((r) => setTimeout(r, 3000)); // the last scrapes
      split = { url: svc.url, prom, end: Math.floor(Date.now() / 1000) };
    });

    it("judges a 50 % impl split: Rust faster on scan (the lab trial's direction), a complete canary folder with the Kayenta archive", async () => {
      const plan = writePlan(
        'split',
        [`  unit: 5s`, `  step: 5s`, `  minRequestsPerWindow: 20`, ''].join('\n'),
      );
      const r = await canary([
        '--plan',
        plan,
        '--prometheus',
        split.prom.url,
        '--window',
        '60s',
        '--end',
        String(split.end),
      ]);
      assert.ok(r.model, r.err);
      const m = r.model;
      const c = m.canary!;
      console.log(
        `# canary 50 % split: ${m.verdict.decision}; ${c.windowsUsed}/${c.windows.length} windows; ` +
          m.comparisons
            .filter((x) => x.metric === 'latencyMs')
            .map((x) => `${x.endpoint} p${x.quantile! * 100} ${((x.ratio - 1) * 100).toFixed(1)} %`)
            .join(', ') +
          `; ${m.verdict.reasons.join(' | ')}`,
      );
      assert.equal(r.code, { keep: 0, drop: 1, inconclusive: 4 }[m.verdict.decision]);
      assert.ok(c.windowsUsed >= 8, `windows used: ${c.windowsUsed}`);
      // The share on Rust is about half (the service's -rust-share 50 applies to hotspot calls).
      const share = c.windows.filter((w) => w.used).map((w) => w.candidateShare);
      const meanShare = share.reduce((s, x) => s + x, 0) / share.length;
      assert.ok(meanShare > 0.3 && meanShare < 0.7, `candidate share ${meanShare}`);
      const scan = m.comparisons.find(
        (x) => x.endpoint === 'scan' && x.metric === 'latencyMs' && x.quantile === 0.99,
      );
      assert.ok(scan, 'a scan p99 comparison');
      assert.ok(
        scan.ratio < 1,
        `scan p99 ratio ${scan.ratio}: the Rust path should be faster, as in the lab`,
      );
      assert.match(scan.method, /^wilcoxon-signed-rank-/);
      // The defaults read the service's handler histogram, and the report says what that clock misses.
      assert.match(c.queries.latencyBuckets ?? '', /http_request_duration_seconds_bucket/);
      assert.ok(c.assumptions.includes(HANDLER_CLOCK_ASSUMPTION));
      assert.equal(c.cpuSeparable, false);
      assert.ok(m.warnings.some((w) => w.code === 'cpu-not-separable'));
      const dir = join(work, 'out', m.trial.id);
      for (const f of [
        'plan.json',
        'raw/queries.json',
        'report.json',
        'report.html',
        'report.md',
        'kayenta-archive.json',
      ])
        assert.ok(existsSync(join(dir, f)), f);
      const archive = JSON.parse(readFileSync(join(dir, 'kayenta-archive.json'), 'utf8')) as {
        results: { name: string; values: { control: number[]; experiment: number[] } }[];
      };
      assert.ok(
        archive.results.some(
          (x) => x.name === 'latencyMs_p99' && x.values.control.length === scan.baseline.values.length,
        ),
      );
      // Re-judged offline from what it read: the same comparisons.
      const again = await canary([
        '--plan',
        plan,
        '--from-file',
        join(dir, 'raw/queries.json'),
        '--window',
        '60s',
      ]);
      assert.ok(again.model, again.err);
      assert.deepEqual(
        again.model.comparisons.map((x) => [x.endpoint, x.metric, x.quantile, x.ratio]),
        m.comparisons.map((x) => [x.endpoint, x.metric, x.quantile, x.ratio]),
      );
      if (process.env.HOTSWAP_WRITE_CANARY_FIXTURE)
        writeFileSync(process.env.HOTSWAP_WRITE_CANARY_FIXTURE, readFileSync(join(dir, 'raw/queries.json')));
    });

    it('a query without data is bad input (exit 2) and leaves no folder behind', async () => {
      const plan = writePlan(
        'nodata',
        [
          '  unit: 5s',
          '  step: 5s',
          '  queries:',
          "    requests: 'sum by (impl) (increase(no_such_metric_total[5s]))'",
          '',
        ].join('\n'),
      );
      const before = existsSync(join(work, 'out')) ? readdirSync(join(work, 'out')).length : 0;
      const r = await canary([
        '--plan',
        plan,
        '--prometheus',
        split.prom.url,
        '--window',
        '60s',
        '--end',
        String(split.end),
      ]);
      assert.equal(r.code, 2);
      assert.match(r.err, /canary\.queries\.requests: no data/);
      assert.equal(existsSync(join(work, 'out')) ? readdirSync(join(work, 'out')).length : 0, before);
    });

    it('a Prometheus that cannot be reached is exit 3 with one line', async () => {
      const plan = writePlan('down', ['  unit: 5s', '  step: 5s', ''].join('\n'));
      const r = await canary(['--plan', plan, '--prometheus', 'http://127.0.0.1:9', '--window', '60s']);
      assert.equal(r.code, 3);
      assert.match(r.err, /cannot reach Prometheus at http:\/\/127\.0\.0\.1:9/);
      assert.equal(
        r.err
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('hotswap:')).length,
        1,
      );
    });

    it('A/A: two instances of the same baseline build, split by instance, is not keep', async () => {
      const a = await startService('baseline');
      const b = await startService('baseline');
      const hostA = a.url.replace('http://', '');
      const hostB = b.url.replace('http://', '');
      const prom = await startPrometheus([hostA, hostB]);
      proms.push(prom);
      await waitForTargetsUp(prom.url, 2);
      await Promise.all([k6(a.url, 15, 50), k6(b.url, 15, 50)]);
      await new Promise((r) => setTimeout(r, 3000));
      const end = Math.floor(Date.now() / 1000);
      const plan = writePlan(
        'aa',
        [
          `  split: { label: instance, baseline: ['${hostA}'], candidate: ['${hostB}'] }`,
          '  unit: 5s',
          '  step: 5s',
          '  minRequestsPerWindow: 20',
          '',
        ].join('\n'),
      );
      const r = await canary([
        '--plan',
        plan,
        '--prometheus',
        prom.url,
        '--window',
        '40s',
        '--end',
        String(end),
      ]);
      assert.ok(r.model, r.err);
      const m = r.model;
      console.log(
        `# canary A/A: ${m.verdict.decision}; ${m.canary!.windowsUsed} windows; ${m.verdict.reasons.join(' | ')}`,
      );
      assert.notEqual(m.verdict.decision, 'keep');
      assert.notEqual(r.code, 0);
      assert.equal(m.canary!.cpuSeparable, true);
      assert.ok(
        m.comparisons.some((x) => x.metric === 'cpuSecondsPerRequest'),
        'CPU per request judged with separate processes',
      );
    });

    it('every default query template returns data from a real scrape of the reference service (a fault drill makes fallbacks and breaker opens)', async () => {
      const token = 'canary-drill';
      const svc = await startService('rust', [
        ...['-impl', 'rust', '-rust-share', '50', '-allow-fault-injection', '-admin-token', token],
        ...['-breaker-open-for', '3s', '-breaker-min-calls', '5'],
      ]);
      const prom = await startPrometheus([svc.url.replace('http://', '')]);
      proms.push(prom);
      await waitForTargetsUp(prom.url, 1);
      const fault = (faultRate: number) =>
        fetch(`${svc.url}/admin/hotspot`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ faultRate }),
        }).then((r) => assert.equal(r.status, 200, `faultRate ${faultRate}`));
      const load = k6(svc.url, 20, 30);
      await new Promise((r) => setTimeout(r, 8000));
      await fault(0.5);
      await new Promise((r) => setTimeout(r, 8000));
      await fault(0);
      await load;
      await new Promise((r) => setTimeout(r, 3000));
      const end = Math.floor(Date.now() / 1000);
      const range = { start: end - 40, end, stepSeconds: 5 };
      const impl = renderQueries(
        canarySpecOf(parsePlan(readFileSync('plans/reference-canary.yaml', 'utf8'), 'plan')),
        '5s',
      );
      // CPU seconds are read only with separate processes (an instance split): render that one so.
      const byInstance = renderQueries(
        {
          ...canarySpecOf(parsePlan(readFileSync('plans/reference-canary.yaml', 'utf8'), 'plan')),
          split: { label: 'instance', baseline: [], candidate: [] },
        },
        '5s',
      );
      const rendered = { ...impl, cpuSeconds: byInstance.cpuSeconds };
      assert.deepEqual(Object.keys(rendered).sort(), [...CANARY_QUERIES].sort());
      const empty: string[] = [];
      for (const name of CANARY_QUERIES) {
        const query = rendered[name]!;
        const result = await queryRange(prom.url, { name, query, ...range });
        const points = result.reduce((n, x) => n + x.values.length, 0);
        console.log(`# ${name}: ${result.length} series, ${points} points: ${query}`);
        if (points === 0) empty.push(name);
      }
      assert.deepEqual(empty, [], 'templates without data');
    });
  },
);
