import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { k6Driver } from '../../src/drivers/index.js';
import type { K6PhaseSpec, Plan, ReportModel, ResourceUse, Role } from '../../src/model/index.js';
import { median } from '../../src/analysis/stats/index.js';
import { randomPort } from './helpers.js';

/**
 * Integration, the walkthrough of README "Your own service in ten minutes": a Go service nobody here
 * wrote (go-httpbin v2.26.0, built by scripts/test.sh into .tools/bin/go-httpbin, no /metrics) trialled
 * through `kind: command` with a user's own k6 script (plans/load/httpbin.ts), real k6, on 127.0.0.1.
 * The plan is plans/your-own-service.yaml itself; only its port changes (tests run side by side) and its
 * paths become absolute (the copy lives in a temporary folder).
 */
const ROOT = resolve('.');
const HTTPBIN = join(ROOT, '.tools', 'bin', 'go-httpbin');

const planCopy = async (
  edit: (text: string) => string = (t) => t,
): Promise<{ file: string; dir: string }> => {
  const dir = await mkdtemp(join(tmpdir(), 'hotswap-own-'));
  const port = String(randomPort());
  const text = edit(
    readFileSync('plans/your-own-service.yaml', 'utf8')
      .replaceAll('18080', port)
      .replaceAll('./.tools/bin/go-httpbin', HTTPBIN)
      .replace('./load/httpbin.ts', join(ROOT, 'plans/load/httpbin.ts'))
      .replace('./go-httpbin.corpus.ndjson', join(ROOT, 'plans/go-httpbin.corpus.ndjson')),
  );
  const file = join(dir, 'plan.yaml');
  await writeFile(file, text);
  return { file, dir };
};

/** `hotswap trial --plan F --out D --json`, in process; the report the trial wrote. */
const trial = async (
  file: string,
  dir: string,
): Promise<{ code: number; model: ReportModel; folder: string }> => {
  const io = memoryIo({ cwd: dir });
  const code = await main(['trial', '--plan', file, '--out', dir, '--json'], io);
  const out = JSON.parse(io.out()) as { dir?: string; trialDir?: string };
  const folder = out.dir ?? out.trialDir ?? '';
  assert.ok(
    existsSync(join(folder, 'report.json')),
    `no report.json: ${io.err().split('\n').slice(-5).join('\n')}`,
  );
  return {
    code,
    model: JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as ReportModel,
    folder,
  };
};

const byRole = (m: ReportModel, role: Role): ResourceUse[] => m.resources.filter((r) => r.role === role);
const us = (s: number | undefined): string => (s === undefined ? '—' : `${(s * 1e6).toFixed(1)} µs`);
const mib = (b: number | undefined): string => (b === undefined ? '—' : `${(b / 2 ** 20).toFixed(2)} MiB`);

const figures = (m: ReportModel, role: Role) => {
  const rs = byRole(m, role);
  return {
    cpu: median(rs.map((r) => r.cpuSecondsPerRequest ?? NaN)),
    rssSteady: median(rs.map((r) => r.rssBytesSteady ?? NaN)),
    rssPeak: median(rs.map((r) => r.rssBytesPeak ?? NaN)),
  };
};

const printFigures = (title: string, m: ReportModel): void => {
  const lines = [`${title} (${m.verdict.decision}); timings on a shared 2-core machine, noisy:`];
  for (const role of ['baseline', 'candidate'] as const) {
    const f = figures(m, role);
    const gen = m.runs.filter((r) => r.role === role).map((r) => r.generator.cpuSeconds ?? NaN);
    lines.push(
      `  ${role}: CPU/request ${us(f.cpu)} (median of ${byRole(m, role).length} runs, from ${byRole(m, role)[0]?.sources?.cpu}), RSS steady ${mib(f.rssSteady)}, peak ${mib(f.rssPeak)}; k6 CPU ${median(gen).toFixed(2)} s per run`,
    );
  }
  for (const c of m.comparisons.filter((x) => x.family === 'verdict'))
    lines.push(
      `  ${c.metric}${c.quantile ? ` p${c.quantile * 100}` : ''} ${c.endpoint}: ratio ${c.ratio.toFixed(3)}, p ${c.pValue.toFixed(3)}, adjusted ${c.pAdjusted.toFixed(3)}`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
};

describe('your own service: go-httpbin through kind command and your own k6 script', () => {
  // No silent skip: scripts/test.sh builds go-httpbin before the tests, so a missing binary is a failure.
  it('has the go-httpbin binary to trial (scripts/test.sh builds it)', () => {
    assert.ok(existsSync(HTTPBIN), `${HTTPBIN} missing: run the go-httpbin step of scripts/test.sh`);
  });

  it('A/A: CPU and memory from the OS for both arms, nothing in the verdict family significant, not keep', async () => {
    const { file, dir } = await planCopy();
    const { model, folder } = await trial(file, dir);
    printFigures('A/A', model);
    const frozen = JSON.parse(readFileSync(join(folder, 'plan.json'), 'utf8')) as Plan;
    const phase = frozen.phases[0] as K6PhaseSpec;
    assert.equal(phase.script, join(ROOT, 'plans/load/httpbin.ts'), 'plan.json freezes the resolved script');
    assert.deepEqual(phase.scriptOptions, { loadSeconds: 3, executors: ['constant-arrival-rate'] });
    assert.equal(model.runs.filter((r) => r.status === 'ok').length, 8);
    // The achieved rate is over the script's own 3 s (k6 inspect), not a guess: 80 rps planned.
    for (const r of model.runs)
      assert.ok((r.generator.achievedRps ?? 0) > 60, `${r.id}: ${r.generator.achievedRps}`);
    for (const r of model.resources) {
      assert.ok(
        r.sources?.cpu === 'cgroup' || r.sources?.cpu === 'proc',
        `${r.runId}: CPU from ${r.sources?.cpu}`,
      );
      assert.ok(r.sources?.memory === 'cgroup' || r.sources?.memory === 'proc', r.runId);
      assert.ok((r.cpuSecondsPerRequest ?? 0) > 0, r.runId);
      assert.ok((r.rssBytesSteady ?? 0) > 1e6 && (r.rssBytesPeak ?? 0) >= (r.rssBytesSteady ?? 0), r.runId);
      assert.equal(r.goAllocBytesPerRequest, undefined, 'allocations need the service’s own counters');
    }
    const verdictFamily = model.comparisons.filter((c) => c.family === 'verdict');
    assert.ok(
      verdictFamily.some((c) => c.metric === 'cpuSecondsPerRequest'),
      'the CPU pass line is judged',
    );
    assert.deepEqual(
      verdictFamily.filter((c) => c.significant).map((c) => `${c.metric} ${c.endpoint}`),
      [],
    );
    assert.notEqual(model.verdict.decision, 'keep');
    // Endpoints from the script's `name` tags, and /bytes/1024 (no name) from its path.
    const endpoints = new Set(model.summaries.map((s) => s.endpoint));
    for (const e of ['get', 'base64', 'bytes', 'anything', 'json'])
      assert.ok(endpoints.has(e), `${e}: ${[...endpoints]}`);
    assert.ok(model.summaries.filter((s) => s.endpoint === '*').every((s) => s.n > 200));
  });

  it('GOGC=off on the candidate through env: its memory grows where the baseline collects', async () => {
    // Both arms get 64 KiB /bytes answers (the phase's env, read by the script), so garbage piles up.
    const { file, dir } = await planCopy((t) =>
      t
        .replace('repetitions: 4', 'repetitions: 2')
        .replace("env: { RATE: '80', DURATION: '3' }", "env: { RATE: '80', DURATION: '3', BYTES: '65536' }")
        .replace(
          'name: go-httpbin v2.26.0 (same binary)',
          "name: go-httpbin v2.26.0, GOGC=off\n    env: { GOGC: 'off' }",
        ),
    );
    const { model } = await trial(file, dir);
    printFigures('GOGC=off candidate', model);
    const b = figures(model, 'baseline');
    const c = figures(model, 'candidate');
    // Memory does not depend on the machine's load: ~12 MiB of garbage kept against a heap GC holds at ~4 MiB.
    assert.ok(c.rssPeak > 1.25 * b.rssPeak, `RSS peak ${mib(c.rssPeak)} vs ${mib(b.rssPeak)}`);
    assert.notEqual(model.verdict.decision, 'keep');
  });

  it('a script phase reaches loopback only: k6 refuses other addresses unless --allow-remote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-bl-'));
    const script = join(dir, 'remote.ts');
    await writeFile(
      script,
      [
        "import http from 'k6/http';",
        'export const options = { vus: 1, iterations: 1 };',
        'export default function () {',
        "  for (const u of [`${__ENV.BASE_URL}/x`, 'http://10.255.255.1:9/', 'http://[2001:db8::1]:9/'])",
        "    console.log(`${u} -> ${http.get(u, { timeout: '1s' }).error}`);",
        '}',
      ].join('\n'),
    );
    const phase: K6PhaseSpec = {
      name: 's',
      driver: 'k6',
      scenario: 'script',
      script,
      scriptOptions: { loadSeconds: 0, executors: ['per-vu-iterations'] },
    };
    const result = await k6Driver.run({
      runId: 'r0',
      trialDir: dir,
      baseUrl: 'http://127.0.0.1:9',
      phase,
      corpusPath: '/dev/null',
      slo: { quantile: 0.99, latencyMs: 100, maxErrorRate: 0.5 },
      signal: new AbortController().signal,
    });
    assert.equal(result.status, 'ok', result.failureReason);
    const log = readFileSync(join(dir, result.logs[0] ?? ''), 'utf8');
    assert.match(log, /10\.255\.255\.1:9\/ -> ip is blacklisted/);
    assert.match(log, /2001:db8::1\]:9\/ -> ip is blacklisted/);
    assert.doesNotMatch(log, /127\.0\.0\.1:9\/x -> ip is blacklisted/, 'loopback is allowed');
  });
});
