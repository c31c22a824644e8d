import type { CheckResult, NoNewErrorClassesPassLine } from '../../model/index.js';
import { CAN_STILL_PASS } from '../sequential.js';
import type { CheckDefinition } from './types.js';

/**
 * "No new error classes": every error class (http-<status>, transport) the candidate shows on the
 * endpoint must also appear in the baseline over the judged phases. A new class seen on more than one
 * request fails; a single request of a new class is a warning, since one occurrence cannot separate a
 * real new failure mode from a stray connection reset. Without any candidate summary of the endpoint in
 * the compared (non-ramp) phases there is nothing to look at, so the line cannot be judged (error),
 * rather than passing on absent data.
 */
export const noNewErrorClasses: CheckDefinition<NoNewErrorClassesPassLine> = {
  meta: {
    id: 'no-new-error-classes',
    title: 'No new error classes',
    howJudged: (line) =>
      `fail when the candidate shows an error class (HTTP status or transport failure) on ${
        line.endpoint ?? 'any endpoint'
      } that the baseline never shows in the judged phases, on two or more requests; one request of a new class is inconclusive`,
  },
  judge: (line, ctx): CheckResult => {
    const endpoint = line.endpoint ?? '*';
    const compared = new Set(ctx.plan.phases.filter((p) => p.scenario !== 'ramp').map((p) => p.name));
    const measured = ctx.summaries.some(
      (s) => s.role === 'candidate' && s.endpoint === endpoint && compared.has(s.phase),
    );
    const rows = ctx.errors.filter((r) => r.endpoint === endpoint);
    const fresh = rows.filter((r) => r.isNew);
    const total = fresh.reduce((s, r) => s + r.candidate, 0);
    const figures: Record<string, number | string | null> = {
      baselineClasses: rows.filter((r) => r.baseline > 0).length,
      candidateClasses: rows.filter((r) => r.candidate > 0).length,
      newClasses: fresh.length,
      newClassRequests: total,
    };
    if (fresh.length > 0) figures.new = fresh.map((r) => `${r.errorClass}×${r.candidate}`).join(', ');
    const base = {
      id: line.id,
      title: line.text,
      text: line.text,
      howJudged: noNewErrorClasses.meta.howJudged(line, ctx),
      figures,
      warnings: [],
    };
    if (!measured) {
      return {
        ...base,
        status: 'error',
        message: `no candidate requests on ${endpoint === '*' ? 'any endpoint' : endpoint} in the compared phases: nothing to judge`,
      };
    }
    if (fresh.length === 0) {
      return {
        ...base,
        status: 'pass',
        message: `no error class the baseline lacks (${figures.candidateClasses} seen)`,
      };
    }
    const list = fresh.map((r) => `${r.errorClass} ×${r.candidate}`).join(', ');
    return total > 1
      ? { ...base, status: 'fail', message: `new in the candidate: ${list}` }
      : {
          ...base,
          // Under a look schedule the class has been seen: later runs cannot make it pass.
          figures: ctx.sequential ? { ...figures, [CAN_STILL_PASS]: 0 } : figures,
          status: 'warn',
          message: `one request of a new class (${list}): too rare to call`,
        };
  },
};
