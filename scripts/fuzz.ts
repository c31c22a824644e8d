/**
 * The long fuzz run of issue 15: `node --import tsx scripts/fuzz.ts [cases-per-target] [seed]`.
 * Mutates the committed real fixtures (test/helpers/fuzz.ts) through every reader and analyze/report
 * in-process, prints the case count per target and every failure, and exits 1 when one was found.
 */
import { TARGETS, fuzzTarget } from '../test/helpers/fuzz.js';

const perTarget = Number(process.argv[2] ?? 500);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const only = process.env.FUZZ_TARGET;
let total = 0;
let failed = 0;
console.log(`fuzz: seed ${seed}, ${perTarget} cases per target (trial folders: a tenth of that)`);
for (const target of TARGETS.filter((t) => !only || t.name === only)) {
  const runs = target.name === 'trial' ? Math.max(1, Math.round(perTarget / 10)) : perTarget;
  const t0 = performance.now();
  const r = await fuzzTarget(target, runs, seed);
  total += r.cases;
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `${r.target}: ${r.cases} cases in ${secs} s${r.failure ? `\n  FAILED: ${r.failure}` : ', all fine'}`,
  );
  if (r.failure) failed++;
}
console.log(`fuzz: ${total} cases, ${failed} target(s) with a failure`);
process.exitCode = failed > 0 ? 1 : 0;
