/**
 * Shared by the report tests. The fixture model is the real analysis of the tiny fixture trial
 * (test/fixtures/trials/tiny: real k6 output, 2 runs per arm), as Lighthouse keeps its sample_v2.json:
 * trial-golden.test.ts checks that `analyze` still gives exactly this file, and `UPDATE_GOLDEN=1`
 * refreshes it. A test that needs one exact case (a failed run, a new error class) edits a copy.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { judgeCanary } from '../../src/analysis/canary.js';
import { canarySpecOf } from '../../src/canary/index.js';
import { summarizeProfile } from '../../src/analysis/profile.js';
import { decodeCpuProfile } from '../../src/ingest/pprof.js';
import type { CanaryData, ReportModel, Warning } from '../../src/model/index.js';
import { parsePlan } from '../../src/plan/index.js';

export const FIXTURE_PATH = new URL('../fixtures/report/golden/tiny-trial/report.json', import.meta.url)
  .pathname;

/** A fresh copy of the real fixture model (tests may mutate it). */
export const fixtureModel = (): ReportModel => JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as ReportModel;

/** Strings a hostile plan, tag or service could put in the model. */
export const EVIL = {
  baseline: '<script>alert("b")</script>',
  candidate: `Rust "hot" </script><img src=x onerror=alert('c')>`,
  endpoint: `orders</script><script>alert('e')</script>"'&<!--`,
  error: '</script><svg onload=alert(1)>`|*_ \u001b[31mred',
  planName: '</title><script>alert("t")</script>',
};

/** The fixture with every kind of model string replaced by something that would run if not escaped. */
export const hostileModel = (): ReportModel => {
  const m = JSON.parse(
    JSON.stringify(fixtureModel()).replaceAll('"orders"', JSON.stringify(EVIL.endpoint)),
  ) as ReportModel;
  m.plan.configurations.baseline.name = EVIL.baseline;
  m.plan.configurations.candidate.name = EVIL.candidate;
  m.trial.planName = EVIL.planName;
  m.errors[1]!.example = EVIL.error;
  m.errors[1]!.errorClass = `http-502${EVIL.error}`;
  m.verdict.reasons.push(`reason with ${EVIL.error}`);
  // A code no version of hotswap raises, as a foreign or edited report.json may hold.
  m.warnings.push({ code: 'evil' as Warning['code'], message: EVIL.error, hint: EVIL.baseline });
  return m;
};

/** An empty-ish model: no runs, no data; every chart should say so rather than crash. */
export const emptyModel = (): ReportModel => {
  const m = fixtureModel();
  m.runs = [];
  m.summaries = [];
  m.comparisons = [];
  m.resources = [];
  m.ladders = [];
  m.spectra = [];
  m.timeseries = [];
  m.errors = [];
  m.capacity.baseline = { role: 'baseline', steps: [], warnings: [] };
  m.capacity.candidate = { role: 'candidate', steps: [], warnings: [] };
  delete m.capacity.savings;
  return m;
};

/**
 * A canary's model: the real judgement (src/analysis/canary.ts) of the committed export of a real
 * Prometheus scraping the reference rust build at a 50 % Rust share (test/fixtures/canary/), its last
 * 60 s in 5 s windows.
 */
export const canaryModel = (): ReportModel => {
  const data = JSON.parse(
    readFileSync(new URL('../fixtures/canary/split-50-queries.json', import.meta.url), 'utf8'),
  ) as CanaryData;
  const planFile = new URL('../fixtures/canary/split-50-plan.yaml', import.meta.url).pathname;
  const plan = parsePlan(readFileSync(planFile, 'utf8'), planFile);
  return judgeCanary({
    plan,
    spec: canarySpecOf(plan),
    data,
    start: data.end - 60,
    end: data.end,
    unitSeconds: 5,
    id: 'canary-fixture',
    frozenAt: '2026-12-01T09:00:00.000Z',
    version: 'test',
    environment: { cpus: 2, node: 'v20', pinned: false, targetHost: 'file' },
  });
};

/**
 * The fixture with the CPU profiles of the committed real profiles (test/fixtures/pprof: one per build,
 * under k6 load), summarized by the real analysis: the tiny trial itself took none.
 */
export const withProfiles = (m: ReportModel): ReportModel => {
  const fixture = (b: string) => fileURLToPath(new URL(`../fixtures/pprof/${b}.pb.gz`, import.meta.url));
  const runOf = (role: 'baseline' | 'candidate') =>
    m.runs.find((r) => r.role === role && r.phase === 'steady')!;
  m.profiles = (['baseline', 'candidate'] as const).map((role) =>
    summarizeProfile({
      role,
      phase: 'steady',
      runId: runOf(role).id,
      profile: decodeCpuProfile(readFileSync(fixture(role === 'baseline' ? 'baseline' : 'rust')), role),
      hotspot: ['internal/kernel\\.Scan$', 'internal/hotspot\\.Scan$'],
      minSamples: 50,
      requestsByEndpoint: { scan: 200, fields: 100, orders: 30 },
      rateRps: role === 'baseline' ? 60 : 500,
    }),
  );
  return m;
};
