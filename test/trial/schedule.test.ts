import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookScheduleOf, type PhaseSpec } from '../../src/model/index.js';
import { estimateSeconds, schedule } from '../../src/trial/index.js';
import { parsePlan } from '../../src/plan/index.js';
import { readFileSync } from 'node:fs';

const phases: PhaseSpec[] = [
  { name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 10, durationSeconds: 5 },
  { name: 'ramp', driver: 'k6', scenario: 'ramp', steps: [{ rateRps: 10, durationSeconds: 2 }] },
];

describe('schedule', () => {
  it('interleaves ABAB, each block running every phase, with unique ordered run ids', () => {
    const blocks = schedule({ repetitions: 2, order: 'interleaved', seed: 1, phases });
    assert.deepEqual(
      blocks.map((b) => `${b.role}${b.repetition}`),
      ['baseline1', 'candidate1', 'baseline2', 'candidate2'],
    );
    assert.deepEqual(
      blocks[1]?.runs.map((r) => r.id),
      ['r002-candidate-steady', 'r003-candidate-ramp'],
    );
  });

  it('balanced-random: both configurations in every pair, order drawn from the seed and repeatable', () => {
    const order = (seed: number) =>
      schedule({ repetitions: 20, order: 'balanced-random', seed, phases: phases.slice(0, 1) })
        .map((b) => b.role[0])
        .join('');
    const a = order(7);
    assert.equal(a, order(7));
    assert.notEqual(a, order(8));
    for (let i = 0; i < a.length; i += 2) assert.deepEqual([...a.slice(i, i + 2)].sort(), ['b', 'c']);
    assert.ok(a.includes('cb') && a.match(/bc/g), 'both orders occur');
  });

  it('plans the demo: both searches (each within its budget) and look 1 inside a 3-minute gathering', () => {
    const plan = parsePlan(readFileSync('plans/reference-quick.yaml', 'utf8'), 'q');
    const looks = lookScheduleOf(plan)!;
    assert.deepEqual(looks, { min: 5, max: 10, every: 5 });
    assert.deepEqual(
      plan.phases.map((p) => p.scenario),
      ['capacity-search', 'steady'],
    );
    const steady = { ...plan, phases: plan.phases.filter((p) => p.scenario === 'steady') };
    const look1 = estimateSeconds(schedule({ ...steady, repetitions: looks.min }), 0, plan.warmupSeconds);
    const search = plan.phases[0]!;
    assert.ok(search.driver === 'k6' && search.budgetSeconds !== undefined);
    // A search may start one last probe before its budget runs out: a probe's load plus k6's start.
    const oneSearch = 1.5 + plan.warmupSeconds + search.budgetSeconds + (search.probeSeconds ?? 0) + 5;
    // The planner's per-block overheads are pessimistic (look 1 planned at 115 s ran in ~90 s): the
    // measured demo is the figure that counts (README); this guards the plan against growing.
    assert.ok(look1 + 2 * oneSearch <= 225, `look 1 ${look1} s + searches ${2 * oneSearch} s`);
  });

  it('plans the release review to fit its workflow’s 90 minutes even when it runs to max', () => {
    const plan = parsePlan(readFileSync('plans/reference-release-review.yaml', 'utf8'), 'r');
    const looks = lookScheduleOf(plan)!;
    assert.equal(looks.max, 20);
    // The looks run every phase but the search; the searches run before them, in blocks of their own,
    // each within its budget plus a block's start and warm-up.
    const looksOnly = { ...plan, phases: plan.phases.filter((p) => p.scenario !== 'capacity-search') };
    const est = estimateSeconds(schedule(looksOnly), 0, plan.warmupSeconds);
    const search = plan.phases.find((p) => p.scenario === 'capacity-search');
    assert.ok(search && search.driver === 'k6' && search.budgetSeconds !== undefined);
    const searches = 2 * (search.searches ?? 1) * (search.budgetSeconds + 1.5 + plan.warmupSeconds + 1.5);
    // Set-up on a fresh runner: 6 minutes kept for it.
    const minutes = (est + searches) / 60;
    assert.ok(minutes <= 90 - 6, `estimated ${minutes.toFixed(1)} min at max`);
  });

  it('runs the fault drill for the candidate only; the release review stays inside its 90-minute limit', () => {
    const plan = parsePlan(readFileSync('plans/reference-release-review.yaml', 'utf8'), 'rr');
    const blocks = schedule(plan);
    for (const b of blocks) {
      const phases = b.runs.map((r) => r.phase.name);
      assert.equal(phases.includes('fault-drill'), b.role === 'candidate', `${b.role}: ${phases.join(',')}`);
      assert.ok(phases.includes('rollback'));
    }
    const ids = blocks.flatMap((b) => b.runs.map((r) => r.order));
    assert.deepEqual(ids, [...ids.keys()], 'run orders stay consecutive');
    const searchBlocks = blocks.filter((b) => b.runs.some((r) => r.phase.scenario === 'capacity-search'));
    assert.equal(searchBlocks.length, 2, 'searches: 1 per configuration, in the first repetition');
  });
});
