import type { CheckResult, SameOutputPassLine } from '../../model/index.js';
import type { CheckDefinition } from './types.js';

/**
 * "Same output" / "no mismatches": every candidate request to a corpus line the baseline answers
 * deterministically must get the baseline's answer (status and body digest; src/analysis/correctness.ts).
 * Fail on any mismatch beyond the noise floor (lines the baseline answers inconsistently are left out
 * and counted); pass on none; cannot be judged (error) without digests from both arms, or when no line
 * could be compared. A failed line makes the verdict drop whatever the speed (verdict.ts: any failed
 * pass line drops), which is the point: a faster program that answers differently is another program.
 */
export const sameOutput: CheckDefinition<SameOutputPassLine> = {
  meta: {
    id: 'same-output',
    title: 'Same output as the baseline',
    howJudged: (line) =>
      `fail when any candidate request on ${line.endpoint ?? 'any endpoint'} gets a status or response body (sha256 digest) other than the baseline's answer to the same corpus line; lines the baseline itself answers inconsistently (the noise floor) are left out and counted`,
  },
  judge: (line, ctx): CheckResult => {
    const c = ctx.correctness;
    const scope = line.endpoint ? c?.byEndpoint[line.endpoint] : c;
    const compared = scope && ('comparedRequests' in scope ? scope.comparedRequests : scope.compared);
    const mismatches = scope?.mismatches ?? 0;
    const base = {
      id: line.id,
      title: line.text,
      text: line.text,
      howJudged: sameOutput.meta.howJudged(line, ctx),
      warnings: [],
    };
    if (!c) {
      return {
        ...base,
        status: 'error',
        figures: {},
        message:
          'no response digests from both arms: set `correctness: { digests: true }` in the plan (and run a steady phase)',
      };
    }
    const figures = {
      comparedRequests: compared ?? 0,
      mismatches,
      noisyLines: c.noisyLines,
      comparedLines: c.comparedLines,
    };
    const where = line.endpoint ? ` on ${line.endpoint}` : '';
    if (!compared) {
      return {
        ...base,
        status: 'error',
        figures,
        message: `no candidate request${where} on a line the baseline answered deterministically: nothing to compare (${c.noisyLines} noisy lines)`,
      };
    }
    const noise = `${c.noisyLines} noisy line${c.noisyLines === 1 ? '' : 's'} left out`;
    if (mismatches > 0) {
      const first = c.examples.find((e) => !line.endpoint || e.endpoint === line.endpoint);
      return {
        ...base,
        status: 'fail',
        figures,
        message: `${mismatches} of ${compared} compared requests${where} answered differently (${noise})${
          first
            ? `; first: line ${first.line} (${first.endpoint}) ${first.baselineStatus} ${first.baselineDigest} vs ${first.candidateStatus} ${first.candidateDigest}`
            : ''
        }`,
      };
    }
    return {
      ...base,
      status: 'pass',
      figures,
      message: `0 mismatches over ${compared} compared requests${where} (${noise})`,
    };
  },
};
