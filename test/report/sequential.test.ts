import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../src/report/exporters/markdown.js';
import { renderText } from '../../src/report/exporters/text.js';
import { reportView } from '../../src/report/sections.js';
import type { SequentialVerdict } from '../../src/model/index.js';
import { fixtureModel } from './helpers.js';

const stoppedAtFirst: SequentialVerdict = {
  look: 1,
  looks: 4,
  runsPerArm: 5,
  stoppedEarly: true,
  boundary: 4 / 252,
  dropBoundary: 1 / 252,
  dropTests: 3,
  spending: 'pocock',
  alpha: 0.05,
  action: 'stop',
  reason: 'settled-pass',
  method: 'monte-carlo',
  standardError: 0.0005,
};

describe('report: sequential repetitions beside the verdict', () => {
  it('says "stopped at look 1 of 4 (5 runs per arm)" and the levels used, in the verdict section', () => {
    const m = fixtureModel();
    m.verdict.sequential = stoppedAtFirst;
    m.plan.repetitions = { min: 5, max: 20, every: 5 };
    const verdict = reportView(m).sections.find((s) => s.id === 'verdict')!;
    const text = JSON.stringify(verdict.blocks);
    assert.match(text, /stopped at look 1 of 4 \(5 runs per arm\): every pass line and stop rule settled/);
    assert.match(text, /one-sided at p ≤ 0\.0159/);
    for (const out of [renderMarkdown(m), renderText(m)]) {
      assert.match(out, /stopped at look 1 of 4 \(5 runs per arm\)/);
      assert.match(out, /5–20 repetitions \(sequential: a look at 5, then every 5\)/);
    }
  });

  it('says nothing of looks for a fixed number of repetitions', () => {
    const m = fixtureModel();
    assert.doesNotMatch(renderText(m), /look \d of/);
  });
});
