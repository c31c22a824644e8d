import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { isDecision } from '../../src/model/index.js';

/** The quick reference plan cut down to one short steady run per configuration. */
const tinyPlan = (): string =>
  readFileSync('plans/reference-quick.yaml', 'utf8')
    .replace(
      /phases:\n(?: {2}.*\n)+/,
      'phases:\n  - { name: steady, driver: k6, scenario: steady, rateRps: 15, durationSeconds: 4 }\n',
    )
    .replace(/repetitions: \{.*\}\nsequential: .*\n/, 'repetitions: 1\n')
    .replace('warmupSeconds: 2', 'warmupSeconds: 1')
    .replace('count: 1000', 'count: 200')
    // The profile runs after the search, which this cut-down plan has not.
    .replace(/profile:\n(?: {2}.*\n)+/, '')
    // A loose SLO: this test is about the pipeline, not about how busy the test machine is.
    .replace('latencyMs: 150,', 'latencyMs: 5000,');

describe('hotswap trial', () => {
  it('runs, analyses and renders: report.json, report.html, report.md and report.txt, exit code from the verdict', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    await writeFile(join(dir, 'plan.yaml'), tinyPlan());
    const io = memoryIo({ cwd: dir });
    const code = await main(['trial', '--plan', 'plan.yaml', '--out', 'trials', '--json'], io);
    const doc = JSON.parse(io.out()) as { dir: string; decision: string; exitCode: number; runs: unknown[] };
    assert.equal(doc.runs.length, 2, io.err());
    assert.ok(isDecision(doc.decision), `decision ${doc.decision}`);
    // One run per arm cannot clear a CI-based pass line: the honest answer is inconclusive (exit 4).
    assert.equal(doc.decision, 'inconclusive', JSON.stringify(doc));
    assert.equal(code, 4);
    assert.equal(doc.exitCode, 4);
    for (const f of ['report.json', 'report.html', 'report.md', 'report.txt'])
      assert.ok(existsSync(join(doc.dir, f)), `${f} written`);
    assert.match(readFileSync(join(doc.dir, 'report.html'), 'utf8'), /<svg/);
  });

  it('stops before running anything on a bad plan: one line, exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    await writeFile(join(dir, 'plan.yaml'), tinyPlan().replace('seed: 42', 'seed: -x'));
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['trial', '--plan', 'plan.yaml', '--out', 'trials'], io), 2);
    assert.match(io.err(), /^hotswap: plan\.yaml: seed: .*\n$/);
    assert.equal(existsSync(join(dir, 'trials')), false);
  });
});
