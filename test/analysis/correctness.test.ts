import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareOutputs,
  MAX_EXAMPLES,
  wilsonInterval,
  type CorrectnessRun,
} from '../../src/analysis/correctness.js';
import type { LineAnswers } from '../../src/model/index.js';

/** One run's answers: `[line, endpoint, [status, digest, count]...]`. */
const answers = (rows: [number, string, ...[number, string, number][]][]): LineAnswers[] =>
  rows.map(([line, endpoint, ...a]) => ({
    line,
    endpoint,
    answers: a.map(([status, digest, count]) => ({ status, digest, count })),
  }));
const run = (role: 'baseline' | 'candidate', id: string, digests: LineAnswers[]): CorrectnessRun => ({
  role,
  runId: id,
  digests,
});

describe('compareOutputs: same output per corpus line', () => {
  it('counts every candidate request on a line whose answer differs from the baseline’s, per endpoint', () => {
    const r = compareOutputs(
      [
        run(
          'baseline',
          'b1',
          answers([
            [0, 'scan', [200, 'aa', 3]],
            [1, 'fields', [200, 'bb', 2]],
            [2, 'scan', [400, 'cc', 1]],
          ]),
        ),
        run(
          'candidate',
          'c1',
          answers([
            [0, 'scan', [200, 'aa', 2], [200, 'xx', 1]],
            [1, 'fields', [500, 'bb', 2]],
            [2, 'scan', [400, 'cc', 4]],
          ]),
        ),
      ],
      { requestOf: (l) => `request ${l} ${'x'.repeat(200)}` },
    )!;
    assert.equal(r.comparedRequests, 3 + 2 + 4);
    assert.equal(r.mismatches, 1 + 2);
    assert.equal(r.noisyLines, 0);
    assert.deepEqual(r.byEndpoint, {
      scan: { compared: 7, mismatches: 1 },
      fields: { compared: 2, mismatches: 2 },
    });
    assert.deepEqual(
      r.examples.map((e) => [
        e.line,
        e.baselineStatus,
        e.baselineDigest,
        e.candidateStatus,
        e.candidateDigest,
      ]),
      [
        [0, 200, 'aa', 200, 'xx'],
        [1, 200, 'bb', 500, 'bb'],
      ],
    );
    assert.equal(r.examples[0]!.requestPrefix.length, 80);
    assert.ok(r.examples[0]!.requestPrefix.startsWith('request 0 '));
  });

  it('noise floor: a line the baseline answers two ways across its runs is excluded and counted, not a mismatch', () => {
    const r = compareOutputs([
      run(
        'baseline',
        'b1',
        answers([
          [0, 'orders', [200, 't1', 1]],
          [1, 'scan', [200, 'ok', 1]],
        ]),
      ),
      run(
        'baseline',
        'b2',
        answers([
          [0, 'orders', [200, 't2', 1]],
          [1, 'scan', [200, 'ok', 1]],
        ]),
      ),
      run(
        'candidate',
        'c1',
        answers([
          [0, 'orders', [200, 't3', 5]],
          [1, 'scan', [200, 'ok', 2]],
        ]),
      ),
    ])!;
    assert.equal(r.noisyLines, 1);
    assert.equal(r.noisyRequests, 5);
    assert.equal(r.comparedRequests, 2);
    assert.equal(r.mismatches, 0);
    assert.deepEqual(Object.keys(r.byEndpoint), ['scan']);
  });

  it('noise floor: two answers within one baseline run make the line noisy too', () => {
    const r = compareOutputs([
      run('baseline', 'b1', answers([[0, 'scan', [200, 'a', 1], [200, 'b', 1]]])),
      run('candidate', 'c1', answers([[0, 'scan', [200, 'c', 3]]])),
    ])!;
    assert.equal(r.noisyLines, 1);
    assert.equal(r.mismatches, 0);
    assert.equal(r.comparedRequests, 0);
    assert.equal(r.mismatchShare, undefined);
  });

  it('the same answer in every baseline run keeps the line compared (a repeat is not noise)', () => {
    const r = compareOutputs([
      run('baseline', 'b1', answers([[4, 'scan', [200, 'same', 3]]])),
      run('baseline', 'b2', answers([[4, 'scan', [200, 'same', 2]]])),
      run('candidate', 'c1', answers([[4, 'scan', [200, 'other', 1]]])),
    ])!;
    assert.equal(r.noisyLines, 0);
    assert.equal(r.mismatches, 1);
  });

  it('ignored endpoints, transport failures and lines only one arm answered are left out', () => {
    const r = compareOutputs(
      [
        run(
          'baseline',
          'b1',
          answers([
            [0, 'orders', [200, 'a', 1]],
            [1, 'scan', [200, 'k', 1], [0, '-', 4]],
            [2, 'scan', [200, 'z', 1]],
          ]),
        ),
        run(
          'candidate',
          'c1',
          answers([
            [0, 'orders', [200, 'b', 1]],
            [1, 'scan', [0, '-', 2], [200, 'k', 1]],
            [3, 'scan', [200, 'q', 1]],
          ]),
        ),
      ],
      { ignoreEndpoints: ['orders'] },
    )!;
    assert.equal(r.ignoredLines, 1);
    assert.equal(r.unpairedRequests, 1);
    assert.equal(r.comparedRequests, 1);
    assert.equal(r.mismatches, 0);
    assert.equal(r.comparedLines, 1);
  });

  it('keeps at most MAX_EXAMPLES examples, the lowest lines first', () => {
    const lines = Array.from({ length: 12 }, (_, i) => i);
    const r = compareOutputs([
      run('baseline', 'b', answers(lines.map((l) => [l, 'scan', [200, 'a', 1]]))),
      run('candidate', 'c', answers(lines.map((l) => [l, 'scan', [200, 'b', 1]]))),
    ])!;
    assert.equal(r.mismatches, 12);
    assert.deepEqual(
      r.examples.map((e) => e.line),
      lines.slice(0, MAX_EXAMPLES),
    );
  });

  it('is undefined when either arm recorded no digests', () => {
    assert.equal(compareOutputs([run('baseline', 'b', answers([[0, 'scan', [200, 'a', 1]]]))]), undefined);
    assert.equal(compareOutputs([run('candidate', 'c', answers([[0, 'scan', [200, 'a', 1]]]))]), undefined);
  });
});

describe('wilsonInterval', () => {
  // scipy 1.x: binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')
  const SCIPY: [number, number, number, number][] = [
    [0, 100, 0.0, 0.03699349820698568],
    [3, 250, 0.0040893198805342975, 0.03468078042701961],
    [7, 7, 0.6456695649333126, 1.0],
    [1, 10, 0.017876213095072896, 0.4041500267952385],
    [0, 5000, 0.0, 0.0007677019450571243],
  ];
  for (const [k, n, lo, hi] of SCIPY) {
    it(`matches scipy's Wilson interval for ${k}/${n}`, () => {
      const [a, b] = wilsonInterval(k, n);
      assert.ok(Math.abs(a - lo) < 1e-12, `${a} vs ${lo}`);
      assert.ok(Math.abs(b - hi) < 1e-12, `${b} vs ${hi}`);
    });
  }
});
