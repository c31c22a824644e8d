import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, exitCodeFor } from '../../src/analysis/verdict.js';
import type { CheckResult, CheckStatus } from '../../src/model/index.js';

const check = (status: CheckStatus, settle?: number | null): CheckResult => ({
  id: status,
  title: status,
  text: `line ${status}`,
  howJudged: '',
  status,
  figures: settle === undefined ? {} : { runsPerArmToSettle: settle },
  message: status,
  warnings: [],
});

describe('verdict', () => {
  it('keeps when every pass line passes and no stop rule fires', () => {
    const v = decide([check('pass'), check('pass')], [check('pass')], 5);
    assert.equal(v.decision, 'keep');
    assert.equal(exitCodeFor(v.decision), 0);
  });

  it('drops when a stop rule fires, whatever passed, and says so first', () => {
    const v = decide([check('pass')], [check('fail')], 5);
    assert.equal(v.decision, 'drop');
    assert.match(v.reasons[0]!, /stop rule/);
    assert.equal(exitCodeFor(v.decision), 1);
  });

  it('drops when a pass line fails even if another is inconclusive', () => {
    assert.equal(decide([check('fail'), check('warn', 9)], [], 5).decision, 'drop');
  });

  it('is inconclusive on a warn, with the largest runs-per-arm estimate', () => {
    const v = decide([check('pass'), check('warn', 9), check('warn', 14)], [], 5);
    assert.equal(v.decision, 'inconclusive');
    assert.equal(v.moreRunsPerArm, 14);
    assert.equal(v.additionalRunsPerArm, 9);
    assert.equal(exitCodeFor(v.decision), 4);
  });

  it('gives no estimate when a straddling line sits on its bound, or data is missing', () => {
    assert.equal(decide([check('warn', null), check('warn', 8)], [], 5).moreRunsPerArm, null);
    assert.equal(decide([check('error')], [], 5).moreRunsPerArm, null);
  });

  it('cannot keep a plan with no pass lines', () => {
    assert.equal(decide([], [], 5).decision, 'inconclusive');
  });
  it('never prints a negative number of further runs when the estimate is below the runs made', () => {
    const v = decide([check('warn', 6)], [], 8);
    assert.equal(v.additionalRunsPerArm, 0);
    assert.ok(
      v.reasons.some((r) => r.includes('about 6 runs per arm (0 more)')),
      v.reasons.join('\n'),
    );
  });
});
