import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { ReportModel } from '../../src/model/index.js';

/**
 * `hotswap canary --from-file`: replays a committed export of real range queries (a real Prometheus
 * scraping the reference rust build at a 50 % Rust share under k6, written by test/canary/live.test.ts
 * with HOTSWAP_WRITE_CANARY_FIXTURE) offline, and the command's bad-input paths.
 */
const FIXTURE = 'test/fixtures/canary/split-50-queries.json';
const PLAN = 'test/fixtures/canary/split-50-plan.yaml';
const out = mkdtempSync(join(tmpdir(), 'hotswap-canary-cli-'));
after(() => rmSync(out, { recursive: true, force: true }));

const run = async (args: string[]) => {
  const io = memoryIo();
  const code = await main(['canary', ...args, '--out', out], io);
  return { code, out: io.out(), err: io.err() };
};

describe('hotswap canary --from-file (committed export of a real 50 % split)', () => {
  it('judges the Rust path faster on scan, exits with the decision, writes a complete canary folder', async () => {
    const r = await run(['--plan', PLAN, '--from-file', FIXTURE, '--window', '60s', '--json']);
    const m = JSON.parse(r.out) as ReportModel;
    assert.equal(r.code, { keep: 0, drop: 1, inconclusive: 4 }[m.verdict.decision]);
    const scan = m.comparisons.find(
      (c) => c.endpoint === 'scan' && c.metric === 'latencyMs' && c.quantile === 0.99,
    )!;
    assert.ok(scan.ratio < 0.9, `scan p99 ratio ${scan.ratio}`);
    assert.equal(m.canary!.windows.length, 12);
    assert.equal(m.canary!.stopRule[0]!.outcome, 'keep');
    assert.equal(m.verdict.decision, 'keep', m.verdict.reasons.join('; '));
    assert.equal(m.canary!.source.kind, 'file');
    const dir = join(out, m.trial.id);
    for (const f of [
      'plan.json',
      'raw/queries.json',
      'report.json',
      'report.html',
      'report.md',
      'kayenta-archive.json',
    ])
      assert.ok(existsSync(join(dir, f)), f);
    assert.ok(!readdirSync(out).some((f) => f.endsWith('.tmp')), 'no temporary folder left');
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    assert.match(md, /scan p99 cut .{1,8} 10% over 14 days/);
  });

  it('--unit re-windows the same data offline (10 s windows → 6 of them), with the text summary', async () => {
    const r = await run(['--plan', PLAN, '--from-file', FIXTURE, '--window', '60s', '--unit', '10s']);
    assert.match(r.out, /windows: \d of 6 judged \(10 s each, step 5 s/);
    assert.match(r.out, /stop rule "scan p99 cut < 10% over 14 days → switch back to Go": /);
  });
});

describe('hotswap canary with the reference plan on a short window', () => {
  it("shrinks the plan's 1 h unit to fit --window 60s --step 5s (12 windows of 5 s) and says so", async () => {
    const r = await run([
      '--plan',
      'plans/reference-canary.yaml',
      '--from-file',
      FIXTURE,
      '--window',
      '60s',
      '--json',
    ]);
    const m = JSON.parse(r.out) as ReportModel;
    assert.equal(m.canary!.unitSeconds, 5);
    assert.equal(m.canary!.windows.length, 12);
    assert.ok(m.warnings.some((w) => w.code === 'canary-unit-shortened'));
  });
});

describe('hotswap canary bad input: one line, exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['both sources', ['--prometheus', 'http://127.0.0.1:9090', '--from-file', FIXTURE], /exactly one source/],
    ['no source', [], /exactly one source/],
    [
      'a remote Prometheus without --allow-remote',
      ['--prometheus', 'http://10.1.2.3:9090'],
      /not on loopback; pass --allow-remote/,
    ],
    [
      'a --step other than the file was read at',
      ['--from-file', FIXTURE, '--step', '10s'],
      /--step 10s: .* step of 5 s/,
    ],
    ['a --window beyond the file', ['--from-file', FIXTURE, '--window', '1h'], /--window 1h: .* covers/],
    [
      'a --unit that is not a whole number of steps',
      ['--from-file', FIXTURE, '--unit', '7s'],
      /--unit: .* whole number of steps/,
    ],
    ['a bad duration', ['--from-file', FIXTURE, '--window', 'two minutes'], /--window: expected a duration/],
  ];
  for (const [what, args, re] of cases)
    it(what, async () => {
      const r = await run(['--plan', PLAN, '--window', '60s', ...args]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, re);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    });

  it('a file that is not a canary export names the file and the field', async () => {
    const bad = join(out, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        format: 'hotswap-canary-data',
        start: 1,
        end: 2,
        stepSeconds: 1,
        queries: { requests: { result: [{ metric: {}, values: [[1, 2]] }] } },
      }),
    );
    const r = await run(['--plan', PLAN, '--from-file', bad, '--window', '1s']);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /bad\.json: queries\.requests\.result\[0\]\.values\[0\]: expected \[unix seconds, "value"\]/,
    );
  });
});
