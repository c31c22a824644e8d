import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildForest } from '../../src/report/charts/forest.js';
import { blocksFor, formatByKind } from '../../src/report/blocks.js';
import { renderMarkdown } from '../../src/report/exporters/markdown.js';
import { renderText } from '../../src/report/exporters/text.js';
import { reportView } from '../../src/report/sections.js';
import {
  baselineTable,
  displayCI,
  correctness,
  headline,
  mainPhase,
  median,
  moreRunsNote,
  significanceRows,
} from '../../src/report/view.js';
import { fixtureModel } from './helpers.js';

describe('report view', () => {
  const model = fixtureModel();

  it('takes the median of an odd and an even number of values', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), undefined);
  });

  it('judges the phase of the comparisons (steady), not the ramp', () => {
    assert.equal(mainPhase(model), 'steady');
  });

  it('reads the judged phase the analysis recorded in verdict.phase', () => {
    const m = fixtureModel();
    m.comparisons = [{ ...m.comparisons[0]!, phase: 'spike' }, ...m.comparisons];
    assert.equal(mainPhase(m), 'steady', 'not whichever phase the first comparison has');
    m.verdict.phase = 'spike';
    assert.equal(mainPhase(m), 'spike');
  });

  it('names the phase in each significance row only when more than one phase is compared', () => {
    assert.ok(significanceRows(model).every((r) => !r.label.startsWith('steady · ')));
    const m = fixtureModel();
    m.comparisons = [...m.comparisons, { ...m.comparisons[0]!, phase: 'spike' }];
    const rows = significanceRows(m);
    assert.ok(rows.slice(0, -1).every((r) => r.label.startsWith('steady · ')));
    assert.match(rows[rows.length - 1]!.label, /^spike · /);
    assert.match(renderMarkdown(m), /## Significance\n\nsteady and spike phases, run-level: /);
    assert.match(
      renderMarkdown(m),
      /CI: the wider of a seeded bootstrap-over-runs CI and the Mann-Whitney rank CI/,
    );
  });

  it('builds the baseline table from steady runs only, process-wide figures on the all-endpoints row', () => {
    const rows = baselineTable(model);
    assert.equal(rows.length, 8, '2 configurations × (3 endpoints + all)');
    const all = rows.find((r) => r.role === 'candidate' && r.endpoint === '*')!;
    assert.equal(all.runs, 2, 'one per ok steady run of the candidate');
    const cpu = model.resources
      .filter((r) => r.role === 'candidate' && r.phase === 'steady')
      .map((r) => r.cpuSecondsPerRequest!);
    assert.equal(cpu.length, 2);
    assert.equal(all.cpuMsPerRequest, ((cpu[0]! + cpu[1]!) / 2) * 1000, 'the median of two is their mean');
    const scan = rows.find((r) => r.role === 'candidate' && r.endpoint === 'scan')!;
    assert.equal(scan.cpuMsPerRequest, undefined);
    const peak = Math.max(
      ...model.resources.filter((r) => r.role === 'candidate').map((r) => r.rssBytesPeak!),
    );
    assert.equal(all.rssBytesPeak, peak, 'memory at peak is the highest RSS of any phase');
  });

  it('marks a comparison ~ exactly when it is not significant', () => {
    for (const r of significanceRows(model)) assert.equal(r.mark === '~', !r.comparison.significant, r.label);
  });

  it('takes the headline from the all-requests CPU and median latency comparisons', () => {
    const h = headline(model);
    assert.equal(h.cpu?.metric, 'cpuSecondsPerRequest');
    assert.equal(h.endToEnd?.quantile, 0.5);
    assert.equal(h.endToEnd?.endpoint, '*');
    assert.ok(h.hotspotMs.candidate! < h.hotspotMs.baseline!);
  });

  it('sums fallbacks per configuration and leaves unmeasured mismatches undefined', () => {
    const c = correctness(model);
    assert.deepEqual(c.fallbacks, { baseline: 0, candidate: 0 });
    assert.deepEqual(c.mismatches, {}, 'no run measured mismatches');
    const m = fixtureModel();
    m.resources.filter((r) => r.role === 'candidate').forEach((r, i) => (r.mismatches = i));
    assert.deepEqual(correctness(m).mismatches, { candidate: 0 + 1 + 2 + 3 });
  });

  it('does not repeat "N runs would settle it" when a reason already says so', () => {
    const m = fixtureModel();
    assert.ok(m.verdict.reasons.includes('about 16 runs per arm (14 more) would likely settle it'));
    assert.equal(moreRunsNote(m), undefined);
    m.verdict.reasons = ['the CI straddles the bound'];
    assert.deepEqual(moreRunsNote(m), { runs: 16 });
  });

  it('shows the CI the checks judge on when the analysis gives it, bounded or not', () => {
    const m = fixtureModel();
    const c = m.comparisons[0]!;
    assert.deepEqual(displayCI(c), [null, null], 'the real 2-run trial: both sides unbounded');
    delete c.judgedCI95;
    assert.deepEqual(displayCI(c), c.ratioCI95, 'without judgedCI95: the bootstrap CI');
    c.judgedCI95 = [null, 1.2];
    assert.deepEqual(displayCI(c), [null, 1.2]);
    const forest = JSON.stringify(buildForest(m));
    assert.match(forest, /"change":"−36% \(CI unbounded\)"/);
    assert.match(
      renderMarkdown(m),
      /\| scan · p99 latency \| 11\.5 ms \| 7\.29 ms \| \\~ \(−36%\) ⚠1 \| \\\[unbounded, \+20%\\\] \|/,
    );
  });
});

describe('report sections', () => {
  it('are the one source of every table: each brief table shows all its columns in Markdown and text', () => {
    const m = fixtureModel();
    const md = renderMarkdown(m);
    const text = renderText(m);
    const tables = reportView(m).sections.flatMap((s) =>
      blocksFor(s.blocks, 'brief').flatMap((b) => (b.kind === 'table' ? [b.table] : [])),
    );
    assert.ok(tables.length >= 7, `${tables.length} tables`);
    for (const t of tables) {
      const labels = t.columns.map((c) => c.label).filter(Boolean);
      const mdHead = `| ${t.columns.map((c) => c.label.replace(/[\\`*_[\]|#~!]/g, (x) => `\\${x}`)).join(' | ')} |`;
      assert.ok(md.includes(mdHead), `${t.id}: markdown head ${mdHead}`);
      const textHead = text.split('\n').find((l) => labels.every((x) => l.includes(x)));
      assert.ok(textHead, `${t.id}: a text line with every column label`);
    }
  });

  it('footnote each distinct warning of a table once, numbered in order of first mention', () => {
    const m = fixtureModel();
    const sig = reportView(m)
      .sections.find((s) => s.id === 'significance')!
      .blocks.find((b) => b.kind === 'table');
    assert.ok(sig?.kind === 'table');
    const { rows, footnotes } = sig.table;
    const seen = rows.flatMap((r) => r.change!.notes);
    assert.deepEqual(
      [...new Set(seen)].sort(),
      footnotes.map((_, i) => i + 1),
    );
    assert.equal(new Set(footnotes.map((w) => `${w.code} ${w.message}`)).size, footnotes.length);
  });

  it('write numbers by their kind and show a non-number as the text it is', () => {
    assert.equal(formatByKind('bytes', 1536), '1.50 KiB');
    assert.equal(formatByKind('p', 0.0004), '<0.001');
    assert.equal(formatByKind('int', '<b>7</b>'), '<b>7</b>', 'escaped later by the exporter, never dropped');
  });

  it('opens with "The bet" above the verdict when the plan has one, and leaves it out otherwise', () => {
    assert.deepEqual(
      reportView(fixtureModel())
        .sections.map((x) => x.id)
        .filter((id) => id === 'bet' || id === 'drills'),
      [],
    );
    const m = fixtureModel();
    m.bet = {
      problem: 'scan eats the CPU',
      win: 'fewer instances',
      rollback: 'flip impl to go',
      oneOffCost: 16000,
      monthlyCost: 418,
      monthlySaving: 2000,
      monthlyNet: 1582,
      paybackMonths: 16000 / 1582,
      netOverHorizon: 2984,
      inputs: {
        oneOffHours: 160,
        hourlyRate: 100,
        monthlyHours: 4,
        buildsPerMonth: 600,
        ciPricePerMinute: 0.01,
        horizonMonths: 12,
        ciMinutesDelta: 3,
        buildTime: 'cold',
        currency: 'USD',
      },
      warnings: [],
    };
    m.drills = [
      {
        kind: 'rollback',
        runId: 'r9',
        failedRequests: 0,
        tripSeconds: null,
        recoverySeconds: null,
        rollbackMs: 12.5,
        allGoMs: 3,
      },
    ];
    const view = reportView(m);
    assert.deepEqual(
      view.sections.slice(0, 2).map((x) => x.id),
      ['bet', 'verdict'],
    );
    assert.ok(view.sections.some((x) => x.id === 'drills'));
    const md = renderMarkdown(m);
    assert.match(md, /Pays back in 10\.1 months: 16,000 USD once against 1,582 USD net a month\./);
    assert.match(md, /CI: 180 s more per cold build × 600 builds × 0\.01 USD\/min/);
    assert.match(md, /Rust off within 12\.5 ms of the flip \(worst of 1\)/);
    assert.match(renderText(m), /^THE BET\nProblem: scan eats the CPU/m);
  });
});
