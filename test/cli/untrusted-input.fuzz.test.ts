/**
 * Issue 15's proof, bounded for CI: fast-check mutates the committed real fixtures (byte flips,
 * truncation, line shuffles, value swaps with extreme and wrong-typed values, path injections) and runs
 * each case through the readers and analyze/report in-process (test/helpers/fuzz.ts). Every outcome
 * must be exit 0 or 2 (a verdict code for analyze), one message line, no "internal error", no control
 * character on the terminal, bounded time and memory. `scripts/fuzz.ts` runs many more cases.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TARGETS, fuzzTarget } from '../helpers/fuzz.js';

/** Fixed, so a CI failure reproduces; FUZZ_SEED overrides it for exploring. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

describe('untrusted input: mutated real fixtures through every reader, analyze and report', () => {
  for (const target of TARGETS) {
    it(`${target.name}: ${target.ciRuns} mutated cases end in exit 0/2 (or a verdict), one line, nothing internal`, async () => {
      const r = await fuzzTarget(target, target.ciRuns, SEED);
      assert.equal(r.failure, undefined, r.failure);
      assert.equal(r.cases, target.ciRuns);
    });
  }
});
