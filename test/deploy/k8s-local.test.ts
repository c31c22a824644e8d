/**
 * The Kubernetes path end to end, without a cluster: what the k6-operator would run, run here with the
 * real k6 against the real reference service on 127.0.0.1, then collected and judged as collect.sh does.
 *
 *   build-scenario.sh          → the bundled scenario the ConfigMap carries (checked by `k6 inspect`)
 *   testrun-<arm>.yaml         → per pod: `k6 run` with the operator's execution segment, the manifest's own
 *                                `arguments` ($(POD_NAME) expanded as Kubernetes does, /data → a temp dir)
 *                                and its env (BASE_URL pointed at the local service, RATE/DURATION shortened)
 *   run-trial.sh's scrapes     → /metrics before and after each run
 *   collect.sh + assemble-trial → a trial folder that the store's manifest reader and the ingest accept,
 *                                with both pods' outputs merged into one run of rate × duration requests
 * Only the cluster is missing: the operator's job creation and the volume are a temp folder, and `kubectl cp`
 * is a stand-in script that copies it (the only fake).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildRunRecords, groupRuns, pickPhase } from '../../deploy/k8s/assemble-trial.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { generateCorpus, toNdjsonLine } from '../../src/corpus/index.js';
import { k6Binary, segments } from '../../src/drivers/index.js';
import { readSampleFiles } from '../../src/ingest/index.js';
import { EXIT } from '../../src/model/index.js';
import { parsePlan } from '../../src/plan/index.js';
import { readManifest } from '../../src/store/index.js';
import { ROOT, asRecord, at, loadYaml, serviceBinary, startService } from './helpers.js';

const RATE = 30;
const SECONDS = 5;
const PODS = 2;
const ARMS = [
  { role: 'baseline', build: 'baseline' },
  { role: 'candidate', build: 'rust' },
] as const;

const planYaml = (urls: Record<string, string>): string => `
name: k8s local
seed: 1
configurations:
  baseline: { kind: url, name: pure Go, url: '${urls.baseline}', metricsUrl: '${urls.baseline}/metrics' }
  candidate: { kind: url, name: Rust hotspot, url: '${urls.candidate}', metricsUrl: '${urls.candidate}/metrics' }
phases:
  - { name: steady, driver: k6, scenario: steady, rateRps: ${RATE}, durationSeconds: ${SECONDS} }
repetitions: 1
order: interleaved
warmupSeconds: 0
slo: { quantile: 0.99, latencyMs: 1000, maxErrorRate: 0.5 }
capacity: { peakRps: 100, redundancy: 1, costPerInstanceHour: 0.1, currency: USD, coresPerInstance: 1, targetUtilisation: 0.65 }
passLines: [{ id: errors, text: no new error classes, check: no-new-error-classes }]
stopRules: []
onRunFailure: continue
pinCpus: false
`;

describe('assemble-trial: grouping files gathered elsewhere into runs', () => {
  it('orders runs by repetition, baseline first, and merges every pod of a run', () => {
    const runs = groupRuns([
      'hotswap-candidate-r1-1-bbbbb.csv.gz',
      'hotswap-baseline-r2-2-ccccc.csv.gz',
      'hotswap-baseline-r1-2-aaaab.csv.gz',
      'hotswap-baseline-r1-1-aaaaa.csv.gz',
      'hotswap-baseline-r1.before.prom',
      'hotswap-baseline-r1.after.prom',
      'hotswap-baseline-r1-1-aaaaa.summary.json',
      'README.txt',
    ]);
    assert.deepEqual(
      runs.map((r) => [r.role, r.repetition, r.outputs.length]),
      [
        ['baseline', 1, 2],
        ['candidate', 1, 1],
        ['baseline', 2, 1],
      ],
    );
    assert.equal(runs[0]!.metricsBefore, 'hotswap-baseline-r1.before.prom');
    assert.equal(runs[0]!.summaries.length, 1);
  });

  it('refuses a run that has scrapes but no k6 output (a silently lost repetition)', () => {
    assert.throws(
      () => groupRuns(['hotswap-candidate-r3.before.prom']),
      /no k6 output .* candidate repetition 3/,
    );
  });

  it('names the run ids and raw paths as hotswap run does, and says when scrapes are missing', () => {
    const plan = parsePlan(
      planYaml({ baseline: 'http://127.0.0.1:1', candidate: 'http://127.0.0.1:2' }),
      'p.yaml',
    );
    const found = groupRuns([
      'x-baseline-r1-1-a.csv.gz',
      'x-baseline-r1-2-b.csv.gz',
      'x-candidate-r1-1-c.csv',
    ]);
    const runs = buildRunRecords(plan, pickPhase(plan), found, 'v2.2.0');
    assert.deepEqual(
      runs.map((r) => [r.id, r.order, r.raw.outputs]),
      [
        [
          'r000-baseline-steady',
          0,
          ['raw/r000-baseline-steady/k6-0.csv.gz', 'raw/r000-baseline-steady/k6-1.csv.gz'],
        ],
        ['r001-candidate-steady', 1, ['raw/r001-candidate-steady/k6-0.csv']],
      ],
    );
    assert.ok(runs.every((r) => r.warnings.some((w) => w.code === 'no-scrapes')));
    assert.throws(() => pickPhase(plan, 'ramp'), /--phase: no k6 phase ramp/);
  });
});

const bins = ARMS.map((a) => serviceBinary(a.build));
const skip = bins.find((b) => b.skip)?.skip ?? false;

describe(
  'a k6-operator trial, run locally: manifests → real k6 pods → assemble-trial → trial folder',
  { skip },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotswap-k8s-local-'));
    const data = join(dir, 'data');
    const collected = join(dir, 'k6-out');
    const stops: (() => Promise<number | null>)[] = [];
    const urls: Record<string, string> = {};

    before(async () => {
      mkdirSync(join(data, 'out'), { recursive: true });
      mkdirSync(collected, { recursive: true });
      const lines = [
        ...generateCorpus({
          seed: 5,
          count: 300,
          mix: { scan: 30, fields: 40, orders: 30 },
          messyShare: 0,
          scanMedianBytes: 2048,
        }),
      ];
      writeFileSync(join(data, 'corpus.ndjson'), `${lines.map(toNdjsonLine).join('\n')}\n`);
      for (const [i, arm] of ARMS.entries()) {
        const svc = await startService(bins[i]!.path, ['-downstream-ms', '20'], {
          HOTSWAP_ADDR: '127.0.0.1:0',
        });
        stops.push(svc.stop);
        urls[arm.role] = svc.url;
      }
    });
    after(async () => {
      for (const stop of stops) await stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('bundles the steady scenario for the ConfigMap and k6 accepts it', () => {
      const r = spawnSync('bash', [join(ROOT, 'deploy/k8s/build-scenario.sh'), 'steady'], {
        encoding: 'utf8',
        env: { ...process.env, OUT_DIR: join(dir, 'build') },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(
        readFileSync(join(dir, 'build/scenario.js'), 'utf8'),
        /from ["']\.\/lib\//,
        'no relative imports left',
      );
    });

    it('runs each arm as the operator would: one k6 per pod, its segment, the manifest’s arguments and env', async () => {
      const seg = segments(PODS);
      for (const arm of ARMS) {
        const tr = asRecord(loadYaml(`deploy/k8s/testrun-${arm.role}.yaml`));
        const name = `hotswap-${arm.role}-r1`;
        const env: Record<string, string> = {};
        for (const e of at(tr, 'spec', 'runner', 'env') as { name: string; value?: string }[])
          if (e.value !== undefined) env[e.name] = e.value;
        Object.assign(env, {
          BASE_URL: urls[arm.role]!,
          CORPUS: join(data, 'corpus.ndjson'),
          RATE: String(RATE),
          DURATION: String(SECONDS),
        });
        const scrape = async (when: string): Promise<void> => {
          const text = await (await fetch(`${urls[arm.role]}/metrics`)).text();
          writeFileSync(join(collected, `${name}.${when}.prom`), text);
        };
        await scrape('before');
        const pods = Array.from({ length: PODS }, (_, i) => {
          const pod = `${name}-${i + 1}-pod${i}`;
          // Kubernetes expands $(POD_NAME) from the pod's env; the volume is mounted at /data.
          const args = String(at(tr, 'spec', 'arguments'))
            .split(/\s+/)
            .filter(Boolean)
            .map((a) => a.replaceAll('$(POD_NAME)', pod).replaceAll('/data/', `${data}/`));
          const argv = [
            'run',
            '--quiet',
            '--execution-segment',
            seg.segment(i),
            '--execution-segment-sequence',
            seg.sequence,
            ...args,
          ];
          argv.push(
            join(dir, 'build/scenario.js'),
            '--tag',
            `instance_id=${i + 1}`,
            '--tag',
            `testrun_name=${name}`,
          );
          return new Promise<number | null>((res) => {
            const child = spawn(k6Binary(), argv, {
              env: { ...process.env, ...env, K6_NO_USAGE_REPORT: 'true' },
            });
            let err = '';
            child.stderr.on('data', (d: Buffer) => (err += d.toString()));
            child.on('exit', (code) => {
              if (code !== 0) console.log(`# k6 pod ${pod}: ${err.slice(-500)}`);
              res(code);
            });
          });
        });
        // The operator starts the pods together (its starter un-pauses them at once); so does this.
        for (const status of await Promise.all(pods))
          assert.equal(status, 0, 'no threshold crossed, no error');
        await scrape('after');
      }
      const csvs = readdirSync(join(data, 'out')).filter((f) => f.endsWith('.csv.gz'));
      assert.equal(csvs.length, PODS * ARMS.length, csvs.join(', '));
    });

    it('assembles a trial folder that the store and the ingest read as one run per arm of rate × duration requests', async () => {
      const planFile = join(dir, 'plan.yaml');
      writeFileSync(planFile, planYaml(urls));
      const trial = join(dir, 'trial');
      // collect.sh with a stand-in kubectl whose `cp pod:/data/out DEST` copies the volume's folder.
      const bin = join(dir, 'bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(
        join(bin, 'kubectl'),
        `#!/bin/sh\ncase "$*" in *" cp hotswap-collector:/data/out "*) for a; do dest="$a"; done; mkdir -p "$dest/out" && cp '${data}'/out/* "$dest/out/" ;; *) exit 1 ;; esac\n`,
      );
      chmodSync(join(bin, 'kubectl'), 0o755);
      const r = spawnSync('bash', [join(ROOT, 'deploy/k8s/collect.sh')], {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH}`,
          PLAN: planFile,
          OUT: collected,
          TRIAL_DIR: trial,
          ANALYZE: '0',
        },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`collect: ${PODS * ARMS.length} k6 output file\\(s\\)`));
      const manifest = await readManifest(trial);
      assert.deepEqual(
        manifest.runs.map((x) => [x.id, x.role, x.raw.outputs.length]),
        [
          ['r000-baseline-steady', 'baseline', PODS],
          ['r001-candidate-steady', 'candidate', PODS],
        ],
      );
      const expected = RATE * SECONDS;
      for (const run of manifest.runs) {
        const set = await readSampleFiles(
          run.raw.outputs.map((o) => join(trial, o)),
          { runId: run.id },
        );
        console.log(
          `# k8s-local ${run.id}: ${set.n} requests from ${run.raw.outputs.length} pods (expected ${expected})`,
        );
        assert.ok(
          Math.abs(set.n - expected) <= expected * 0.01 + 1,
          `${run.id}: ${set.n} requests, expected ${expected}`,
        );
        assert.ok(run.raw.metricsBefore && run.raw.metricsAfter, 'scrapes carried over');
        assert.match(readFileSync(join(trial, run.raw.metricsAfter), 'utf8'), /hotswap_requests_total/);
        assert.ok(!run.warnings.some((w) => w.code === 'no-scrapes'));
      }
      const plan = JSON.parse(readFileSync(join(trial, 'plan.json'), 'utf8')) as { name: string };
      assert.equal(plan.name, 'k8s local');
    });

    it('hotswap analyze judges the assembled folder and hotswap report renders it', async () => {
      const trial = join(dir, 'trial');
      const io = memoryIo();
      const code = await main(['analyze', trial], io);
      assert.ok(
        [EXIT.ok, EXIT.drop, EXIT.inconclusive].includes(code as 0 | 1 | 4),
        `analyze exit ${code}: ${io.err()}`,
      );
      const model = JSON.parse(readFileSync(join(trial, 'report.json'), 'utf8')) as {
        verdict: { decision: string };
        runs: unknown[];
      };
      assert.ok(['keep', 'drop', 'inconclusive'].includes(model.verdict.decision));
      console.log(`# k8s-local analyze: exit ${code}, verdict ${model.verdict.decision}`);
      const rio = memoryIo();
      assert.equal(await main(['report', trial, '--format', 'md,html'], rio), 0, rio.err());
      assert.match(readFileSync(join(trial, 'report.md'), 'utf8'), /k8s local/);
    });

    it('says what is wrong, in one line with exit 2, when the plan is missing', () => {
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'deploy/k8s/assemble-trial.ts'),
          '--plan',
          join(dir, 'nope.yaml'),
          '--from',
          collected,
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^assemble-trial: --plan .*nope\.yaml: cannot read: ENOENT\n$/);
    });
  },
);
