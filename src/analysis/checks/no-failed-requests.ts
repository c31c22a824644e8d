import type { CheckResult, NoFailedRequestsPassLine } from '../../model/index.js';
import type { CheckDefinition } from './types.js';

/**
 * "No failed requests during the drill": not one request of any candidate drill (fault or rollback)
 * failed. A Rust error must cost latency at worst (Go answers), a flip must drop nothing in flight.
 */
export const noFailedRequests: CheckDefinition<NoFailedRequestsPassLine> = {
  meta: {
    id: 'no-failed-requests',
    title: 'No failed requests in the drills',
    howJudged: () =>
      'pass when no request of any fault or rollback drill of the candidate failed (non-2xx or transport error); fail on one',
  },
  judge: (line, ctx): CheckResult => {
    const drills = ctx.drills ?? [];
    const base = {
      id: line.id,
      title: line.text,
      text: line.text,
      howJudged: noFailedRequests.meta.howJudged(line, ctx),
      warnings: [],
    };
    if (drills.length === 0)
      return { ...base, status: 'error', figures: {}, message: 'no drill of the candidate to judge' };
    const failed = drills.reduce((s, d) => s + d.failedRequests, 0);
    const figures = { drills: drills.length, failedRequests: failed };
    if (failed === 0)
      return {
        ...base,
        status: 'pass',
        figures,
        message: `0 failed requests over ${drills.length} drill(s)`,
      };
    const where = drills.filter((d) => d.failedRequests > 0).map((d) => `${d.runId} (${d.failedRequests})`);
    return { ...base, status: 'fail', figures, message: `${failed} failed request(s): ${where.join(', ')}` };
  },
};
