/**
 * .github/workflows: the release-review gate and the project's CI. GitHub Actions cannot run here, so
 * the workflows are checked as actionlint would at its basics (valid YAML, triggers, jobs with runs-on,
 * steps that either use a versioned action or run a script, no `${{ }}` inside scripts), the steps the
 * gate needs are found, and the gate's own shell scripts are executed with bash: the trial step with a
 * stand-in `npx` (the only fake: the real trial is covered by the load and report tests) and the
 * verdict gate with every exit code of the CLI contract. actionlint itself runs when it is installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, asRecord, at, loadYaml, readText, runTool } from './helpers.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}

const WORKFLOWS = ['release-review.yml', 'ci.yml'] as const;
const load = (file: string): Record<string, unknown> => asRecord(loadYaml(`.github/workflows/${file}`));
const jobSteps = (wf: Record<string, unknown>): Step[] =>
  Object.values(asRecord(wf.jobs)).flatMap((job) => asRecord(job).steps as Step[]);
const stepNamed = (steps: Step[], pattern: RegExp): Step => {
  const step = steps.find(
    (s) => pattern.test(s.name ?? '') || pattern.test(s.run ?? '') || pattern.test(s.uses ?? ''),
  );
  assert.ok(step, `a step matching ${String(pattern)}`);
  return step;
};

describe('workflows: actionlint-like basics', () => {
  for (const file of WORKFLOWS) {
    it(`${file} has a name, triggers, and jobs whose steps use a versioned action or run a script`, () => {
      const wf = load(file);
      assert.equal(typeof wf.name, 'string');
      assert.ok(wf.on && typeof wf.on === 'object', 'on: triggers');
      const jobs = asRecord(wf.jobs);
      assert.ok(Object.keys(jobs).length > 0);
      for (const [id, job] of Object.entries(jobs)) {
        assert.match(id, /^[A-Za-z_][\w-]*$/, `job id ${id}`);
        assert.match(String(asRecord(job)['runs-on']), /^(ubuntu|debian)-|^ubuntu-latest$/, `${id} runs-on`);
        assert.ok(
          Number(asRecord(job)['timeout-minutes']) <= 90,
          `${id} has a timeout within CI's 90 minutes`,
        );
        const steps = asRecord(job).steps as Step[];
        assert.ok(steps.length > 0);
        for (const s of steps) {
          assert.ok(
            (s.uses === undefined) !== (s.run === undefined),
            `step ${s.name}: exactly one of uses/run`,
          );
          if (s.uses)
            assert.match(s.uses, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w.-]+$/, `${s.uses} names a version`);
          if (s.run)
            assert.doesNotMatch(
              s.run,
              /\$\{\{/,
              `step ${s.name}: pass expressions through env, not into the script`,
            );
        }
      }
      assert.deepEqual(wf.permissions, { contents: 'read' }, 'least privilege');
    });

    it(
      `${file} passes actionlint when it is installed`,
      { skip: actionlint() === null ? 'actionlint is not installed' : false },
      () => {
        const r = spawnSync(actionlint()!, ['-no-color', `.github/workflows/${file}`], {
          cwd: ROOT,
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, r.stdout + r.stderr);
      },
    );
  }
});

function actionlint(): string | null {
  for (const candidate of [
    'actionlint',
    join(process.env.GOPATH ?? join(process.env.HOME ?? '', 'go'), 'bin', 'actionlint'),
  ]) {
    const r = runTool(candidate, ['-version']);
    if (r && r.status === 0) return candidate;
  }
  return null;
}

describe('release-review.yml', () => {
  const wf = load('release-review.yml');
  const steps = jobSteps(wf);

  it('runs on pull requests (and by hand, with the plan and the inconclusive policy as inputs)', () => {
    assert.ok('pull_request' in asRecord(wf.on));
    const inputs = asRecord(at(wf, 'on', 'workflow_dispatch', 'inputs'));
    assert.ok('plan' in inputs && 'on-inconclusive' in inputs);
    assert.deepEqual(at(inputs, 'on-inconclusive', 'options'), ['fail', 'pass']);
    assert.match(String(at(wf, 'env', 'ON_INCONCLUSIVE')), /inputs\.on-inconclusive \|\| 'fail'/);
  });

  it('sets up node, go and rust, then runs npm run setup and the trial from a plan', () => {
    assert.match(stepNamed(steps, /actions\/checkout@/).uses!, /@v\d/);
    assert.equal(String(stepNamed(steps, /actions\/setup-node@/).with?.['node-version']), '20');
    assert.ok(stepNamed(steps, /actions\/setup-go@/).with?.['go-version']);
    assert.ok(stepNamed(steps, /rust-toolchain/).with?.toolchain);
    const order = [/npm run setup/, /npx hotswap trial --plan "\$PLAN"/].map((p) =>
      steps.findIndex((s) => p.test(s.run ?? '')),
    );
    assert.ok(order[0]! >= 0 && order[1]! > order[0]!, 'setup, then the trial');
    assert.match(String(at(wf, 'env', 'PLAN')), /plans\/reference-release-review\.yaml/);
  });

  it('writes report.md to the job summary and uploads report.html with the trial folder, even after a failure', () => {
    const summary = stepNamed(steps, /GITHUB_STEP_SUMMARY/);
    assert.match(summary.run!, /report\.md" >> "\$GITHUB_STEP_SUMMARY"/);
    assert.match(summary.if ?? '', /always\(\)/);
    const upload = stepNamed(steps, /actions\/upload-artifact@v4/);
    const paths = String(upload.with?.path);
    assert.match(paths, /steps\.trial\.outputs\.dir \}\}\/report\.html/);
    assert.match(paths, /^\$\{\{ steps\.trial\.outputs\.dir \}\}$/m);
    assert.match(upload.if ?? '', /always\(\)/);
  });

  describe('its scripts, run with bash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotswap-wf-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    const runStep = (
      script: string,
      env: Record<string, string>,
      cwd = dir,
    ): { status: number | null; out: string } => {
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      return { status: r.status, out: r.stdout + r.stderr };
    };

    it('the trial step records the exit code and the new trial folder (not an older one) for the later steps', () => {
      const work = join(dir, 'repo');
      mkdirSync(join(work, 'reports', 'example'), { recursive: true });
      const bin = join(dir, 'bin');
      mkdirSync(bin, { recursive: true });
      // Stand-in for `npx hotswap trial`: writes a trial folder with a report and exits as told.
      writeFileSync(
        join(bin, 'npx'),
        '#!/bin/sh\nmkdir -p reports/20261121-230000-ci && echo "# verdict: drop" > reports/20261121-230000-ci/report.md\nexit "$FAKE_EXIT"\n',
      );
      chmodSync(join(bin, 'npx'), 0o755);
      const output = join(dir, 'github-output');
      writeFileSync(output, '');
      const trial = stepNamed(steps, /npx hotswap trial/);
      const r = runStep(
        trial.run!,
        {
          PATH: `${bin}:${process.env.PATH}`,
          FAKE_EXIT: '1',
          GITHUB_OUTPUT: output,
          RUNNER_TEMP: dir,
          PLAN: 'plans/x.yaml',
        },
        work,
      );
      assert.equal(r.status, 0, `the step itself succeeds so the report is still published: ${r.out}`);
      assert.deepEqual(readFileSync(output, 'utf8').trim().split('\n'), [
        'exit=1',
        'dir=reports/20261121-230000-ci',
      ]);

      const summaryFile = join(dir, 'summary.md');
      const summary = stepNamed(steps, /GITHUB_STEP_SUMMARY/);
      const s = runStep(
        summary.run!,
        { TRIAL_DIR: 'reports/20261121-230000-ci', GITHUB_STEP_SUMMARY: summaryFile },
        work,
      );
      assert.equal(s.status, 0, s.out);
      assert.equal(readFileSync(summaryFile, 'utf8'), '# verdict: drop\n');
    });

    it('the trial step still reports the exit code when no trial folder was made (bad plan, exit 2)', () => {
      const work = join(dir, 'empty-repo');
      mkdirSync(work, { recursive: true });
      const bin = join(dir, 'bin-bad');
      mkdirSync(bin, { recursive: true });
      writeFileSync(
        join(bin, 'npx'),
        '#!/bin/sh\necho "hotswap: plans/x.yaml: seed: expected a number" >&2\nexit 2\n',
      );
      chmodSync(join(bin, 'npx'), 0o755);
      const output = join(dir, 'github-output-bad');
      writeFileSync(output, '');
      const trial = stepNamed(steps, /npx hotswap trial/);
      const r = runStep(
        trial.run!,
        { PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output, RUNNER_TEMP: dir, PLAN: 'plans/x.yaml' },
        work,
      );
      assert.equal(r.status, 0, r.out);
      assert.deepEqual(readFileSync(output, 'utf8').trim().split('\n'), ['exit=2', 'dir=']);
    });

    const gate = stepNamed(steps, /Gate on the verdict/);
    const cases: [string, string, number, RegExp][] = [
      ['0', 'fail', 0, /verdict: keep/],
      ['1', 'fail', 1, /::error title=hotswap::verdict drop/],
      ['1', 'pass', 1, /verdict drop/],
      ['4', 'fail', 1, /::error title=hotswap::verdict inconclusive/],
      ['4', 'pass', 0, /::warning title=hotswap::verdict inconclusive/],
      ['2', 'pass', 2, /bad input/],
      ['3', 'pass', 3, /infrastructure failure: exit 3/],
      ['130', 'pass', 130, /trial interrupted/],
    ];
    for (const [code, policy, expected, message] of cases) {
      it(`the gate turns exit ${code} with on-inconclusive=${policy} into check status ${expected}`, () => {
        const r = runStep(gate.run!, { EXIT_CODE: code, ON_INCONCLUSIVE: policy });
        assert.equal(r.status, expected, r.out);
        assert.match(r.out, message);
      });
    }
  });
});

describe('ci.yml', () => {
  it('runs the test suite exactly as .ci/run does, on pushes and pull requests', () => {
    const wf = load('ci.yml');
    assert.ok('pull_request' in asRecord(wf.on) && 'push' in asRecord(wf.on));
    const steps = jobSteps(wf);
    assert.ok(steps.some((s) => s.run?.trim() === 'bash .ci/run'));
    assert.match(readText('.ci/run'), /^npm test$/m);
    assert.ok(steps.some((s) => /actions\/setup-go@/.test(s.uses ?? '')));
    assert.ok(steps.some((s) => /rust-toolchain/.test(s.uses ?? '')));
  });
});
