/**
 * deploy/k8s: k6-operator TestRun manifests, the kustomization that makes the scenario ConfigMap, and the
 * scripts around them. No cluster runs here, so the manifests are checked for the structure the operator
 * and `hotswap analyze` rely on, kustomize (kubectl's, offline) builds the kustomization when kubectl is
 * installed, and run-trial.sh is driven through a stand-in `kubectl` (a recording shell script, the only
 * fake here: there is no API server to talk to) to prove its interleaved order and per-run names.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, asRecord, at, loadYaml, loadYamlDocuments, parseYaml, runTool } from './helpers.js';

const ARMS = ['baseline', 'candidate'] as const;
const testRun = (arm: string): Record<string, unknown> =>
  asRecord(loadYaml(`deploy/k8s/testrun-${arm}.yaml`));
const env = (tr: unknown): Map<string, Record<string, unknown>> =>
  new Map((at(tr, 'spec', 'runner', 'env') as Record<string, unknown>[]).map((e) => [String(e.name), e]));

const storage = loadYamlDocuments('deploy/k8s/storage.yaml');
const services = loadYamlDocuments('deploy/k8s/service.yaml');
const kustomization = asRecord(loadYaml('deploy/k8s/kustomization.yaml'));

describe('deploy/k8s TestRun manifests', () => {
  for (const arm of ARMS) {
    describe(`testrun-${arm}.yaml`, () => {
      const tr = testRun(arm);

      it('is a k6-operator TestRun split over at least two pods', () => {
        assert.equal(tr.apiVersion, 'k6.io/v1alpha1');
        assert.equal(tr.kind, 'TestRun');
        assert.equal(at(tr, 'metadata', 'name'), `hotswap-${arm}`);
        const parallelism = at(tr, 'spec', 'parallelism');
        assert.ok(
          Number.isInteger(parallelism) && (parallelism as number) >= 2,
          `parallelism ${String(parallelism)}`,
        );
      });

      it('takes its script from the ConfigMap the kustomization generates', () => {
        const gen = (kustomization.configMapGenerator as Record<string, unknown>[])[0]!;
        assert.equal(at(tr, 'spec', 'script', 'configMap', 'name'), gen.name);
        const file = String(at(tr, 'spec', 'script', 'configMap', 'file'));
        assert.ok(
          (gen.files as string[]).some((f) => f.split('=')[0] === file),
          `${file} is a key of the ConfigMap`,
        );
      });

      it('writes one CSV per pod with unix_micro timestamps onto the shared volume', () => {
        const args = String(at(tr, 'spec', 'arguments'));
        const out = /--out csv=(\S+)/.exec(args)?.[1] ?? '';
        assert.match(out, /\$\(POD_NAME\)\.csv\.gz$/, 'the file name is unique per pod');
        const e = env(tr);
        assert.deepEqual(at(e.get('POD_NAME'), 'valueFrom', 'fieldRef', 'fieldPath'), 'metadata.name');
        assert.equal(e.get('K6_CSV_TIME_FORMAT')?.value, 'unix_micro');
        const mounts = at(tr, 'spec', 'runner', 'volumeMounts') as { name: string; mountPath: string }[];
        const mount = mounts.find((m) => out.startsWith(`${m.mountPath}/`));
        assert.ok(mount, `${out} is on a mounted volume`);
        const volume = (at(tr, 'spec', 'runner', 'volumes') as Record<string, unknown>[]).find(
          (v) => v.name === mount.name,
        );
        const claim = at(volume, 'persistentVolumeClaim', 'claimName');
        const pvc = storage.find((d) => d.kind === 'PersistentVolumeClaim');
        assert.equal(claim, at(pvc, 'metadata', 'name'));
        assert.ok(
          (at(pvc, 'spec', 'accessModes') as string[]).includes('ReadWriteMany'),
          'all pods write to it',
        );
        assert.match(args, new RegExp(`--tag role=${arm}\\b`));
      });

      it('reads the target URL from env, pointing at the arm’s Service', () => {
        const url = String(env(tr).get('BASE_URL')?.value ?? '');
        const host = new URL(url).hostname.split('.')[0];
        const svc = services.find((d) => d.kind === 'Service' && at(d, 'metadata', 'name') === host);
        assert.ok(svc, `${url} names a Service in service.yaml`);
        assert.equal(at(svc, 'spec', 'selector', 'hotswap/arm'), arm);
      });

      it('gives the runner pods CPU limits and a non-root user that can write the volume', () => {
        assert.ok(at(tr, 'spec', 'runner', 'resources', 'limits', 'cpu'));
        assert.equal(at(tr, 'spec', 'runner', 'securityContext', 'runAsNonRoot'), true);
        assert.equal(
          at(tr, 'spec', 'runner', 'securityContext', 'fsGroup'),
          at(tr, 'spec', 'runner', 'securityContext', 'runAsGroup'),
        );
      });
    });
  }

  it('limits both service arms identically', () => {
    const deployments = services.filter((d) => d.kind === 'Deployment');
    assert.equal(deployments.length, 2);
    const resources = deployments.map((d) => at(d, 'spec', 'template', 'spec', 'containers', 0, 'resources'));
    assert.deepEqual(resources[0], resources[1]);
    assert.ok(at(resources[0], 'limits', 'cpu') && at(resources[0], 'limits', 'memory'));
  });

  it('lists only files that exist, and leaves the TestRuns to run-trial.sh', () => {
    const resources = kustomization.resources as string[];
    for (const r of resources) assert.ok(existsSync(join(ROOT, 'deploy/k8s', r)), r);
    assert.ok(!resources.some((r) => r.startsWith('testrun-')), 'TestRuns are applied one at a time');
    assert.equal(kustomization.namespace, 'hotswap');
  });
});

describe('deploy/k8s with kubectl kustomize (offline)', () => {
  const kubectl = runTool('kubectl', ['version', '--client']);
  const built = join(ROOT, 'deploy/k8s/build/scenario.js');
  const existed = existsSync(built);
  after(() => {
    if (!existed) rmSync(built, { force: true });
  });

  it(
    'builds the namespace, volume, collector, services and the scenario ConfigMap',
    { skip: kubectl === null ? 'kubectl is not installed' : false },
    () => {
      if (!existed) {
        spawnSync('mkdir', ['-p', join(ROOT, 'deploy/k8s/build')]);
        writeFileSync(built, '// placeholder written by the test\nexport default function () {}\n');
      }
      const r = runTool('kubectl', ['kustomize', 'deploy/k8s'])!;
      assert.equal(r.status, 0, r.stderr);
      const docs = r.stdout.split(/^---$/m).map((d) => asRecord(parseYaml(d, 'kustomize output')));
      const kinds = docs.map((d) => `${String(d.kind)}/${String(at(d, 'metadata', 'name'))}`).sort();
      assert.deepEqual(kinds, [
        'ConfigMap/hotswap-scenario',
        'Deployment/hotswap-baseline',
        'Deployment/hotswap-rust',
        'Namespace/hotswap',
        'PersistentVolumeClaim/hotswap-k6-data',
        'Pod/hotswap-collector',
        'Service/hotswap-baseline',
        'Service/hotswap-rust',
      ]);
      const cm = docs.find((d) => d.kind === 'ConfigMap')!;
      assert.ok('scenario.js' in asRecord(cm.data), 'the scenario is the ConfigMap key scenario.js');
      for (const d of docs.filter((x) => x.kind !== 'Namespace'))
        assert.equal(at(d, 'metadata', 'namespace'), 'hotswap');
    },
  );
});

describe('deploy/k8s/run-trial.sh (with a recording stand-in for kubectl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotswap-k8s-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs baseline and candidate alternately, renames each TestRun per repetition and scrapes around it', () => {
    const bin = join(dir, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    const log = join(dir, 'kubectl.log');
    // Records every call; `apply -f -` stdin is kept; `get testrun` answers finished; `exec … wget` a scrape.
    writeFileSync(
      join(bin, 'kubectl'),
      `#!/bin/sh
echo "kubectl $*" >> '${log}'
case "$*" in
  *" apply -f -"*) n=$(ls '${dir}'/applied-*.yaml 2>/dev/null | wc -l); cat > '${dir}'/applied-$n.yaml ;;
  *" get testrun "*) printf finished ;;
  *" exec hotswap-collector "*) printf 'process_cpu_seconds_total 1.5\\n' ;;
esac
`,
    );
    chmodSync(join(bin, 'kubectl'), 0o755);
    const out = join(dir, 'out');
    const r = spawnSync('bash', [join(ROOT, 'deploy/k8s/run-trial.sh')], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        REPETITIONS: '2',
        PARALLELISM: '3',
        OUT: out,
      },
    });
    assert.equal(r.status, 0, r.stderr);
    const applied = readdirSync(dir)
      .filter((f) => f.startsWith('applied-'))
      .sort()
      .map((f) => asRecord(parseYaml(readFileSync(join(dir, f), 'utf8'), f)));
    assert.deepEqual(
      applied.map((d) => at(d, 'metadata', 'name')),
      ['hotswap-baseline-r1', 'hotswap-candidate-r1', 'hotswap-baseline-r2', 'hotswap-candidate-r2'],
    );
    for (const d of applied) {
      assert.equal(d.kind, 'TestRun');
      assert.equal(at(d, 'spec', 'parallelism'), 3);
    }
    assert.deepEqual(readdirSync(out).sort(), [
      'hotswap-baseline-r1.after.prom',
      'hotswap-baseline-r1.before.prom',
      'hotswap-baseline-r2.after.prom',
      'hotswap-baseline-r2.before.prom',
      'hotswap-candidate-r1.after.prom',
      'hotswap-candidate-r1.before.prom',
      'hotswap-candidate-r2.after.prom',
      'hotswap-candidate-r2.before.prom',
    ]);
    assert.match(
      readFileSync(join(out, 'hotswap-candidate-r2.after.prom'), 'utf8'),
      /process_cpu_seconds_total/,
    );
    const calls = readFileSync(log, 'utf8');
    assert.match(
      calls,
      /exec hotswap-collector -- wget -q -O - http:\/\/hotswap-rust\.hotswap\.svc:8080\/metrics/,
    );
  });

  it('stops with exit 3 and names the TestRun when the operator reports an error', () => {
    const bin = join(dir, 'bin-error');
    spawnSync('mkdir', ['-p', bin]);
    writeFileSync(
      join(bin, 'kubectl'),
      `#!/bin/sh
case "$*" in
  *" apply -f -"*) cat > /dev/null ;;
  *" get testrun "*) printf error ;;
esac
`,
    );
    chmodSync(join(bin, 'kubectl'), 0o755);
    const r = spawnSync('bash', [join(ROOT, 'deploy/k8s/run-trial.sh')], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        REPETITIONS: '1',
        OUT: join(dir, 'out-error'),
      },
    });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /TestRun hotswap-baseline-r1 ended in stage error/);
  });
});

describe('deploy/k8s scripts', () => {
  it('are valid bash', () => {
    for (const s of ['build-scenario.sh', 'run-trial.sh', 'collect.sh']) {
      const r = spawnSync('bash', ['-n', join(ROOT, 'deploy/k8s', s)], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${s}: ${r.stderr}`);
    }
  });

  it('build-scenario.sh names the known scenarios when asked for an unknown one (exit 2)', () => {
    const r = spawnSync('bash', [join(ROOT, 'deploy/k8s/build-scenario.sh'), 'no-such-shape'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /scenarios\/no-such-shape\.ts: no such scenario/);
  });
});
