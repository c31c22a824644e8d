import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFolder } from '../../src/cli/analyze.js';
import { memoryIo } from '../../src/cli/io.js';
import { readManifest } from '../../src/store/index.js';
import { runTrial } from '../../src/trial/index.js';
import { testPlan } from '../helpers/plan.js';
import { randomPort, standInPlan } from '../trial/helpers.js';

/**
 * The differential test of issue 11, end to end with real k6: two node stand-in services (the
 * reference builds cannot be told to answer wrongly; test/fixtures/load/stand-in-service.mjs) whose
 * answers differ on a known set of corpus lines. The candidate corrupts every 5th line and counts each
 * corrupted answer itself (`standin_corrupted_total`, scraped before and after every run), which is the
 * independent truth the analysis's mismatch count must equal exactly. Both answer every 7th line with a
 * sequence number (non-deterministic): those are the noise floor and must be excluded, not counted.
 */
const LINES = 20;
const CORRUPT_EVERY = 5;
const NOISY_EVERY = 7;

const corpusText = (): string =>
  Array.from({ length: LINES }, (_, line) =>
    JSON.stringify({
      method: 'POST',
      path: line % 2 === 0 ? '/v1/scan' : '/v1/fields',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ line, payload: `event ${line}` }),
    }),
  ).join('\n');

const counterIn = (text: string, name: string): number => {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
};

describe('same output, differential (real k6, two stand-in services)', () => {
  it('counts exactly the candidate requests the service corrupted, excludes noisy lines, and drops', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-same-output-'));
    await writeFile(join(dir, 'corpus.ndjson'), corpusText());
    const base = standInPlan(randomPort(), {
      baselineArgs: ['-noisy-every', String(NOISY_EVERY)],
      candidateArgs: ['-noisy-every', String(NOISY_EVERY), '-corrupt-every', String(CORRUPT_EVERY)],
    });
    const plan = {
      ...base,
      corpus: { path: join(dir, 'corpus.ndjson') },
      correctness: { digests: true, ignoreEndpoints: [] },
      passLines: [
        { id: 'same', text: 'same output', check: 'same-output' as const },
        { id: 'errors', text: 'no new error classes', check: 'no-new-error-classes' as const },
      ],
    };
    const res = await runTrial({
      plan,
      planFile: join(dir, 'plan.yaml'),
      outDir: dir,
      signal: new AbortController().signal,
      progress: () => {},
    });
    const manifest = await readManifest(res.dir);
    let corrupted = 0;
    for (const run of manifest.runs.filter((r) => r.role === 'candidate')) {
      assert.equal(run.status, 'ok', run.failureReason);
      const before = await readFile(join(res.dir, run.raw.metricsBefore!), 'utf8');
      const after = await readFile(join(res.dir, run.raw.metricsAfter!), 'utf8');
      corrupted += counterIn(after, 'standin_corrupted_total') - counterIn(before, 'standin_corrupted_total');
    }
    const { model } = await analyzeFolder(res.dir, memoryIo());
    const c = model.correctness;
    assert.ok(c, 'report.json has correctness');
    assert.ok(corrupted > 0, 'the candidate corrupted some answers');
    assert.equal(c.mismatches, corrupted);
    // Lines 0, 7, 14 are noisy (each is hit several times per run at 30 rps × 2 s over 20 lines).
    assert.equal(c.noisyLines, Math.ceil(LINES / NOISY_EVERY));
    const corruptLines = [5, 10, 15];
    assert.deepEqual(
      c.examples.map((e) => e.line),
      corruptLines,
    );
    for (const e of c.examples) {
      assert.equal(e.baselineStatus, 200);
      assert.equal(e.candidateStatus, 200);
      assert.notEqual(e.baselineDigest, e.candidateDigest);
      assert.ok(e.requestPrefix.startsWith(`{"line":${e.line},`), e.requestPrefix);
    }
    assert.equal(c.byEndpoint.fields!.mismatches + c.byEndpoint.scan!.mismatches, corrupted);
    const same = model.verdict.checks.find((x) => x.id === 'same');
    assert.equal(same?.status, 'fail');
    assert.equal(model.verdict.decision, 'drop');
  });

  it('the two real reference builds (pure Go, Rust through cgo) give 0 mismatches over every compared request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-same-output-ref-'));
    const plan = testPlan({
      name: 'same output, reference builds',
      seed: 42,
      phases: [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 30, durationSeconds: 4 }],
      repetitions: 2,
      warmupSeconds: 1,
      corpus: { count: 300, mix: { scan: 60, fields: 30, orders: 10 }, messyShare: 0.02 },
      correctness: { digests: true },
      passLines: ['same output'],
    });
    const res = await runTrial({
      plan,
      planFile: join(dir, 'plan.yaml'),
      outDir: dir,
      signal: new AbortController().signal,
      progress: () => {},
    });
    const { model } = await analyzeFolder(res.dir, memoryIo());
    const c = model.correctness;
    assert.ok(c, 'report.json has correctness');
    const candidateRequests = model.summaries
      .filter((s) => s.role === 'candidate' && s.endpoint === '*')
      .reduce((sum, s) => sum + s.n, 0);
    // Nearly every candidate request is compared: only those on lines past the last one any baseline run
    // reached are not (a run's count of requests varies by a few).
    assert.ok(
      c.comparedRequests + c.unpairedRequests >= candidateRequests &&
        c.unpairedRequests <= 0.05 * candidateRequests,
      JSON.stringify(c),
    );
    assert.equal(c.mismatches, 0);
    assert.equal(c.noisyLines, 0);
    assert.deepEqual(Object.keys(c.byEndpoint).sort(), ['fields', 'orders', 'scan']);
    assert.equal(model.verdict.checks.find((x) => x.text === 'same output')?.status, 'pass');
    process.stdout.write(
      `# reference builds: ${c.comparedRequests} compared candidate requests, ${c.mismatches} mismatches, ${c.comparedLines} lines\n`,
    );
  });

  it('shadow mode on the real rust build: Go answers, Rust runs beside it, resources[].shadow has both timings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-shadow-'));
    const plan = testPlan({
      name: 'shadow',
      seed: 42,
      configurations: {
        baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
        // Shadow mode compares on requests routed to Go: the rust build with impl go, every request shadowed.
        candidate: { kind: 'reference', name: 'Rust build, Go serving', build: 'rust', impl: 'go' },
      },
      phases: [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 20, durationSeconds: 3 }],
      repetitions: 1,
      warmupSeconds: 1,
      corpus: { count: 200 },
      correctness: { shadowPercent: 100 },
    });
    const res = await runTrial({
      plan,
      planFile: join(dir, 'plan.yaml'),
      outDir: dir,
      signal: new AbortController().signal,
      progress: () => {},
    });
    const { model } = await analyzeFolder(res.dir, memoryIo());
    const cand = model.resources.find((r) => r.role === 'candidate');
    const shadow = cand?.shadow;
    assert.ok(shadow, 'candidate has shadow figures');
    // Hotspot requests only (orders has no kernel): at least the scan and fields share of the run.
    assert.ok(shadow.compared >= 0.5 * (cand?.requests ?? 0), `${shadow.compared} of ${cand?.requests}`);
    assert.equal(shadow.mismatches, 0);
    assert.equal(shadow.rustErrors, 0);
    assert.ok(shadow.goMsMean! > 0 && shadow.rustMsMean! > 0, JSON.stringify(shadow));
    assert.equal(model.resources.find((r) => r.role === 'baseline')?.shadow, undefined);
    process.stdout.write(`# shadow: ${JSON.stringify(shadow)}\n`);
  });
});
